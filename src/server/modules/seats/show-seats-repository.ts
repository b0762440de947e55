import type { Seat } from '../../../shared/api.js';
import type { SeatUpdateEvent } from '../../../shared/realtime.js';
import type { Queryable } from '../../platform/database.js';

/** A committed change of one seat's state, as the seat map hears it. */
export type SeatChange = SeatUpdateEvent;

/** One seat of a show as the seat map shows it (`mine`: held or bought by the asking account). */
export interface SeatRow {
  id: string;
  area_id: string;
  row_number: number;
  seat_number: number;
  status: Seat['status'];
  mine: boolean;
  /** A wheelchair place. */
  accessible: boolean;
}

/** What a claim of several places of one area checks first: its kind, and the account's count against the limit. */
export interface AreaRuleRow {
  kind: 'seated' | 'standing';
  max: number;
  n: number;
}

/** A seat of a seated area as best-available reads it. */
export interface GridRow {
  id: string;
  row: number;
  number: number;
  free: boolean;
}

/** A seat a hold asked for: claimed for the account, or not, with what explains it. */
export interface HeldSeatRow extends SeatRow {
  claimed: boolean;
  /** Not claimed, yet free or its hold ran out: the ticket limit refused it. */
  claimable: boolean;
  /** The account's seats that count towards the limit, and the limit. */
  n: number;
  max: number;
}

/** A seat row as a statement RETURNING show_id, seat_id, area_id gives it back. */
export interface ChangedRow {
  show_id: string;
  seat_id: string;
  area_id: string;
}

const CHANGED = 'RETURNING show_id, seat_id, area_id';

/** Maps rows RETURNING show_id, seat_id, area_id to the changes they describe. */
export const changesOf = (rows: ChangedRow[], status: SeatChange['status']): SeatChange[] =>
  rows.map((r) => ({ showId: r.show_id, areaId: r.area_id, seatId: r.seat_id, status }));

/** What a seat row becomes when it is free again (satisfies the show_seats CHECKs). */
const FREE_SEAT = `status = 'available', holder_id = NULL, hold_expires_at = NULL, order_id = NULL, admission_id = NULL`;

/** A seat anyone may claim at `now`: available, or a hold that ran out. */
const claimable = (now: string, alias = ''): string =>
  `(${alias}status = 'available' OR (${alias}status = 'selected' AND ${alias}hold_expires_at <= ${now}))`;

/**
 * The account's seats that count towards the ticket limit: unexpired holds and checkouts, and
 * sold seats. Shared by the limit check of a claim and by the waiting room's join (and written out
 * again in the one-statement hold of migrations/013, with `claimable`).
 */
const counted = (now: string): string => `(status = 'sold' OR (status IN ('selected', 'locked') AND hold_expires_at > ${now}))`;

/**
 * The show_seats table: the sale state of every seat of every show. Every statement on it is a
 * named step here; a step runs on the handle the repository was made with (the database, or the
 * transaction of a use case that takes several steps at once).
 */
export class ShowSeatsRepository {
  constructor(private readonly q: Queryable) {}

  /**
   * Serialises the changes one account makes to its seats of one show, inside the transaction
   * making them. The ticket limit needs it (parallel holds would each miss the others' claims under
   * READ COMMITTED), and taking it first in every multi-seat change of an account rules out
   * deadlocks between that account's own requests (a double-clicked checkout, a pay racing a leave).
   * The key is built from the uuid values, not the strings given: every spelling of an id (capitals,
   * say) is one show to the seat rows, so it must be one lock too.
   */
  async lockAccount(showId: string, userId: string): Promise<void> {
    await this.q.query(`SELECT pg_advisory_xact_lock(hashtext('seat-holds:' || $1::uuid::text), hashtext($2::uuid::text))`, [showId, userId]);
  }

  /** The seat map of a show (or of one area, or only the account's seats), in the venue's order. A lapsed hold reads as available. */
  async map(showId: string, userId: string, now: Date, areaId: string | null, onlyMine: boolean): Promise<SeatRow[]> {
    const { rows } = await this.q.query<SeatRow>(
      `SELECT ss.seat_id AS id, ss.area_id, s.row_number, s.seat_number, s.accessible,
              CASE WHEN ss.status = 'selected' AND ss.hold_expires_at <= $2 THEN 'available' ELSE ss.status END AS status,
              coalesce(ss.holder_id = $3 AND NOT (ss.status = 'selected' AND ss.hold_expires_at <= $2), false) AS mine
         FROM show_seats ss
         JOIN seats s ON s.id = ss.seat_id
         JOIN areas a ON a.id = ss.area_id
        WHERE ss.show_id = $1 AND ($4::uuid IS NULL OR ss.area_id = $4::uuid)
          AND (NOT $5::boolean OR (ss.holder_id = $3 AND NOT (ss.status = 'selected' AND ss.hold_expires_at <= $2)))
        ORDER BY a.position, s.row_number, s.seat_number`,
      [showId, now, userId, areaId, onlyMine],
    );
    return rows;
  }

