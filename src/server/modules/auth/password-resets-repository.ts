import type { Queryable } from '../../platform/database.js';

/** The password_resets table (tokens stored only as their SHA-256): every statement on it is a named step here. */
export class PasswordResetsRepository {
  constructor(private readonly q: Queryable) {}

  async create(r: { tokenHash: string; userId: string; now: Date; expiresAt: Date }): Promise<void> {
    await this.q.query(`INSERT INTO password_resets (token_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)`, [
      r.tokenHash,
      r.userId,
      r.now,
      r.expiresAt,
    ]);
  }

  /**
   * Uses the link of this token if it is unused and in time: one conditional UPDATE, so of two uses
   * at once exactly one gets the account. Returns the account's id, or null.
   */
  async use(tokenHash: string, now: Date): Promise<string | null> {
    const { rows } = await this.q.query<{ user_id: string }>(
      `UPDATE password_resets SET used_at = $2 WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2 RETURNING user_id`,
      [tokenHash, now],
    );
    return rows[0]?.user_id ?? null;
  }

  /** Every unused link of the account stops working. */
  async retireAllOf(userId: string, now: Date): Promise<void> {
    await this.q.query(`UPDATE password_resets SET used_at = $2 WHERE user_id = $1 AND used_at IS NULL`, [userId, now]);
  }
}
