import { RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { AppError } from '../../platform/errors.js';

/**
 * Failed logins are counted per email and per IP; past either limit every attempt is refused
 * with 429 until the window passes, so a password cannot be guessed by brute force.
 *
 * An attempt takes its point before the password is checked (and a success gives it back):
 * counting only after a slow argon2 check let a burst of concurrent guesses all pass the limit.
 */
export class LoginLimiter {
  constructor(
    private readonly perEmail: RateLimiterAbstract,
    private readonly perIp: RateLimiterAbstract,
  ) {}

  /** Counts an attempt as a failure until it succeeds; throws RATE_LIMITED past either limit. */
  async begin(email: string, ip: string): Promise<void> {
    const [e, i] = await Promise.allSettled([this.perEmail.consume(key(email)), this.perIp.consume(ip)]);
    if (e.status === 'fulfilled' && i.status === 'fulfilled') return;
    // The attempt is not made: the limiter that let it through gets its point back.
    if (e.status === 'fulfilled') await this.perEmail.reward(key(email));
    if (i.status === 'fulfilled') await this.perIp.reward(ip);
    const reasons = [e, i].flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []));
    const storeError = reasons.find((r) => !(r instanceof RateLimiterRes));
    if (storeError) throw storeError;
    const waitMs = Math.max(...reasons.map((r) => (r as RateLimiterRes).msBeforeNext));
    throw new AppError('RATE_LIMITED', undefined, { retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)) });
  }

  /** The right password: the email's count starts again, and the IP's attempt was no failure. */
  async succeeded(email: string, ip: string): Promise<void> {
    await Promise.all([this.perEmail.delete(key(email)), this.perIp.reward(ip)]);
  }
}

const key = (email: string): string => email.trim().toLowerCase();