  /**
   * Takes the account's seat lock and makes the seat `selected` by the account until `until`, in
   * one statement (migrations/013, `hold_seat`): only if it is claimable and the account stays within
   * the show's ticket limit, counted under the lock. `claimed` says whether it did; when it did not,
   * the row is the seat as it is, with what explains the refusal. Undefined: no such seat in the show.
   */
  async holdSeat(showId: string, seatId: string, userId: string, hold: { now: Date; until: Date; admissionId: string }): Promise<HeldSeatRow | undefined> {
    const { rows } = await this.q.query<HeldSeatRow>(`SELECT * FROM hold_seat($1, $2, $3, $4, $5, $6)`, [showId, seatId, userId, hold.now, hold.until, hold.admissionId]);
    return rows[0];
  }

  /** The area's kind and the account's count against the show's limit (undefined: the area is not on sale for the show). */
  async areaRule(showId: string, areaId: string, userId: string, now: Date): Promise<AreaRuleRow | undefined> {
    const { rows } = await this.q.query<AreaRuleRow>(
      `SELECT a.kind, sh.max_tickets_per_account AS max,
              (SELECT count(*)::int FROM show_seats WHERE show_id = $1 AND holder_id = $3 AND ${counted('$4')}) AS n
         FROM show_prices p JOIN areas a ON a.id = p.area_id JOIN shows sh ON sh.id = p.show_id
        WHERE p.show_id = $1 AND p.area_id = $2`,
      [showId, areaId, userId, now],
    );
    return rows[0];
  }

  /** A seated area's grid, each seat free or not at `now` (for best-available). */
  async grid(showId: string, areaId: string, now: Date): Promise<GridRow[]> {
    const { rows } = await this.q.query<GridRow>(
      `SELECT ss.seat_id AS id, s.row_number AS row, s.seat_number AS number, ${claimable('$3', 'ss.')} AS free
         FROM show_seats ss JOIN seats s ON s.id = ss.seat_id
        WHERE ss.show_id = $1 AND ss.area_id = $2`,
      [showId, areaId, now],
    );
    return rows;
  }

  /**
   * Claims up to `quantity` free places of a standing area for the account's admission, skipping
   * places another claim has locked right now. The UPDATE re-checks each row, so a place is never
   * claimed twice; fewer than `quantity` come back when not enough were free (the caller rolls back).
   */
  async claimStanding(showId: string, areaId: string, userId: string, quantity: number, hold: { now: Date; until: Date; admissionId: string }): Promise<SeatRow[]> {
    return this.claimPlaces(showId, areaId, userId, quantity, null, hold);
  }

  /** Claims exactly these seats (a best-available block) for the account's admission; those claimed come back (fewer: part was taken). */
  async claimBlock(showId: string, areaId: string, userId: string, seatIds: string[], hold: { now: Date; until: Date; admissionId: string }): Promise<SeatRow[]> {
    return this.claimPlaces(showId, areaId, userId, seatIds.length, seatIds, hold);
  }

  private async claimPlaces(
    showId: string,
    areaId: string,
    userId: string,
    quantity: number,
    seatIds: string[] | null,
    hold: { now: Date; until: Date; admissionId: string },
  ): Promise<SeatRow[]> {
    const { rows } = await this.q.query<SeatRow>(
      `WITH pick AS (
         SELECT ss.seat_id FROM show_seats ss
          WHERE ss.show_id = $1 AND ss.area_id = $2 AND ${claimable('$4', 'ss.')}
            AND ($8::uuid[] IS NULL OR ss.seat_id = ANY($8::uuid[]))
          ORDER BY ss.seat_id LIMIT $3
          FOR UPDATE SKIP LOCKED
       )
       UPDATE show_seats ss
          SET status = 'selected', holder_id = $5, hold_expires_at = $6, order_id = NULL, admission_id = $7, updated_at = $4
         FROM pick, seats s
        WHERE ss.show_id = $1 AND ss.seat_id = pick.seat_id AND s.id = ss.seat_id AND ${claimable('$4', 'ss.')}
        RETURNING ss.seat_id AS id, ss.area_id, s.row_number, s.seat_number, s.accessible, ss.status, true AS mine`,
      [showId, areaId, quantity, hold.now, userId, hold.until, hold.admissionId, seatIds],
    );
    return rows;
  }

