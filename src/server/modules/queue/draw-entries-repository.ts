import type { Queryable } from '../../platform/database.js';

/** The draw_entries table (one entry per account and show): every statement on it is a named step here. */
export class DrawEntriesRepository {
  constructor(private readonly q: Queryable) {}

  /** Enters the account with this entry id, or keeps its entry (seen now); returns the entry id. */
  async enter(showId: string, userId: string, entryId: string, now: Date): Promise<string> {
    const { rows } = await this.q.query<{ entry_id: string }>(
      `INSERT INTO draw_entries (show_id, user_id, entry_id, entered_at, seen_at) VALUES ($1, $2, $3, $4, $4)
         ON CONFLICT (show_id, user_id) DO UPDATE SET seen_at = greatest(draw_entries.seen_at, EXCLUDED.seen_at)
       RETURNING entry_id`,
      [showId, userId, entryId, now],
    );
    return rows[0]!.entry_id;
  }

  async count(showId: string): Promise<number> {
    const { rows } = await this.q.query<{ n: number }>(`SELECT count(*)::int AS n FROM draw_entries WHERE show_id = $1`, [showId]);
    return rows[0]!.n;
  }

  /** Entries per show of draws not claimed yet (only these shows, unless null); shows without entries are left out. */
  async countsUndrawn(showIds: string[] | null): Promise<{ show_id: string; n: number }[]> {
    const { rows } = await this.q.query<{ show_id: string; n: number }>(
      `SELECT e.show_id, count(*)::int AS n
         FROM draw_entries e JOIN show_draws d ON d.show_id = e.show_id AND d.drawn_at IS NULL
        WHERE $1::uuid[] IS NULL OR e.show_id = ANY($1::uuid[])
        GROUP BY e.show_id`,
      [showIds],
    );
    return rows;
  }

  /**
   * Every entry of the show: entry ids and their accounts, position by position. Read as two
   * comma-joined texts in one row, not a row per entry (100,000 rows took the claim 80 ms to read):
   * neither an entry id (base64url) nor a uuid holds a comma.
   */
  async all(showId: string): Promise<{ entryIds: string[]; userIds: string[] }> {
    const { rows } = await this.q.query<{ entries: string | null; users: string | null }>(
      `SELECT string_agg(entry_id, ',') AS entries, string_agg(user_id::text, ',') AS users FROM draw_entries WHERE show_id = $1`,
      [showId],
    );
    const split = (s: string | null | undefined) => (s ? s.split(',') : []);
    return { entryIds: split(rows[0]?.entries), userIds: split(rows[0]?.users) };
  }

  /** These accounts' entries in a draw not claimed yet, each with the number of entries (one query for the batch). */
  async ofUsersUndrawn(showId: string, userIds: string[]): Promise<{ user_id: string; entry_id: string; n: number }[]> {
    const { rows } = await this.q.query<{ user_id: string; entry_id: string; n: number }>(
      `SELECT e.user_id, e.entry_id, (SELECT count(*)::int FROM draw_entries c WHERE c.show_id = $1) AS n
         FROM draw_entries e JOIN show_draws d ON d.show_id = e.show_id AND d.drawn_at IS NULL
        WHERE e.show_id = $1 AND e.user_id = ANY($2::uuid[])`,
      [showId, userIds],
    );
    return rows;
  }

  async withdraw(showId: string, userId: string): Promise<boolean> {
    const { rowCount } = await this.q.query(`DELETE FROM draw_entries WHERE show_id = $1 AND user_id = $2`, [showId, userId]);
    return rowCount > 0;
  }

  /** Presence: these accounts' entries are watched now. */
  async touch(showId: string, userIds: string[], now: Date): Promise<void> {
    await this.q.query(`UPDATE draw_entries SET seen_at = greatest(seen_at, $3) WHERE show_id = $1 AND user_id = ANY($2::uuid[])`, [showId, userIds, now]);
  }

  /** Shows of undrawn draws with an entry not watched since `before`. */
  async showsWithAbsent(before: Date): Promise<string[]> {
    const { rows } = await this.q.query<{ show_id: string }>(
      `SELECT DISTINCT e.show_id FROM draw_entries e JOIN show_draws d ON d.show_id = e.show_id AND d.drawn_at IS NULL WHERE e.seen_at < $1`,
      [before],
    );
    return rows.map((r) => r.show_id);
  }

  /** Removes the show's entries not watched since `before`; returns their accounts. */
  async removeAbsent(showId: string, before: Date): Promise<string[]> {
    const { rows } = await this.q.query<{ user_id: string }>(`DELETE FROM draw_entries WHERE show_id = $1 AND seen_at < $2 RETURNING user_id`, [showId, before]);
    return rows.map((r) => r.user_id);
  }
}
