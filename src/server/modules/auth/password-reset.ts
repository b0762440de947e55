import { RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { Clock } from '../../platform/clock.js';
import type { Database } from '../../platform/database.js';
import { AppError } from '../../platform/errors.js';
import { outbox } from '../mail/outbox.js';
import type { AuthService } from './auth-service.js';
import { PasswordResetsRepository } from './password-resets-repository.js';
import { hashToken, newToken } from './sessions.js';
import { UsersRepository } from './users-repository.js';

/** How long an emailed reset link works. */
export const RESET_VALID_MINUTES = 60;

/**
 * "Forgot password": a single-use, expiring link by email. Asking says nothing about whether the
 * email has an account; only the token's hash is stored; using it ends every session of the account.
 */
export class PasswordResets {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly auth: AuthService,
    private readonly limits: { perIp: RateLimiterAbstract; perEmail: RateLimiterAbstract },
  ) {}

  /** Emails a reset link if an account has this email; the caller answers 202 either way. */
  async request(email: string, ip: string): Promise<void> {
    try {
      await this.limits.perIp.consume(ip);
    } catch (e) {
      if (!(e instanceof RateLimiterRes)) throw e;
      throw new AppError('RATE_LIMITED', undefined, { retryAfterSeconds: Math.max(1, Math.ceil(e.msBeforeNext / 1000)) });
    }
    const user = await new UsersRepository(this.db).byEmail(email.trim());
    if (!user) return;
    try {
      // Someone filling another person's inbox: quietly nothing more (a refusal would tell the email has an account).
      await this.limits.perEmail.consume(user.id);
    } catch (e) {
      if (!(e instanceof RateLimiterRes)) throw e;
      return;
    }
    const token = newToken();
    const now = new Date(this.clock.now());
    await this.db.transaction(async (tx) => {
      await new PasswordResetsRepository(tx).create({
        tokenHash: hashToken(token),
        userId: user.id,
        now,
        expiresAt: new Date(now.getTime() + RESET_VALID_MINUTES * 60_000),
      });
      await outbox.enqueue(tx, { kind: 'password-reset', userId: user.id, payload: { userId: user.id, token, validMinutes: RESET_VALID_MINUTES }, now });
    });
  }

  /** Sets the new password if the token is unused and in time; the one conditional UPDATE makes it single use. */
  async confirm(token: string, password: string): Promise<void> {
    const now = new Date(this.clock.now());
    const changed = await this.auth.replacePassword(password, async (tx) => {
      const resets = new PasswordResetsRepository(tx);
      const userId = await resets.use(hashToken(token), now);
      // The account's other links (asked for twice, say) stop working too.
      if (userId) await resets.retireAllOf(userId, now);
      return userId;
    });
    if (!changed) throw new AppError('RESET_TOKEN_INVALID');
  }
}