  /** Free places of the show per area at `now`, in the venue's order (where the waitlist can make offers). */
  async freeByArea(showId: string, now: Date): Promise<{ area_id: string; free: number }[]> {
    const { rows } = await this.q.query<{ area_id: string; free: number }>(
      `SELECT ss.area_id, count(*)::int AS free FROM show_seats ss JOIN areas a ON a.id = ss.area_id
        WHERE ss.show_id = $1 AND ${claimable('$2', 'ss.')}
        GROUP BY ss.area_id, a.position ORDER BY a.position`,
      [showId, now],
    );
    return rows;
  }

  async exists(showId: string, seatId: string): Promise<boolean> {
    const { rowCount } = await this.q.query(`SELECT 1 FROM show_seats WHERE show_id = $1 AND seat_id = $2`, [showId, seatId]);
    return rowCount > 0;
  }

  /** Frees one seat the account has selected (not one it checked out). */
  async releaseHold(showId: string, seatId: string, userId: string, now: Date): Promise<SeatChange[]> {
    const { rows } = await this.q.query<ChangedRow>(
      `UPDATE show_seats SET ${FREE_SEAT}, updated_at = $4
        WHERE show_id = $1 AND seat_id = $2 AND holder_id = $3 AND status = 'selected'
        ${CHANGED}`,
      [showId, seatId, userId, now],
    );
    return changesOf(rows, 'available');
  }

  /**
   * Frees every seat the account has selected for the show. With `admissionId`, only those of that
   * admission (and rows from before admissions had ids): a late release never frees a newer one's.
   */
  async releaseHolds(showId: string, userId: string, now: Date, admissionId?: string): Promise<SeatChange[]> {
    const { rows } = await this.q.query<ChangedRow>(
      `UPDATE show_seats SET ${FREE_SEAT}, updated_at = $3
        WHERE show_id = $1 AND holder_id = $2 AND status = 'selected'
          AND ($4::text IS NULL OR admission_id = $4::text OR admission_id IS NULL)
        ${CHANGED}`,
      [showId, userId, now, admissionId ?? null],
    );
    return changesOf(rows, 'available');
  }

