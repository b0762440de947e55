/**
 * What the suite can reach on this machine: Chromium, PostgreSQL and Redis. Probed once per run by
 * global-setup.ts; suites that need a missing one are skipped (or, with CI=true, the run fails).
 */
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { Redis } from 'ioredis';
import pg from 'pg';

export type Service = 'browser' | 'postgres' | 'redis';
export const SERVICES: Service[] = ['browser', 'postgres', 'redis'];

export interface Probe {
  ok: boolean;
  /** Where it was found (the browser's executable, the service's URL). */
  at: string;
  /** Why it is missing. */
  reason?: string;
}
export type Probes = Record<Service, Probe>;

/** How a person gets the suites of a missing service to run. */
export const ENABLE: Record<Service, string> = {
  browser: 'installing Chromium (apt-get install chromium) or setting CHROMIUM_PATH to its executable',
  postgres: 'starting PostgreSQL at 127.0.0.1:5432 (user postgres, database test) or setting TEST_DATABASE_URL',
  redis: 'starting Redis at 127.0.0.1:6379 or setting TEST_REDIS_URL',
};

export const LABEL: Record<Service, string> = { browser: 'Chromium', postgres: 'PostgreSQL', redis: 'Redis' };

/** A probe gives up after this long: an unreachable service must not slow the run down. */
const PROBE_TIMEOUT_MS = 1_500;

function isExecutableFile(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/**
 * The Chromium to drive: CHROMIUM_PATH when set (and then only it, so a machine that has one can
 * still be told to run without), else /usr/bin/chromium, else `chromium` or `chromium-browser` on PATH.
 */
export function findChromium(env: NodeJS.ProcessEnv = process.env, usual = '/usr/bin/chromium'): Probe {
  if (env.CHROMIUM_PATH !== undefined) {
    const at = env.CHROMIUM_PATH;
    return isExecutableFile(at) ? { ok: true, at } : { ok: false, at, reason: `CHROMIUM_PATH=${at} is not an executable file` };
  }
  const candidates = [usual];
  for (const dir of (env.PATH ?? '').split(delimiter).filter(Boolean)) {
    candidates.push(join(dir, 'chromium'), join(dir, 'chromium-browser'));
  }
  const found = candidates.find(isExecutableFile);
  return found ? { ok: true, at: found } : { ok: false, at: '', reason: `no executable chromium at ${usual} or on PATH` };
}

export async function probePostgres(url: string): Promise<Probe> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: PROBE_TIMEOUT_MS });
  // A refused connection may also arrive as an 'error' event; without a listener it would crash the run.
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('SELECT 1');
    return { ok: true, at: url };
  } catch (err) {
    return { ok: false, at: url, reason: `${url} cannot be reached (${describeError(err)})` };
  } finally {
    await client.end().catch(() => undefined);
  }
}

export async function probeRedis(url: string): Promise<Probe> {
  // No retries and no offline queue: one attempt, answered or refused within the timeout.
  const redis = new Redis(url, {
    lazyConnect: true,
    connectTimeout: PROBE_TIMEOUT_MS,
    commandTimeout: PROBE_TIMEOUT_MS,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => null,
  });
  // connect() rejects with "Connection is closed"; the 'error' event has the cause (ECONNREFUSED, ...).
  let cause: unknown;
  redis.on('error', (err) => (cause ??= err));
  try {
    await redis.connect();
    await redis.ping();
    return { ok: true, at: url };
  } catch (err) {
    return { ok: false, at: url, reason: `${url} cannot be reached (${describeError(cause ?? err)})` };
  } finally {
    redis.disconnect();
  }
}

function describeError(err: unknown): string {
  if (err instanceof AggregateError && err.errors.length > 0) return describeError(err.errors[0]);
  if (err instanceof Error) return err.message || (err as NodeJS.ErrnoException).code || err.name;
  return String(err);
}

/** CI=true (or any value but "", "0", "false"): nothing may be skipped. */
export function isCi(env: NodeJS.ProcessEnv = process.env): boolean {
  const v = (env.CI ?? '').trim().toLowerCase();
  return v !== '' && v !== '0' && v !== 'false';
}

/** Chromium, PostgreSQL and Redis as this run's environment names them (TEST_DATABASE_URL, TEST_REDIS_URL, CHROMIUM_PATH). */
export async function probeAll(urls: { postgres: string; redis: string }, env: NodeJS.ProcessEnv = process.env): Promise<Probes> {
  const [postgres, redis] = await Promise.all([probePostgres(urls.postgres), probeRedis(urls.redis)]);
  return { browser: findChromium(env), postgres, redis };
}

/** With CI=true a missing service is an error that names it and how to provide it; otherwise undefined. */
export function ciFailure(probes: Probes, env: NodeJS.ProcessEnv = process.env): Error | undefined {
  const missing = SERVICES.filter((s) => !probes[s].ok);
  if (missing.length === 0 || !isCi(env)) return undefined;
  const lines = missing.map((s) => `  ${LABEL[s]}: ${probes[s].reason} — provide it by ${ENABLE[s]}`);
  return new Error(`CI=true: every suite must run, but ${missing.map((s) => LABEL[s]).join(', ')} cannot be used:\n${lines.join('\n')}`);
}

/** The closing lines of a run: one per missing service, saying which suites were skipped, why, and how to enable them. */
export function skipSummary(probes: Probes, skippedSuites: Map<Service, string[]>): string[] {
  const lines: string[] = [];
  for (const s of SERVICES) {
    const p = probes[s];
    if (p.ok) continue;
    const suites = skippedSuites.get(s) ?? [];
    const which = suites.length > 0 ? `${suites.length} suite${suites.length === 1 ? '' : 's'} needing ${LABEL[s]} (${suites.join('; ')})` : `suites needing ${LABEL[s]}`;
    lines.push(`skipped: ${which} because ${p.reason} — enable by ${ENABLE[s]}`);
  }
  return lines;
}

declare module 'vitest' {
  export interface ProvidedContext {
    /** What global-setup.ts found. */
    testServices: Probes;
    /** A file the workers append "service<TAB>suite" to when they skip a suite, for the closing lines. */
    testSkipLog: string;
  }
}
