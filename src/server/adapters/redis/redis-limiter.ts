import type { Redis } from 'ioredis';
import { RateLimiterRedis } from 'rate-limiter-flexible';
import type { LimiterFactory } from '../../platform/rate-limits.js';

export const redisLimiters =
  (redis: Redis): LimiterFactory =>
  (o) =>
    new RateLimiterRedis({ storeClient: redis, keyPrefix: `tc:rl:${o.keyPrefix}`, points: o.points, duration: o.durationSeconds });