  /** Selected (unexpired) + locked + sold seats of the account for the show. */
  async countOwned(showId: string, userId: string, now: Date): Promise<number> {
    const { rows } = await this.q.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM show_seats WHERE show_id = $1 AND holder_id = $2 AND ${counted('$3')}`,
      [showId, userId, now],
    );
    return rows[0]?.n ?? 0;
  }

  /**
   * Returns the locked seats of these orders to sale. Only to be called in the transaction that
   * moved the orders out of `pending`, so a seat is never freed while its order can still be paid.
   */
  async releaseOrders(orderIds: string[], now: Date): Promise<SeatChange[]> {
    if (orderIds.length === 0) return [];
    const { rows } = await this.q.query<ChangedRow>(
      `UPDATE show_seats SET ${FREE_SEAT}, updated_at = $2
        WHERE order_id = ANY($1::uuid[]) AND status = 'locked'
        ${CHANGED}`,
      [orderIds, now],
    );
    return changesOf(rows, 'available');
  }

  /** A refunded order's sold places go back on sale (the refund's transaction moved the order out of `paid`). */
  async releaseSold(orderId: string, now: Date): Promise<SeatChange[]> {
    const { rows } = await this.q.query<ChangedRow>(
      `UPDATE show_seats SET ${FREE_SEAT}, updated_at = $2
        WHERE order_id = $1 AND status = 'sold'
        ${CHANGED}`,
      [orderId, now],
    );
    return changesOf(rows, 'available');
  }

  /**
   * Frees up to `limit` holds that ran out, of any show. Several instances may run it at once: each
   * claims its rows with FOR UPDATE SKIP LOCKED and re-checks them in the UPDATE.
   */
  async expireLapsedHolds(now: Date, limit: number): Promise<SeatChange[]> {
    const { rows } = await this.q.query<ChangedRow>(
      `UPDATE show_seats ss SET ${FREE_SEAT}, updated_at = $1
         FROM (SELECT show_id, seat_id FROM show_seats
                WHERE status = 'selected' AND hold_expires_at <= $1
                LIMIT $2
                FOR UPDATE SKIP LOCKED) due
        WHERE ss.show_id = due.show_id AND ss.seat_id = due.seat_id
          AND ss.status = 'selected' AND ss.hold_expires_at <= $1
        RETURNING ss.show_id, ss.seat_id, ss.area_id`,
      [now, limit],
    );
    return changesOf(rows, 'available');
  }

  /** A show's seats by sale state at `now` (a lapsed hold counts as available). */
  async counts(showId: string, now: Date): Promise<{ sold: number; held: number; available: number }> {
    const { rows } = await this.q.query<{ sold: number; held: number; available: number }>(
      `SELECT count(*) FILTER (WHERE status = 'sold')::int AS sold,
              count(*) FILTER (WHERE status = 'locked' OR (status = 'selected' AND hold_expires_at > $2))::int AS held,
              count(*) FILTER (WHERE ${claimable('$2')})::int AS available
         FROM show_seats WHERE show_id = $1`,
      [showId, now],
    );
    return rows[0]!;
  }

  /** What is left of a show: `left` seats are claimable, `unsold` are not sold. */
  async stock(showId: string, now: Date): Promise<{ left: number; unsold: number }> {
    const { rows } = await this.q.query<{ seats_left: number; unsold: number }>(
      `SELECT (count(*) FILTER (WHERE ${claimable('$2')}))::int AS seats_left,
              (count(*) FILTER (WHERE status <> 'sold'))::int AS unsold
         FROM show_seats WHERE show_id = $1`,
      [showId, now],
    );
    return { left: rows[0]?.seats_left ?? 0, unsold: rows[0]?.unsold ?? 0 };
  }

  /** Whether any seat of the show is not sold (false: sold out); reads up to the first such seat. */
  async anyUnsold(showId: string): Promise<boolean> {
    const { rows } = await this.q.query<{ any: boolean }>(`SELECT EXISTS (SELECT 1 FROM show_seats WHERE show_id = $1 AND status <> 'sold') AS any`, [showId]);
    return rows[0]!.any;
  }

  /** Puts every seat of these areas on sale for the show (seats already on sale stay as they are). */
  async addAreas(showId: string, areaIds: string[]): Promise<void> {
    await this.q.query(
      `INSERT INTO show_seats (show_id, seat_id, area_id)
         SELECT $1, s.id, s.area_id FROM seats s WHERE s.area_id = ANY($2::uuid[])
       ON CONFLICT (show_id, seat_id) DO NOTHING`,
      [showId, areaIds],
    );
  }

  /** Takes these areas' seats off the show (the caller checked that none is held, sold or ordered). */
  async removeAreas(showId: string, areaIds: string[]): Promise<void> {
    await this.q.query(`DELETE FROM show_seats WHERE show_id = $1 AND area_id = ANY($2::uuid[])`, [showId, areaIds]);
  }

  /**
   * Locks every show's row of every place of the area until the transaction ends, so no claim
   * changes them meanwhile (a claim waits, or skips them). What a shrink of the area reads next is final.
   */
  async lockArea(areaId: string): Promise<void> {
    await this.q.query(`SELECT 1 FROM show_seats WHERE area_id = $1 FOR UPDATE`, [areaId]);
  }

  /**
   * The area's places that could go, highest number first: `available` in every show that has
   * them, and never in an order or on a ticket. Only meaningful after lockArea.
   */
  async removablePlaces(areaId: string): Promise<string[]> {
    const { rows } = await this.q.query<{ id: string }>(
      `SELECT s.id FROM seats s
        WHERE s.area_id = $1
          AND NOT EXISTS (SELECT 1 FROM show_seats ss WHERE ss.seat_id = s.id AND ss.status <> 'available')
          AND NOT EXISTS (SELECT 1 FROM order_items oi WHERE oi.seat_id = s.id)
          AND NOT EXISTS (SELECT 1 FROM tickets t WHERE t.seat_id = s.id)
        ORDER BY s.seat_number DESC`,
      [areaId],
    );
    return rows.map((r) => r.id);
  }

  /** Takes these places off every show, only where they are `available`. Returns how many rows went. */
  async removePlaces(seatIds: string[]): Promise<number> {
    const { rowCount } = await this.q.query(`DELETE FROM show_seats WHERE seat_id = ANY($1::uuid[]) AND status = 'available'`, [seatIds]);
    return rowCount;
  }

  /** Puts these new places of the area on sale in every show that sells the area and has not started at `now`. */
  async addPlaces(areaId: string, seatIds: string[], now: Date): Promise<void> {
    await this.q.query(
      `INSERT INTO show_seats (show_id, seat_id, area_id)
         SELECT p.show_id, s.id, s.area_id
           FROM show_prices p JOIN shows sh ON sh.id = p.show_id JOIN seats s ON s.area_id = p.area_id
          WHERE p.area_id = $1 AND s.id = ANY($2::uuid[]) AND sh.starts_at > $3
       ON CONFLICT (show_id, seat_id) DO NOTHING`,
      [areaId, seatIds, now],
    );
  }
}
