import type { RateLimiterAbstract } from 'rate-limiter-flexible';

export interface LimiterOptions {
  keyPrefix: string;
  points: number;
  durationSeconds: number;
}

/** Builds rate limiters on the configured store: in process, or Redis so all instances share counts. */
export type LimiterFactory = (opts: LimiterOptions) => RateLimiterAbstract;
