import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Jobs } from '../../src/server/platform/jobs.js';

/** A promise the test resolves when it chooses. */
function gate(): { promise: Promise<void>; open(): void } {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

describe('the job registry', () => {
  beforeEach(() => void vi.useFakeTimers());
  afterEach(() => void vi.useRealTimers());

  it('when a run outlasts its interval, then no second run of that job starts until it ends', async () => {
    const jobs = new Jobs(() => undefined);
    const slow = gate();
    let runs = 0;
    jobs.every({ name: 'slow', everyMs: 1_000, run: () => (runs++, slow.promise) });
    jobs.start();
    await vi.advanceTimersByTimeAsync(5_000);
    expect(runs).toBe(1);
    slow.open();
    await vi.advanceTimersByTimeAsync(1_000);
    expect(runs).toBe(2);
    await jobs.stop();
  });

  it('when a job is marked atStart, then it runs at once; others wait for their first interval', async () => {
    const jobs = new Jobs(() => undefined);
    const seen: string[] = [];
    jobs.every({ name: 'later', everyMs: 1_000, run: async () => void seen.push('later') });
    jobs.every({ name: 'now', everyMs: 5_000, run: async () => void seen.push('now'), atStart: true });
    jobs.start();
    expect(seen).toEqual(['now']);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(seen).toEqual(['now', 'later']);
    await jobs.stop();
  });

  it('when a run fails, then the error is reported with the job name and the job keeps its schedule', async () => {
    const errors: [unknown, string][] = [];
    const jobs = new Jobs((err, name) => errors.push([err, name]));
    let runs = 0;
    jobs.every({ name: 'flaky', everyMs: 1_000, run: async () => {
      runs++;
      throw new Error('boom');
    } });
    jobs.start();
    await vi.advanceTimersByTimeAsync(2_000);
    expect(runs).toBe(2);
    expect(errors.map(([e, n]) => [(e as Error).message, n])).toEqual([['boom', 'flaky'], ['boom', 'flaky']]);
    await jobs.stop();
  });

  it('when stopped, then the timers stop, what keeps its own timers is stopped, and stop waits for a run in progress', async () => {
    const jobs = new Jobs(() => undefined);
    const running = gate();
    let runs = 0;
    jobs.every({ name: 'long', everyMs: 1_000, run: () => (runs++, running.promise) });
    const heartbeat = { start: vi.fn(), stop: vi.fn() };
    jobs.alongside(heartbeat);
    jobs.start();
    expect(heartbeat.start).toHaveBeenCalledOnce();
    await vi.advanceTimersByTimeAsync(1_000);
    let stopped = false;
    const stopping = jobs.stop().then(() => (stopped = true));
    expect(heartbeat.stop).toHaveBeenCalledOnce();
    await vi.advanceTimersByTimeAsync(0);
    expect(stopped).toBe(false);
    running.open();
    await stopping;
    await vi.advanceTimersByTimeAsync(5_000);
    expect(runs).toBe(1);
  });
});
