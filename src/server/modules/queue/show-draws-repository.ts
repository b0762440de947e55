import type { Queryable } from '../../platform/database.js';

export interface DrawRow {
  seed: Buffer | Uint8Array;
  commitment: string;
  drawn_at: Date | null;
  drawn_entries: string[] | null;
}

/**
 * The show_draws table: one row per show with a pre-queue (its seed, the published commitment, and
 * once claimed the drawn order). Every statement on it is a named step here.
 */
export class ShowDrawsRepository {
  constructor(private readonly q: Queryable) {}

  /** Makes the show's draw with this seed, unless it has one (whoever comes first makes the only one). */
  async ensure(showId: string, seed: Buffer, commitment: string): Promise<void> {
    await this.q.query(`INSERT INTO show_draws (show_id, seed, commitment) VALUES ($1, $2, $3) ON CONFLICT (show_id) DO NOTHING`, [showId, seed, commitment]);
  }

  async get(showId: string): Promise<DrawRow | undefined> {
    const { rows } = await this.q.query<DrawRow>(`SELECT seed, commitment, drawn_at, drawn_entries FROM show_draws WHERE show_id = $1`, [showId]);
    return rows[0];
  }

  /**
   * Whether the draw is claimed (undefined: no draw), holding its row FOR SHARE until the
   * transaction ends: an entry or withdrawal made under it lands before the claim, or sees it.
   */
  async claimedUnderShare(showId: string): Promise<boolean | undefined> {
    const { rows } = await this.q.query<{ drawn_at: Date | null }>(`SELECT drawn_at FROM show_draws WHERE show_id = $1 FOR SHARE`, [showId]);
    return rows[0] ? rows[0].drawn_at !== null : undefined;
  }

  /** The seed of a draw not claimed yet, its row locked FOR UPDATE until the transaction ends (undefined: claimed, or none). */
  async lockUnclaimed(showId: string): Promise<Buffer | undefined> {
    const { rows } = await this.q.query<{ seed: Buffer | Uint8Array }>(`SELECT seed FROM show_draws WHERE show_id = $1 AND drawn_at IS NULL FOR UPDATE`, [showId]);
    return rows[0] ? Buffer.from(rows[0].seed) : undefined;
  }

  /**
   * Writes the drawn order, if the draw is not claimed yet. The lists go as comma-joined texts
   * (neither an entry id nor a uuid holds a comma): 100,000 entries as array parameters took the
   * driver 50-100 ms to quote element by element.
   */
  async markDrawn(showId: string, now: Date, users: string[], entries: string[]): Promise<void> {
    await this.q.query(
      `UPDATE show_draws SET drawn_at = $2, drawn_users = string_to_array($3, ',')::uuid[], drawn_entries = string_to_array($4, ',')
        WHERE show_id = $1 AND drawn_at IS NULL`,
      [showId, now, users.join(','), entries.join(',')],
    );
  }

  async drawnUsers(showId: string): Promise<{ drawn_users: string[] | null; moved_at: Date | null } | undefined> {
    const { rows } = await this.q.query<{ drawn_users: string[] | null; moved_at: Date | null }>(`SELECT drawn_users, moved_at FROM show_draws WHERE show_id = $1`, [
      showId,
    ]);
    return rows[0];
  }

  /** Every drawn entry is in line. */
  async markMoved(showId: string, now: Date): Promise<void> {
    await this.q.query(`UPDATE show_draws SET moved_at = $2 WHERE show_id = $1 AND moved_at IS NULL`, [showId, now]);
  }

  async isMoved(showId: string): Promise<boolean> {
    const { rows } = await this.q.query(`SELECT 1 FROM show_draws WHERE show_id = $1 AND moved_at IS NOT NULL`, [showId]);
    return rows.length > 0;
  }

  /** Shows on sale whose draw is not all in line yet, and the nearest sale opening with a pre-queue still to come. */
  async due(now: Date): Promise<{ due: string[]; next: Date | null }> {
    const { rows } = await this.q.query<{ id: string }>(
      `SELECT s.id FROM shows s LEFT JOIN show_draws d ON d.show_id = s.id
        WHERE s.on_sale_at <= $1 AND s.starts_at > $1 AND d.moved_at IS NULL
          AND (s.queue_opens_at < s.on_sale_at OR d.show_id IS NOT NULL)
        ORDER BY s.on_sale_at`,
      [now],
    );
    const { rows: next } = await this.q.query<{ at: Date | null }>(`SELECT min(on_sale_at) AS at FROM shows WHERE on_sale_at > $1 AND queue_opens_at < on_sale_at`, [
      now,
    ]);
    return { due: rows.map((r) => r.id), next: next[0]?.at ?? null };
  }
}
