import type { TestHooks } from '../../platform/test-hooks.js';

/**
 * TICKETCLUB_TEST_FAULTS, for the crash tests only, and honoured only with NODE_ENV=test:
 * `crash-after-charge` kills the process (SIGKILL) right after the provider charged a card,
 * before anything of the charge is written on our side.
 */
export function paymentFaultsFromEnv(env: NodeJS.ProcessEnv, kill: () => void = () => process.kill(process.pid, 'SIGKILL')): TestHooks | undefined {
  if (env.NODE_ENV !== 'test' || !env.TICKETCLUB_TEST_FAULTS) return undefined;
  const faults = new Set(env.TICKETCLUB_TEST_FAULTS.split(',').map((f) => f.trim()));
  return faults.has('crash-after-charge') ? { afterCharge: kill } : undefined;
}
