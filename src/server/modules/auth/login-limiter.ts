import { RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { AppError } from '../../platform/errors.js';
import type { LimiterFactory } from '../../platform/rate-limits.js';

/** How the growing per-account delay is scaled; tests shrink it or record it. */
export interface LoginDelay {
  /** Failures of one account (from any address) that cost nothing. */
  freeFailures: number;
  /** The delay at the first failure past the free ones; it doubles with each further failure. */
  baseMs: number;
  /** The ceiling: the owner never waits longer than this for the right password. */
  maxMs: number;
  /** Delayed attempts one instance keeps waiting at once; past it an attempt is 429 (load shedding). */
  maxWaiting: number;
  sleep: (ms: number) => Promise<void>;
}

export const DEFAULT_LOGIN_DELAY: LoginDelay = {
  freeFailures: 5,
  baseMs: 250,
  maxMs: 3_000,
  maxWaiting: 1_000,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

export interface LoginLimiters {
  /** Failures of one email from one address: past the limit that address is refused for that email. */
  perPair: RateLimiterAbstract;
  /** Failures from one address across all emails: past the limit that address is refused. */
  perIp: RateLimiterAbstract;
  /** Failures of one email from anywhere: never refuses, only slows (see LoginDelay). */
  perEmail: RateLimiterAbstract;
}

/** Failed logins allowed per window: per (email, address) and per address (LOGIN_PAIR_RATE_LIMIT, LOGIN_IP_RATE_LIMIT). */
export interface LoginLimits {
  perPair: number;
  perIp: number;
}

const LOGIN_WINDOW_SECONDS = 15 * 60;

/** The three counters of the login limiter, on the configured store. */
export function loginLimiters(limiters: LimiterFactory, limits: LoginLimits): LoginLimiters {
  return {
    perPair: limiters({ keyPrefix: 'login-pair', points: limits.perPair, durationSeconds: LOGIN_WINDOW_SECONDS }),
    perIp: limiters({ keyPrefix: 'login-ip', points: limits.perIp, durationSeconds: LOGIN_WINDOW_SECONDS }),
    // Counts only, never refuses: the count sets the delay.
    perEmail: limiters({ keyPrefix: 'login-email-failures', points: 1_000_000_000, durationSeconds: LOGIN_WINDOW_SECONDS }),
  };
}

/**
 * Guessing is refused per (email, address) and per address, with 429 until the window passes.
 * The account itself is never locked: counting its failures from every address only delays each
 * attempt, up to `maxMs`, so a many-address attack on one account is slowed while the owner's right
 * password from a fresh address still gets in. (A per-email lockout let anyone lock anyone out.)
 *
 * An attempt takes its points before the password is checked (and a success gives them back):
 * counting only after a slow argon2 check let a burst of concurrent guesses all pass the limit, and
 * each attempt of a burst sees the failures of the ones before it, so a burst is slowed too.
 */
export class LoginLimiter {
  private readonly delay: LoginDelay;
  private waiting = 0;

  constructor(
    private readonly limiters: LoginLimiters,
    delay: Partial<LoginDelay> = {},
  ) {
    this.delay = { ...DEFAULT_LOGIN_DELAY, ...delay };
  }

  /** The wait before an attempt when the account has `failures` recent failures (this one included). */
  delayFor(failures: number): number {
    const past = failures - this.delay.freeFailures;
    if (past <= 0) return 0;
    return Math.min(this.delay.maxMs, this.delay.baseMs * 2 ** Math.min(past - 1, 30));
  }

  /**
   * Counts an attempt as a failure until it succeeds; throws RATE_LIMITED when this address is past
   * its limits, and otherwise waits as long as the account's recent failures ask for.
   */
  async begin(email: string, ip: string): Promise<void> {
    const { perPair, perIp, perEmail } = this.limiters;
    const e = key(email);
    const [pair, addr] = await Promise.allSettled([perPair.consume(pairKey(e, ip)), perIp.consume(ip)]);
    if (pair.status === 'rejected' || addr.status === 'rejected') {
      // The attempt is not made: the limiter that let it through gets its point back.
      if (pair.status === 'fulfilled') await perPair.reward(pairKey(e, ip));
      if (addr.status === 'fulfilled') await perIp.reward(ip);
      const reasons = [pair, addr].flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []));
      const storeError = reasons.find((r) => !(r instanceof RateLimiterRes));
      if (storeError) throw storeError;
      throw rateLimited(Math.max(...reasons.map((r) => (r as RateLimiterRes).msBeforeNext)));
    }
    const ms = this.delayFor(await consumedOf(perEmail.consume(e)));
    if (ms === 0) return;
    if (this.waiting >= this.delay.maxWaiting) {
      await this.undo(e, ip);
      throw rateLimited(this.delay.maxMs);
    }
    // Only a timer and the open request are held, for at most maxMs, and at most maxWaiting of them.
    this.waiting++;
    try {
      await this.delay.sleep(ms);
    } finally {
      this.waiting--;
    }
  }

  /** The right password: this email's counts start again, and the address's attempt was no failure. */
  async succeeded(email: string, ip: string): Promise<void> {
    const e = key(email);
    const { perPair, perIp, perEmail } = this.limiters;
    await Promise.all([perPair.delete(pairKey(e, ip)), perIp.reward(ip), perEmail.delete(e)]);
  }

  private async undo(email: string, ip: string): Promise<void> {
    const { perPair, perIp, perEmail } = this.limiters;
    await Promise.all([perPair.reward(pairKey(email, ip)), perIp.reward(ip), perEmail.reward(email)]);
  }
}

const rateLimited = (waitMs: number): AppError =>
  new AppError('RATE_LIMITED', undefined, { retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)) });

/** The failures counted so far; a counter past its (huge) limit still answers how many. */
async function consumedOf(consumed: Promise<RateLimiterRes>): Promise<number> {
  try {
    return (await consumed).consumedPoints;
  } catch (e) {
    if (e instanceof RateLimiterRes) return e.consumedPoints;
    throw e;
  }
}

const key = (email: string): string => email.trim().toLowerCase();
// No address contains '|', so the pair key is unambiguous whatever the email holds.
const pairKey = (email: string, ip: string): string => `${ip}|${email}`;
