import type { WaitlistEntry } from '../../../shared/api.js';
import type { Queryable } from '../../platform/database.js';

export interface EntryRow {
  user_id: string;
  quantity: number;
  state: WaitlistEntry['state'] | 'left';
  joined_at: Date;
  offer_expires_at: Date | null;
  position: number | null;
}

const ENTRY_SELECT = `
  SELECT w.user_id, w.quantity, w.state, w.joined_at, w.offer_expires_at,
         CASE WHEN w.state = 'waiting' THEN (SELECT count(*)::int + 1 FROM waitlist_entries o
                WHERE o.show_id = w.show_id AND o.state = 'waiting' AND (o.joined_at, o.user_id) < (w.joined_at, w.user_id)) END AS position
    FROM waitlist_entries w`;

/**
 * The waitlist_entries table: every statement on it is a named step here, run on the handle the
 * repository was made with (the database, or the transaction of an offer).
 */
export class WaitlistEntriesRepository {
  constructor(private readonly q: Queryable) {}

  /** The account's entry of the show, with its place in the list while waiting. */
  async find(showId: string, userId: string): Promise<EntryRow | undefined> {
    const { rows } = await this.q.query<EntryRow>(`${ENTRY_SELECT} WHERE w.show_id = $1 AND w.user_id = $2`, [showId, userId]);
    return rows[0];
  }

  /** Joins (or joins again, or changes the quantity of) the list; an entry with an offer stays as it is. A waiting entry keeps its place. */
  async join(showId: string, userId: string, quantity: number, now: Date): Promise<void> {
    await this.q.query(
      `INSERT INTO waitlist_entries (show_id, user_id, quantity, state, joined_at) VALUES ($1, $2, $3, 'waiting', $4)
       ON CONFLICT (show_id, user_id) DO UPDATE
         SET quantity = EXCLUDED.quantity,
             joined_at = CASE WHEN waitlist_entries.state = 'waiting' THEN waitlist_entries.joined_at ELSE EXCLUDED.joined_at END,
             state = 'waiting', offer_admission_id = NULL, offer_expires_at = NULL
         WHERE waitlist_entries.state <> 'offered'`,
      [showId, userId, quantity, now],
    );
  }

  /** Leaves the list; the admission of an offer the fan had is returned (its places go to the next). */
  async leave(showId: string, userId: string): Promise<{ offerAdmissionId: string | null } | undefined> {
    const { rows } = await this.q.query<{ offer_admission_id: string | null }>(
      `UPDATE waitlist_entries w SET state = 'left'
         FROM (SELECT show_id, user_id, state, offer_admission_id FROM waitlist_entries WHERE show_id = $1 AND user_id = $2 FOR UPDATE) old
        WHERE w.show_id = old.show_id AND w.user_id = old.user_id AND old.state IN ('waiting', 'offered')
        RETURNING CASE WHEN old.state = 'offered' THEN old.offer_admission_id END AS offer_admission_id`,
      [showId, userId],
    );
    return rows[0] ? { offerAdmissionId: rows[0].offer_admission_id } : undefined;
  }

  /** The console's list: every entry that has not left, in the order of the list, with the fan's name and email. */
  async list(showId: string): Promise<(EntryRow & { name: string; email: string })[]> {
    const { rows } = await this.q.query<EntryRow & { name: string; email: string }>(
      `SELECT x.*, u.name, u.email FROM (${ENTRY_SELECT} WHERE w.show_id = $1 AND w.state <> 'left') x
         JOIN users u ON u.id = x.user_id ORDER BY x.joined_at, x.user_id`,
      [showId],
    );
    return rows;
  }

  /**
   * Settles offers (of one show, or of all with null): bought ones (a paid, or since refunded, order
   * of the offer's admission) become purchased; those whose window passed, or whose places the fan
   * let go (a cancelled checkout), lapse. Reads orders and show_seats, writes only this table.
   */
  async settle(showId: string | null, now: Date): Promise<void> {
    const bought = `EXISTS (SELECT 1 FROM orders o WHERE o.show_id = w.show_id AND o.user_id = w.user_id
                              AND o.admission_id = w.offer_admission_id AND o.status IN ('paid', 'refunded'))`;
    const stillHeld = `EXISTS (SELECT 1 FROM show_seats ss WHERE ss.show_id = w.show_id AND ss.holder_id = w.user_id
                                 AND ss.admission_id = w.offer_admission_id AND ss.status IN ('selected', 'locked') AND ss.hold_expires_at > $2)`;
    await this.q.query(
      `UPDATE waitlist_entries w SET state = CASE WHEN ${bought} THEN 'purchased' ELSE 'lapsed' END
        WHERE w.state = 'offered' AND ($1::uuid IS NULL OR w.show_id = $1::uuid)
          AND (w.offer_expires_at <= $2 OR ${bought} OR NOT ${stillHeld})`,
      [showId, now],
    );
  }

  /** Shows with anyone waiting. */
  async showsWithWaiting(): Promise<string[]> {
    const { rows } = await this.q.query<{ show_id: string }>(`SELECT DISTINCT show_id FROM waitlist_entries WHERE state = 'waiting'`);
    return rows.map((r) => r.show_id);
  }

  /** The first waiting entries (at most 100) that want no more than `most` places, in the order of the list. */
  async firstWaiting(showId: string, most: number): Promise<{ user_id: string; quantity: number }[]> {
    const { rows } = await this.q.query<{ user_id: string; quantity: number }>(
      `SELECT user_id, quantity FROM waitlist_entries WHERE show_id = $1 AND state = 'waiting' AND quantity <= $2
        ORDER BY joined_at, user_id LIMIT 100`,
      [showId, most],
    );
    return rows;
  }

  /** One offer of a show at a time, whichever instance makes it (inside the offer's transaction). */
  async lockShow(showId: string): Promise<void> {
    await this.q.query(`SELECT pg_advisory_xact_lock(hashtext('waitlist:' || $1::uuid::text))`, [showId]);
  }

  /** Locks the entry for the offer's transaction; its state (undefined: no entry). */
  async lockEntry(showId: string, userId: string): Promise<string | undefined> {
    const { rows } = await this.q.query<{ state: string }>(`SELECT state FROM waitlist_entries WHERE show_id = $1 AND user_id = $2 FOR UPDATE`, [
      showId,
      userId,
    ]);
    return rows[0]?.state;
  }

  /** The entry has an offer: places held for that admission until `expiresAt`. */
  async markOffered(showId: string, userId: string, admissionId: string, expiresAt: Date): Promise<void> {
    await this.q.query(`UPDATE waitlist_entries SET state = 'offered', offer_admission_id = $3, offer_expires_at = $4 WHERE show_id = $1 AND user_id = $2`, [
      showId,
      userId,
      admissionId,
      expiresAt,
    ]);
  }

  /** Marks a savepoint of the offer's transaction (one try of one area), and goes back to it. */
  async savepoint(name: string): Promise<void> {
    await this.q.query(`SAVEPOINT ${name}`);
  }

  async rollbackTo(name: string): Promise<void> {
    await this.q.query(`ROLLBACK TO SAVEPOINT ${name}`);
  }
}
