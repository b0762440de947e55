import type { Redis } from 'ioredis';
import { RateLimiterRedis } from 'rate-limiter-flexible';
import type { LimiterFactory } from '../../platform/rate-limits.js';

/** `prefix` keeps the counts of deployments (or test runs) sharing one Redis apart. */
export const redisLimiters =
  (redis: Redis, prefix = 'tc:rl'): LimiterFactory =>
  (o) =>
    new RateLimiterRedis({ storeClient: redis, keyPrefix: `${prefix}:${o.keyPrefix}`, points: o.points, duration: o.durationSeconds });
