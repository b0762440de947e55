import type { Queryable } from '../../platform/database.js';
import type { UserRow } from './users-repository.js';

/** The sessions table (tokens stored only as their SHA-256): every statement on it is a named step here. */
export class SessionsRepository {
  constructor(private readonly q: Queryable) {}

  async create(tokenHash: string, userId: string, expiresAt: Date): Promise<void> {
    await this.q.query(`INSERT INTO sessions (token_hash, user_id, expires_at) VALUES ($1, $2, $3)`, [tokenHash, userId, expiresAt]);
  }

  /** One session per (token hash, account) pair, all ending at `expiresAt`. */
  async createMany(tokenHashes: string[], userIds: string[], expiresAt: Date): Promise<void> {
    await this.q.query(
      `INSERT INTO sessions (token_hash, user_id, expires_at)
         SELECT t, u, $3 FROM unnest($1::text[], $2::uuid[]) AS x(t, u)`,
      [tokenHashes, userIds, expiresAt],
    );
  }

  /** The account of a session that has not expired at `now`, with the session's end. */
  async userOf(tokenHash: string, now: Date): Promise<(UserRow & { session_expires_at: Date }) | undefined> {
    const { rows } = await this.q.query<UserRow & { session_expires_at: Date }>(
      `SELECT u.*, s.expires_at AS session_expires_at FROM sessions s JOIN users u ON u.id = s.user_id
        WHERE s.token_hash = $1 AND s.expires_at > $2`,
      [tokenHash, now],
    );
    return rows[0];
  }

  async delete(tokenHash: string): Promise<void> {
    await this.q.query(`DELETE FROM sessions WHERE token_hash = $1`, [tokenHash]);
  }

  /** Every session of these accounts but `keepTokenHash`; returns the hashes deleted. */
  async deleteOfUsers(userIds: string[], keepTokenHash: string | null): Promise<string[]> {
    const { rows } = await this.q.query<{ token_hash: string }>(
      `DELETE FROM sessions WHERE user_id = ANY($1::uuid[]) AND ($2::text IS NULL OR token_hash <> $2::text) RETURNING token_hash`,
      [userIds, keepTokenHash],
    );
    return rows.map((r) => r.token_hash);
  }
}
