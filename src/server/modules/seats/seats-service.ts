import type { Seat } from '../../../shared/api.js';
import type { Clock } from '../../platform/clock.js';
import type { Database, Queryable } from '../../platform/database.js';
import { AppError } from '../../platform/errors.js';
import type { Realtime } from '../../platform/realtime.js';
import { NO_PAYMENT_IN_FLIGHT } from '../orders/payment-attempts.js';
import type { TestHooks } from '../../platform/test-hooks.js';
import type { AdmissionGate, SeatHolds } from '../queue/admission.js';
import {
  changesOf,
  countedSeats,
  FREE_SEAT,
  freeSeatsOfOrders,
  lockAccountSeats,
  publishSeatChanges,
  type SeatChange,
} from './seat-changes.js';

interface SeatRow {
  id: string;
  area_id: string;
  row_number: number;
  seat_number: number;
  status: Seat['status'];
  mine: boolean;
}

const toSeat = (r: SeatRow): Seat => ({
  id: r.id,
  areaId: r.area_id,
  row: r.row_number,
  number: r.seat_number,
  status: r.status,
  mine: r.mine,
});

/**
 * Picking seats on a show's selling page: look at the map, hold a seat, let it go.
 * Every claim is one conditional UPDATE, so two buyers never both win a seat.
 */
