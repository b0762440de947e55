import type { Clock } from '../clock.js';

export interface HealthOptions {
  /** A probe's answer is reused for this long (ms): load balancers and fans' retries poll hard. */
  maxAgeMs?: number;
  /** A probe that has not answered by then counts as failed (ms): an unreachable database hangs rather than refuses. */
  timeoutMs?: number;
}

export type Health = { ok: true } | { ok: false; error: unknown };

/**
 * Whether this instance can serve: the database and the queue store answer. At most one probe
 * runs at a time and its answer stands for `maxAgeMs` from when it began, so a thousand health
 * calls a second cost one probe a second, and a database that went down is reported within
 * `maxAgeMs` (plus the probe's own time, at most `timeoutMs`).
 */
export class HealthCheck {
  private last?: { startedAt: number; health: Health };
  private running?: Promise<Health>;
  private readonly maxAgeMs: number;
  private readonly timeoutMs: number;

  constructor(
    private readonly probe: () => Promise<unknown>,
    private readonly clock: Clock,
    o: HealthOptions = {},
    /** Once per failed probe, not per caller: an outage must not flood the log. */
    private readonly onFailure: (error: unknown) => void = () => undefined,
  ) {
    this.maxAgeMs = o.maxAgeMs ?? 1_000;
    this.timeoutMs = o.timeoutMs ?? 2_000;
  }

  check(): Promise<Health> {
    const now = this.clock.now();
    if (this.last && now - this.last.startedAt >= 0 && now - this.last.startedAt < this.maxAgeMs) return Promise.resolve(this.last.health);
    return (this.running ??= this.run(now));
  }

  private async run(startedAt: number): Promise<Health> {
    let timer: NodeJS.Timeout | undefined;
    let health: Health;
    try {
      await Promise.race([
        this.probe(),
        // Timers run before the sockets are read: after a busy stretch of this process, an answer
        // already received is read (the setImmediate comes after that) before the probe counts as failed.
        new Promise((_, reject) => (timer = setTimeout(() => setImmediate(() => reject(new Error(`no answer within ${this.timeoutMs} ms`))), this.timeoutMs))),
      ]);
      health = { ok: true };
    } catch (error) {
      health = { ok: false, error };
      this.onFailure(error);
    } finally {
      clearTimeout(timer);
    }
    this.last = { startedAt, health };
    this.running = undefined;
    return health;
  }
}
