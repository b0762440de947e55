import type { Seat } from '../../../shared/api.js';
import type { Clock } from '../../platform/clock.js';
import type { Database, Queryable } from '../../platform/database.js';
import { AppError } from '../../platform/errors.js';
import type { Realtime } from '../../platform/realtime.js';
import type { TestHooks } from '../../platform/test-hooks.js';
import type { AdmissionGate } from '../queue/admission.js';
import { publishSeatChanges } from './seats-gateway.js';
import { ShowSeatsRepository, type SeatRow } from './show-seats-repository.js';
import { placeOf } from '../orders/order-views.js';
import { bestBlock } from './best-available.js';

const toSeat = (r: SeatRow): Seat => ({
  id: r.id,
  areaId: r.area_id,
  ...placeOf(r),
  status: r.status,
  mine: r.mine,
  accessible: r.accessible,
});

/** Tries of a best-available hold when another buyer took part of the chosen block meanwhile. */
const BLOCK_TRIES = 5;
/** Thrown inside a block claim that came back short: the transaction rolls back, nothing is held. */
export class BlockLost extends Error {
  constructor(readonly lost: string[]) {
    super('block lost');
  }
}

/**
 * The seat steps other modules take inside their own transactions: an order frees its seats (a
 * refund its sold ones), the console puts areas on sale and grows or shrinks a standing area, the
 * release job frees lapsed holds, the waitlist looks for free places. Only through these does anyone
 * but the seats module change show_seats, with two exceptions made for the hot path: a checkout
 * locks its seats and a payment sells them in the same statement that makes or pays the order
 * (OrdersRepository.checkOut and completePayment), one round trip each instead of several.
 */
export type SeatSteps = Pick<
  ShowSeatsRepository,
  | 'lockAccount'
  | 'releaseOrders'
  | 'releaseSold'
  | 'releaseHolds'
  | 'expireLapsedHolds'
  | 'counts'
  | 'stock'
  | 'anyUnsold'
  | 'freeByArea'
  | 'addAreas'
  | 'removeAreas'
  | 'lockArea'
  | 'removablePlaces'
  | 'removePlaces'
  | 'addPlaces'
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
    // One statement: the account's seat lock (parallel holds of one account would each miss the
    // others' uncommitted claims under READ COMMITTED), the limit counted under it, the claim.
    const r = await this.seats.holdSeat(showId, seatId, userId, { now, until: new Date(admission.expiresAt), admissionId: admission.admissionId });
    if (!r) throw new AppError('NOT_FOUND', 'No such seat in this show');
    const seat = toSeat(r);
    // A retry of a hold that went through gets the seat it holds; anything else explains the refusal.
    if (!r.claimed && !(r.status === 'selected' && r.mine && !r.claimable)) {
      throw new AppError(r.claimable && r.n >= r.max ? 'TICKET_LIMIT_REACHED' : 'SEAT_UNAVAILABLE');
    }
    // The admission may have ended since the check above. Its release takes the account's seat lock
    // after the end is recorded, and the hold took that lock too: either the end comes after this
    // look (and its release frees the seat), or this look sees it and the hold lets the seat go.
    const live = await this.gate.isLive(showId, userId, admission.admissionId).catch(async (e: unknown) => {
      // Not known (the store did not answer): the claim is let go, so the error changes nothing.
      if (r.claimed) await this.seats.releaseHold(showId, seatId, userId, now);
      throw e;
    });
    if (!live) {
      publishSeatChanges(this.realtime, await this.seats.releaseHolds(showId, userId, now, admission.admissionId));
      throw new AppError('NOT_ADMITTED');
    }
    if (r.claimed) publishSeatChanges(this.realtime, [{ showId, areaId: seat.areaId, seatId, status: 'selected' }]);
    return seat;
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
          await new ShowSeatsRepository(tx).lockAccount(showId, userId);
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
    const seats = new ShowSeatsRepository(tx);
    const area = await seats.areaRule(req.showId, req.areaId, req.userId, now);
    if (!area) throw new AppError('NOT_FOUND', 'No such area in this show');
    if (area.n + req.quantity > area.max) throw new AppError('TICKET_LIMIT_REACHED');
    const hold = { now, until: req.until, admissionId: req.admissionId };
    let rows: SeatRow[];
    let ids: string[] = [];
    if (area.kind === 'seated') {
      const block = bestBlock(await seats.grid(req.showId, req.areaId, now), req.quantity, avoid);
      if (!block) throw new AppError('SEAT_UNAVAILABLE', 'No block of that many seats together is free.');
      ids = block.map((s) => s.id);
      rows = await seats.claimBlock(req.showId, req.areaId, req.userId, ids, hold);
    } else {
      // Any free places, skipping those another claim has locked right now.
      rows = await seats.claimStanding(req.showId, req.areaId, req.userId, req.quantity, hold);
    }
    if (rows.length < req.quantity) {
      // Rolls the partial claim back; the caller may try again (a standing claim may have skipped
      // places another claim had locked and then let go).
      throw new BlockLost(ids.filter((id) => !rows.some((r) => r.id === id)));
    }
    return rows.map(toSeat).sort((a, b) => (a.row ?? 0) - (b.row ?? 0) || (a.number ?? 0) - (b.number ?? 0));
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
