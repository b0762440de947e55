import { RateLimiterMemory } from 'rate-limiter-flexible';
import type { LimiterFactory } from '../../platform/rate-limits.js';

export const memoryLimiters: LimiterFactory = (o) =>
  new RateLimiterMemory({ keyPrefix: o.keyPrefix, points: o.points, duration: o.durationSeconds });
