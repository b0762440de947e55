import type { Seat } from '../../../shared/api.js';
import type { Clock } from '../../platform/clock.js';
import type { Database, Queryable } from '../../platform/database.js';
import { AppError } from '../../platform/errors.js';
import type { Realtime } from '../../platform/realtime.js';
import type { TestHooks } from '../../platform/test-hooks.js';
import type { AdmissionGate } from '../queue/admission.js';
import { publishSeatChanges } from './seats-gateway.js';
import { ShowSeatsRepository, type SeatRow } from './show-seats-repository.js';

const toSeat = (r: SeatRow): Seat => ({
  id: r.id,
  areaId: r.area_id,
  row: r.row_number,
  number: r.seat_number,
  status: r.status,
  mine: r.mine,
});

/**
 * The seat steps other modules take inside their own transactions: an order locks, sells and frees
 * its seats, the console puts areas on sale, the release job frees lapsed holds. Only through these
 * does anyone but the seats module change show_seats.
 */
export type SeatSteps = Pick<
  ShowSeatsRepository,
  'lockAccount' | 'lockForOrder' | 'sell' | 'releaseOrders' | 'releaseHolds' | 'expireLapsedHolds' | 'counts' | 'stock' | 'addAreas' | 'removeAreas'
>;

/** The seat steps, run on `q` (the database, or the caller's transaction). */
export const seatSteps = (q: Queryable): SeatSteps => new ShowSeatsRepository(q);

/** Counts the account's seats that count towards the ticket limit (for the waiting room's join). */
export const ownedSeatCounter =
  (db: Queryable, clock: Clock) =>
  (showId: string, userId: string): Promise<number> =>
    new ShowSeatsRepository(db).countOwned(showId, userId, new Date(clock.now()));

/**
 * Picking seats on a show's selling page: look at the map, hold a seat, let it go.
 * Every claim is one conditional UPDATE, so two buyers never both win a seat.
 */
export class SeatsService {
  private readonly seats: ShowSeatsRepository;

  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly realtime: Realtime,
    private readonly gate: AdmissionGate,
    private readonly hooks: TestHooks = {},
  ) {
    this.seats = new ShowSeatsRepository(db);
  }

  private now(): Date {
    return new Date(this.clock.now());
  }

  /** The seat map for an admitted account. A hold that ran out shows as available. */
  async listSeats(showId: string, userId: string, areaId?: string, onlyMine = false): Promise<Seat[]> {
    await this.gate.requireAdmission(showId, userId);
    const rows = await this.seats.map(showId, userId, this.now(), areaId ?? null, onlyMine);
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
      const seats = new ShowSeatsRepository(tx);
      await seats.lockAccount(showId, userId);
      // The admission may have ended since the check above. Checked again under the account's lock,
      // which the release of an ended admission also takes: either this hold commits first and the
      // release frees it, or the release (and the end before it) came first and this refuses.
      await this.gate.requireSameAdmission(showId, userId, admission.admissionId);
      const claimed = await seats.claim(showId, seatId, userId, { now, until: new Date(admission.expiresAt), admissionId: admission.admissionId });
      if (claimed) return { seat: toSeat(claimed), changed: true };
      return { seat: await this.whyNotHeld(seats, showId, seatId, userId, now), changed: false };
    });
    if (outcome.changed) publishSeatChanges(this.realtime, [{ showId, areaId: outcome.seat.areaId, seatId, status: 'selected' }]);
    return outcome.seat;
  }

  /** After a refused claim: the caller's own live hold (a retry) is returned, anything else explains the refusal. */
  private async whyNotHeld(seats: ShowSeatsRepository, showId: string, seatId: string, userId: string, now: Date): Promise<Seat> {
    const r = await seats.refusedClaim(showId, seatId, userId, now);
    if (!r) throw new AppError('NOT_FOUND', 'No such seat in this show');
    if (r.status === 'selected' && r.mine && !r.claimable) return toSeat(r);
    if (r.claimable && r.n >= r.max) throw new AppError('TICKET_LIMIT_REACHED');
    throw new AppError('SEAT_UNAVAILABLE');
  }

  /** Lets go of the caller's own selected seat. */
  async release(showId: string, seatId: string, userId: string): Promise<void> {
    await this.gate.requireAdmission(showId, userId);
    const changes = await this.seats.releaseHold(showId, seatId, userId, this.now());
    if (changes.length === 0) {
      if (!(await this.seats.exists(showId, seatId))) throw new AppError('NOT_FOUND', 'No such seat in this show');
      throw new AppError('SEAT_UNAVAILABLE', 'You do not hold this seat.');
    }
    publishSeatChanges(this.realtime, changes);
  }

  /** Selected (unexpired) + locked + sold seats of the account for the show. */
  countForAccount(showId: string, userId: string): Promise<number> {
    return this.seats.countOwned(showId, userId, this.now());
  }
}
