import type { Seat } from '../../../shared/api.js';
import type { Clock } from '../../platform/clock.js';
import type { Database, Queryable } from '../../platform/database.js';
import { AppError } from '../../platform/errors.js';
import type { Realtime } from '../../platform/realtime.js';
import { NO_PAYMENT_IN_FLIGHT } from '../orders/payment-attempts.js';
import { placeOf } from '../orders/order-views.js';
import { bestBlock, type GridSeat } from './best-available.js';
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
  accessible: boolean;
}

const toSeat = (r: SeatRow): Seat => ({
  id: r.id,
  areaId: r.area_id,
  ...placeOf(r),
  status: r.status,
  mine: r.mine,
  accessible: r.accessible,
});

/** A free place: available, or selected by a hold that ran out. */
const FREE = (now: string, t = 'ss') => `(${t}.status = 'available' OR (${t}.status = 'selected' AND ${t}.hold_expires_at <= ${now}))`;
/** Tries of a best-available hold when another buyer took part of the chosen block meanwhile. */
const BLOCK_TRIES = 5;
/** Thrown inside a block claim that came back short: the transaction rolls back, nothing is held. */
export class BlockLost extends Error {
  constructor(readonly lost: string[]) {
    super('block lost');
  }
}

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
      `SELECT ss.seat_id AS id, ss.area_id, s.row_number, s.seat_number, s.accessible,
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
          RETURNING ss.seat_id AS id, ss.area_id, s.row_number, s.seat_number, s.accessible, ss.status, true AS mine`,
        [showId, seatId, userId, now, new Date(admission.expiresAt), admission.admissionId],
      );
      if (rows[0]) return { seat: toSeat(rows[0]), changed: true };
      return { seat: await this.whyNotHeld(tx, showId, seatId, userId, now), changed: false };
    });
    if (outcome.changed) publishSeatChanges(this.realtime, [{ showId, areaId: outcome.seat.areaId, seatId, status: 'selected' }]);
    return outcome.seat;
  }

  /**
   * Holds `quantity` places of one area at once, all or none: any free places of a standing area,
   * the best available block of a seated one (best-available.ts). The claim is one conditional
   * UPDATE; if it comes back short (another buyer was faster) the transaction rolls back and a
   * seated area tries another block.
   */
  async holdArea(showId: string, areaId: string, userId: string, quantity: number): Promise<Seat[]> {
    const admission = await this.gate.requireAdmission(showId, userId);
    await this.hooks.seatHold?.();
    const lost = new Set<string>();
    for (let attempt = 0; ; attempt++) {
      try {
        const seats = await this.db.transaction(async (tx) => {
          await lockAccountSeats(tx, showId, userId);
          await this.gate.requireSameAdmission(showId, userId, admission.admissionId);
          return this.claimPlaces(tx, { showId, areaId, userId, quantity, admissionId: admission.admissionId, until: new Date(admission.expiresAt) }, lost);
        });
        publishSeatChanges(
          this.realtime,
          seats.map((s) => ({ showId, areaId, seatId: s.id, status: 'selected' as const })),
        );
        return seats;
      } catch (e) {
        if (!(e instanceof BlockLost) || attempt + 1 >= BLOCK_TRIES) throw e instanceof BlockLost ? new AppError('SEAT_UNAVAILABLE', 'Not enough places are free together.') : e;
        for (const id of e.lost) lost.add(id);
      }
    }
  }

  /**
   * Inside a transaction holding the account's seat lock: claims `quantity` places of the area for
   * the account's admission (the ticket limit counted under that lock), or throws. Also what a
   * waitlist offer uses to hold places for the fan it admits.
   */
  async claimPlaces(
    tx: Queryable,
    req: { showId: string; areaId: string; userId: string; quantity: number; admissionId: string; until: Date },
    avoid: ReadonlySet<string> = new Set(),
  ): Promise<Seat[]> {
    const now = this.now();
    const { rows: rule } = await tx.query<{ kind: 'seated' | 'standing'; max: number; n: number }>(
      `SELECT a.kind, sh.max_tickets_per_account AS max,
              (SELECT count(*)::int FROM show_seats WHERE show_id = $1 AND holder_id = $3 AND ${countedSeats('$4')}) AS n
         FROM show_prices p JOIN areas a ON a.id = p.area_id JOIN shows sh ON sh.id = p.show_id
        WHERE p.show_id = $1 AND p.area_id = $2`,
      [req.showId, req.areaId, req.userId, now],
    );
    const area = rule[0];
    if (!area) throw new AppError('NOT_FOUND', 'No such area in this show');
    if (area.n + req.quantity > area.max) throw new AppError('TICKET_LIMIT_REACHED');
    let ids: string[] | null = null;
    if (area.kind === 'seated') {
      const { rows: grid } = await tx.query<GridSeat>(
        `SELECT ss.seat_id AS id, s.row_number AS row, s.seat_number AS number, ${FREE('$3')} AS free
           FROM show_seats ss JOIN seats s ON s.id = ss.seat_id
          WHERE ss.show_id = $1 AND ss.area_id = $2`,
        [req.showId, req.areaId, now],
      );
      const block = bestBlock(grid, req.quantity, avoid);
      if (!block) throw new AppError('SEAT_UNAVAILABLE', 'No block of that many seats together is free.');
      ids = block.map((s) => s.id);
    }
    // Standing: any free places, skipping rows another claim has locked right now; seated: the block.
    // Either way the UPDATE re-checks each row, so a place is never claimed twice.
    const { rows } = await tx.query<SeatRow>(
      `WITH pick AS (
         SELECT ss.seat_id FROM show_seats ss
          WHERE ss.show_id = $1 AND ss.area_id = $2 AND ${FREE('$4')}
            AND ($8::uuid[] IS NULL OR ss.seat_id = ANY($8::uuid[]))
          ORDER BY ss.seat_id LIMIT $3
          FOR UPDATE SKIP LOCKED
       )
       UPDATE show_seats ss
          SET status = 'selected', holder_id = $5, hold_expires_at = $6, order_id = NULL, admission_id = $7, updated_at = $4
         FROM pick, seats s
        WHERE ss.show_id = $1 AND ss.seat_id = pick.seat_id AND s.id = ss.seat_id AND ${FREE('$4')}
        RETURNING ss.seat_id AS id, ss.area_id, s.row_number, s.seat_number, s.accessible, ss.status, true AS mine`,
      [req.showId, req.areaId, req.quantity, now, req.userId, req.until, req.admissionId, ids],
    );
    if (rows.length < req.quantity) {
      // Rolls the partial claim back; the caller may try again (a standing claim may have skipped
      // places another claim had locked and then let go).
      throw new BlockLost((ids ?? []).filter((id) => !rows.some((r) => r.id === id)));
    }
    return rows.map(toSeat).sort((a, b) => (a.row ?? 0) - (b.row ?? 0) || (a.number ?? 0) - (b.number ?? 0));
  }

  /** After a refused claim: the caller's own live hold (a retry) is returned, anything else explains the refusal. */
  private async whyNotHeld(tx: Queryable, showId: string, seatId: string, userId: string, now: Date): Promise<Seat> {
    const { rows } = await tx.query<SeatRow & { claimable: boolean; n: number; max: number }>(
      `SELECT ss.seat_id AS id, ss.area_id, s.row_number, s.seat_number, s.accessible, ss.status,
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
