import type { FastifyRequest, preValidationAsyncHookHandler } from 'fastify';
import { RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { AppError } from './errors.js';

export interface LimiterOptions {
  keyPrefix: string;
  points: number;
  durationSeconds: number;
}

/** Builds rate limiters on the configured store: in process, or Redis so all instances share counts. */
export type LimiterFactory = (opts: LimiterOptions) => RateLimiterAbstract;

/**
 * A route's rate limit: each request takes one of `points` per `durationSeconds` for its key; past
 * the limit, 429 RATE_LIMITED with retry-after. The route lists it as its preValidation (no points: no
 * limit, an empty list): it runs before the request is validated, so a malformed request counts as
 * much as a good one and a 429 comes before any 400. A request without a key (no account yet) takes
 * nothing: the route's access check (config.access, right after) answers 401.
 */
export function rateLimit(
  limiters: LimiterFactory,
  opts: LimiterOptions,
  keyOf: (req: FastifyRequest) => string | undefined | Promise<string | undefined>,
): preValidationAsyncHookHandler[] {
  if (opts.points <= 0) return [];
  const limiter = limiters(opts);
  return [
    async (req) => {
      const key = await keyOf(req);
      if (key !== undefined) await consume(limiter, key);
    },
  ];
}

async function consume(limiter: RateLimiterAbstract, key: string): Promise<void> {
  try {
    await limiter.consume(key);
  } catch (e) {
    if (!(e instanceof RateLimiterRes)) throw e;
    throw new AppError('RATE_LIMITED', undefined, { retryAfterSeconds: Math.max(1, Math.ceil(e.msBeforeNext / 1000)) });
  }
}
