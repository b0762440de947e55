import type { RateLimiterAbstract } from 'rate-limiter-flexible';
import { AppError } from '../../platform/errors.js';

/**
 * Failed logins are counted per email and per IP; past either limit every attempt is refused
 * with 429 until the window passes, so a password cannot be guessed by brute force.
 */
export class LoginLimiter {
  constructor(
    private readonly perEmail: RateLimiterAbstract,
    private readonly perIp: RateLimiterAbstract,
  ) {}

  async check(email: string, ip: string): Promise<void> {
    const [e, i] = await Promise.all([this.perEmail.get(key(email)), this.perIp.get(ip)]);
    const over = [e, i].find((r) => r && r.consumedPoints >= limitOf(r === e ? this.perEmail : this.perIp));
    if (over) throw new AppError('RATE_LIMITED', undefined, { retryAfterSeconds: Math.ceil(over.msBeforeNext / 1000) });
  }

  async failed(email: string, ip: string): Promise<void> {
    await Promise.all([this.perEmail.penalty(key(email), 1), this.perIp.penalty(ip, 1)]);
  }

  async succeeded(email: string, _ip: string): Promise<void> {
    await this.perEmail.delete(key(email));
  }
}

const key = (email: string): string => email.trim().toLowerCase();
const limitOf = (l: RateLimiterAbstract): number => l.points;
