import { RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { Clock } from '../../platform/clock.js';
import type { Database } from '../../platform/database.js';
import { AppError } from '../../platform/errors.js';
import { outbox } from '../mail/outbox.js';
import type { AuthService } from './auth-service.js';
import { hashToken, newToken } from './sessions.js';

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
    const { rows } = await this.db.query<{ id: string }>(`SELECT id FROM users WHERE lower(email) = lower($1)`, [email.trim()]);
    const user = rows[0];
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
      await tx.query(`INSERT INTO password_resets (token_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)`, [
        hashToken(token),
        user.id,
        now,
        new Date(now.getTime() + RESET_VALID_MINUTES * 60_000),
      ]);
      await outbox.enqueue(tx, { kind: 'password-reset', userId: user.id, payload: { userId: user.id, token, validMinutes: RESET_VALID_MINUTES }, now });
    });
  }

  /** Sets the new password if the token is unused and in time; the one conditional UPDATE makes it single use. */
  async confirm(token: string, password: string): Promise<void> {
    const now = new Date(this.clock.now());
    const changed = await this.auth.replacePassword(password, async (tx) => {
      const { rows } = await tx.query<{ user_id: string }>(
        `UPDATE password_resets SET used_at = $2 WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2 RETURNING user_id`,
        [hashToken(token), now],
      );
      const userId = rows[0]?.user_id ?? null;
      // The account's other links (asked for twice, say) stop working too.
      if (userId) await tx.query(`UPDATE password_resets SET used_at = $2 WHERE user_id = $1 AND used_at IS NULL`, [userId, now]);
      return userId;
    });
    if (!changed) throw new AppError('RESET_TOKEN_INVALID');
  }
}