export class SeatsService implements SeatHolds {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly realtime: Realtime,
    private readonly gate: AdmissionGate,
    private readonly hooks: TestHooks = {},
  ) {}

  private now(): Date {
    return new Date(this.clock.now());
  }

  /** The seat map for an admitted account. A hold that ran out shows as available. */
  async listSeats(showId: string, userId: string, areaId?: string, onlyMine = false): Promise<Seat[]> {
    await this.gate.requireAdmission(showId, userId);
    const { rows } = await this.db.query<SeatRow>(
      `SELECT ss.seat_id AS id, ss.area_id, s.row_number, s.seat_number,
              CASE WHEN ss.status = 'selected' AND ss.hold_expires_at <= $2 THEN 'available' ELSE ss.status END AS status,
              coalesce(ss.holder_id = $3 AND NOT (ss.status = 'selected' AND ss.hold_expires_at <= $2), false) AS mine
         FROM show_seats ss
         JOIN seats s ON s.id = ss.seat_id
         JOIN areas a ON a.id = ss.area_id
        WHERE ss.show_id = $1 AND ($4::uuid IS NULL OR ss.area_id = $4::uuid)
          AND (NOT $5::boolean OR (ss.holder_id = $3 AND NOT (ss.status = 'selected' AND ss.hold_expires_at <= $2)))
        ORDER BY a.position, s.row_number, s.seat_number`,
      [showId, this.now(), userId, areaId ?? null, onlyMine],
    );
    return rows.map(toSeat);
  }

  /**
   * Makes the seat `selected` by the account until its admission ends. The seat must be free
   * (or its hold ran out) and the account must stay within the show's ticket limit.
   */
  async hold(showId: string, seatId: string, userId: string): Promise<Seat> {
    const admission = await this.gate.requireAdmission(showId, userId);
    await this.hooks.seatHold?.();
    const now = this.now();
    const outcome = await this.db.transaction(async (tx) => {
      // One account's holds are counted one at a time: without this, parallel holds of the same
      // account would each miss the others' uncommitted claims (READ COMMITTED).
      await lockAccountSeats(tx, showId, userId);
      // The admission may have ended since the check above. Checked again under the account's lock,
      // which the release of an ended admission also takes: either this hold commits first and the
      // release frees it, or the release (and the end before it) came first and this refuses.
      await this.gate.requireSameAdmission(showId, userId, admission.admissionId);
      const { rows } = await tx.query<SeatRow>(
        `WITH mine AS (
           SELECT count(*)::int AS n FROM show_seats
            WHERE show_id = $1 AND holder_id = $3 AND ${countedSeats('$4')}
         )
         UPDATE show_seats ss
            SET status = 'selected', holder_id = $3, hold_expires_at = $5, order_id = NULL, admission_id = $6, updated_at = $4
           FROM mine, shows sh, seats s
          WHERE ss.show_id = $1 AND ss.seat_id = $2 AND sh.id = ss.show_id AND s.id = ss.seat_id
            AND (ss.status = 'available' OR (ss.status = 'selected' AND ss.hold_expires_at <= $4))
            AND mine.n < sh.max_tickets_per_account
          RETURNING ss.seat_id AS id, ss.area_id, s.row_number, s.seat_number, ss.status, true AS mine`,
        [showId, seatId, userId, now, new Date(admission.expiresAt), admission.admissionId],
      );
      if (rows[0]) return { seat: toSeat(rows[0]), changed: true };
      return { seat: await this.whyNotHeld(tx, showId, seatId, userId, now), changed: false };
    });
    if (outcome.changed) publishSeatChanges(this.realtime, [{ showId, areaId: outcome.seat.areaId, seatId, status: 'selected' }]);
    return outcome.seat;
  }

  /** After a refused claim: the caller's own live hold (a retry) is returned, anything else explains the refusal. */
  private async whyNotHeld(tx: Queryable, showId: string, seatId: string, userId: string, now: Date): Promise<Seat> {
    const { rows } = await tx.query<SeatRow & { claimable: boolean; n: number; max: number }>(
      `SELECT ss.seat_id AS id, ss.area_id, s.row_number, s.seat_number, ss.status,
              coalesce(ss.holder_id = $3, false) AS mine,
              (ss.status = 'available' OR (ss.status = 'selected' AND ss.hold_expires_at <= $4)) AS claimable,
              (SELECT count(*)::int FROM show_seats WHERE show_id = $1 AND holder_id = $3 AND ${countedSeats('$4')}) AS n,
              sh.max_tickets_per_account AS max
         FROM show_seats ss JOIN seats s ON s.id = ss.seat_id JOIN shows sh ON sh.id = ss.show_id
        WHERE ss.show_id = $1 AND ss.seat_id = $2`,
      [showId, seatId, userId, now],
    );
    const r = rows[0];
    if (!r) throw new AppError('NOT_FOUND', 'No such seat in this show');
    if (r.status === 'selected' && r.mine && !r.claimable) return toSeat(r);
    if (r.claimable && r.n >= r.max) throw new AppError('TICKET_LIMIT_REACHED');
    throw new AppError('SEAT_UNAVAILABLE');
  }

  /** Lets go of the caller's own selected seat. */
  async release(showId: string, seatId: string, userId: string): Promise<void> {
    await this.gate.requireAdmission(showId, userId);
    const { rows } = await this.db.query<{ show_id: string; seat_id: string; area_id: string }>(
      `UPDATE show_seats SET ${FREE_SEAT}, updated_at = $4
        WHERE show_id = $1 AND seat_id = $2 AND holder_id = $3 AND status = 'selected'
        RETURNING show_id, seat_id, area_id`,
      [showId, seatId, userId, this.now()],
    );
    if (rows.length === 0) {
      const exists = await this.db.query(`SELECT 1 FROM show_seats WHERE show_id = $1 AND seat_id = $2`, [showId, seatId]);
      if (exists.rowCount === 0) throw new AppError('NOT_FOUND', 'No such seat in this show');
      throw new AppError('SEAT_UNAVAILABLE', 'You do not hold this seat.');
    }
    publishSeatChanges(this.realtime, changesOf(rows, 'available'));
  }

  async countForAccount(showId: string, userId: string): Promise<number> {
    const { rows } = await this.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM show_seats WHERE show_id = $1 AND holder_id = $2 AND ${countedSeats('$3')}`,
      [showId, userId, this.now()],
    );
    return rows[0]?.n ?? 0;
  }

  /**
   * The account's admission ended without a purchase: the holds made in it go back on sale and its
   * pending orders end (expired if their time ran out, cancelled otherwise). Paid orders are never
   * touched, nor orders being paid (their charge may have gone through: the payment decides), and
   * neither is anything of a newer admission of the same account: a release that
   * arrives late frees only what the ended admission held. Rows from before admissions had ids
   * (admission_id NULL) go with any ended admission of the account, as they always did.
   */
  async releaseForAccount(showId: string, userId: string, admissionId: string): Promise<void> {
    const now = this.now();
    const changes = await this.db.transaction(async (tx) => {
      await lockAccountSeats(tx, showId, userId);
      const { rows: ended } = await tx.query<{ id: string }>(
        `UPDATE orders SET status = CASE WHEN expires_at <= $3 THEN 'expired' ELSE 'cancelled' END
          WHERE show_id = $1 AND user_id = $2 AND status = 'pending' AND ${NO_PAYMENT_IN_FLIGHT}
            AND (admission_id = $4 OR admission_id IS NULL)
          RETURNING id`,
        [showId, userId, now, admissionId],
      );
      const fromOrders = await freeSeatsOfOrders(
        tx,
        ended.map((o) => o.id),
        now,
      );
      const { rows: held } = await tx.query<{ show_id: string; seat_id: string; area_id: string }>(
        `UPDATE show_seats SET ${FREE_SEAT}, updated_at = $3
          WHERE show_id = $1 AND holder_id = $2 AND status = 'selected' AND (admission_id = $4 OR admission_id IS NULL)
          RETURNING show_id, seat_id, area_id`,
        [showId, userId, now, admissionId],
      );
      return [...fromOrders, ...changesOf(held, 'available')] satisfies SeatChange[];
    });
    publishSeatChanges(this.realtime, changes);
  }
}
