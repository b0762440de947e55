import type { Redis } from 'ioredis';
import { systemClock, type Clock } from '../../platform/clock.js';

/** How often the offset to Redis's clock is measured again (clocks drift slowly; NTP steps are rare). */
const RESYNC_MS = 10_000;

/**
 * This instance's reading of Redis's clock: the local clock corrected by the offset last measured
 * against Redis TIME (to within half a round trip). With several instances, the waiting room's
 * scripts read TIME themselves; this clock lets everything else that meets their times (hold and
 * order deadlines in the database, the release job, the sale's opening) count on the same clock,
 * so an instance whose own clock is off neither frees nor sells a seat early.
 */
export class RedisClock implements Clock {
  private offset = 0;
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly redis: Redis,
    private readonly local: Clock = systemClock,
    private readonly onError: (err: unknown) => void = () => undefined,
  ) {}

  /** Measures the offset now; call once before serving. */
  async sync(): Promise<void> {
    const before = this.local.now();
    const [s, us] = await this.redis.time();
    const after = this.local.now();
    this.offset = Number(s) * 1000 + Math.floor(Number(us) / 1000) - (before + after) / 2;
  }

  /** Keeps measuring in the background; a failed measurement keeps the last offset. */
  start(): void {
    this.timer ??= setInterval(() => void this.sync().catch(this.onError), RESYNC_MS);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  now(): number {
    return Math.round(this.local.now() + this.offset);
  }
}
