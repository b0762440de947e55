import type { AdminWaitlistEntry, Seat, WaitlistEntry } from '../../../shared/api.js';
import type { Clock } from '../../platform/clock.js';
import type { Database } from '../../platform/database.js';
import { AppError, isAppError } from '../../platform/errors.js';
import type { Realtime } from '../../platform/realtime.js';
import type { SaleNotices } from '../../platform/sale-notices.js';
import type { CatalogueService, SaleRules } from '../catalogue/catalogue-service.js';
import { showStatus } from '../catalogue/show-status.js';
import type { QueueService } from '../queue/queue-service.js';
import { publishSeatChanges } from '../seats/seats-gateway.js';
import { BlockLost, seatSteps, type SeatsService } from '../seats/seats-service.js';
import { WaitlistEntriesRepository, type EntryRow } from './waitlist-entries-repository.js';

const toEntry = (r: EntryRow): WaitlistEntry => ({
  position: r.position,
  quantity: r.quantity,
  state: r.state === 'left' ? 'lapsed' : r.state,
  joinedAt: r.joined_at.toISOString(),
  offerExpiresAt: r.state === 'offered' ? (r.offer_expires_at?.toISOString() ?? null) : null,
});

/** The offer could not be made now (no free block fits, or the entry changed): nothing is kept. */
class NoOffer extends Error {}

export interface WaitlistEvents {
  onError?(err: unknown, what: string): void;
}

/**
 * The waitlist of a sold-out show (docs/selling.md). Places that come back go to the first waiting
 * entry whose quantity fits: in one transaction (under a per-show lock, so instances never offer
 * twice at once) the fan is admitted outside the line and the places are held for that admission;
 * an offer not paid for in its window lapses, its places free again, and they go to the next entry.
 * Everything is rows in the database and the line's store: a crash loses no offer.
 */
export class WaitlistService {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly catalogue: CatalogueService,
    private readonly queue: QueueService,
    private readonly seats: SeatsService,
    private readonly realtime: Realtime,
    private readonly notices: SaleNotices,
    private readonly events: WaitlistEvents = {},
  ) {
    this.entries = new WaitlistEntriesRepository(db);
  }

  private readonly entries: WaitlistEntriesRepository;

  private now(): Date {
    return new Date(this.clock.now());
  }

  /** Joins the waitlist of a sold-out show with the places wanted. Idempotent: a waiting entry keeps its place (and takes the new quantity). */
  async join(showId: string, userId: string, quantity: number): Promise<WaitlistEntry> {
    const rules = await this.catalogue.rules(showId); // 404 for an unknown show
    if (quantity > rules.maxTicketsPerAccount) {
      throw new AppError('VALIDATION_FAILED', `quantity: at most ${rules.maxTicketsPerAccount} for this show`);
    }
    await this.settle(showId);
    const existing = await this.entries.find(showId, userId);
    if (existing?.state === 'offered') return toEntry(existing);
    if (existing?.state !== 'waiting') {
      const status = showStatus({ ...rules, unsoldCount: (await this.catalogue.stock(showId)).unsold }, this.clock.now());
      if (status === 'ended') throw new AppError('SALE_ENDED');
      if (status !== 'sold_out') throw new AppError('NOT_SOLD_OUT');
    }
    if ((await this.seats.countForAccount(showId, userId)) + quantity > rules.maxTicketsPerAccount) throw new AppError('TICKET_LIMIT_REACHED');
    await this.entries.join(showId, userId, quantity, this.now());
    return toEntry((await this.entries.find(showId, userId))!);
  }

  async get(showId: string, userId: string): Promise<WaitlistEntry> {
    await this.catalogue.rules(showId);
    await this.settle(showId);
    const e = await this.entries.find(showId, userId);
    if (!e || e.state === 'left') throw new AppError('NOT_FOUND', 'You are not on the waitlist of this show');
    return toEntry(e);
  }

  /** Leaves the waitlist; places offered and not bought go at once to the next entry. */
  async leave(showId: string, userId: string): Promise<void> {
    await this.catalogue.rules(showId);
    const admissionId = (await this.entries.leave(showId, userId))?.offerAdmissionId;
    if (admissionId) {
      await this.queue.endAdmission(showId, userId, 'left', admissionId);
      await this.offerFor(showId);
    }
  }

  /** The console's list: every entry with its state, in the order of the list. */
  async list(showId: string): Promise<AdminWaitlistEntry[]> {
    await this.catalogue.rules(showId);
    await this.settle(showId);
    const rows = await this.entries.list(showId);
    return rows.map((r) => ({ ...toEntry(r), userId: r.user_id, name: r.name, email: r.email }));
  }

  /**
   * Offers that were bought become purchased; those whose window passed, or whose places the fan
   * let go (a cancelled checkout), lapse: their places are free again for the next entry.
   */
  private async settle(showId: string | null): Promise<void> {
    await this.entries.settle(showId, this.now());
  }

  /** The job (every second, on any number of instances): settles offers, then offers free places to waiting entries. */
  async offerDue(): Promise<void> {
    await this.settle(null);
    for (const showId of await this.entries.showsWithWaiting()) {
      try {
        await this.offerFor(showId);
      } catch (e) {
        if (!(isAppError(e) && e.code === 'NOT_FOUND')) this.events.onError?.(e, `waitlist offers of ${showId}`);
      }
    }
  }

  /** Places came back: the first waiting entries whose quantity fits get offers, while places last. */
  async offerFor(showId: string): Promise<void> {
    await this.settle(showId);
    const rules = await this.catalogue.rules(showId);
    if (this.clock.now() >= rules.startsAt.getTime()) return;
    for (;;) {
      const now = this.now();
      const free = await seatSteps(this.db).freeByArea(showId, now);
      const most = Math.max(0, ...free.map((f) => f.free));
      if (most === 0) return;
      const waiting = await this.entries.firstWaiting(showId, most);
      let offered = false;
      for (const w of waiting) {
        const areas = free.filter((f) => f.free >= w.quantity).map((f) => f.area_id);
        if (await this.offer(rules, w.user_id, w.quantity, areas)) {
          offered = true;
          break;
        }
      }
      if (!offered) return;
    }
  }

  /** One offer, all or nothing. False when no area has such a block free for this fan now. */
  private async offer(rules: SaleRules, userId: string, quantity: number, areaIds: string[]): Promise<boolean> {
    const showId = rules.id;
    let admitted: Awaited<ReturnType<QueueService['admitOutside']>> | undefined;
    let held: Seat[];
    try {
      held = await this.db.transaction(async (tx) => {
        // One offer of a show at a time, whichever instance makes it; then the fan's own seat lock.
        const entries = new WaitlistEntriesRepository(tx);
        await entries.lockShow(showId);
        if ((await entries.lockEntry(showId, userId)) !== 'waiting') throw new NoOffer();
        await seatSteps(tx).lockAccount(showId, userId);
        admitted = await this.queue.admitOutside(showId, userId, rules.purchaseWindowSeconds * 1000);
        const { admissionId, expiresAt } = admitted.admission;
        // An admission about to end (not swept yet) cannot carry an offer: the next round can.
        if (expiresAt - this.clock.now() < 1_000) throw new NoOffer();
        for (const areaId of areaIds) {
          await entries.savepoint('offer_area');
          try {
            const seats = await this.seats.claimPlaces(tx, { showId, areaId, userId, quantity, admissionId, until: new Date(expiresAt) });
            await entries.markOffered(showId, userId, admissionId, new Date(expiresAt));
            // In the same transaction: the fan hears of the offer if and only if it is made.
            await this.notices.waitlistOffered(userId, showId, seats.map((s) => s.id), new Date(expiresAt), tx);
            return seats;
          } catch (e) {
            if (!(e instanceof BlockLost || (isAppError(e) && (e.code === 'SEAT_UNAVAILABLE' || e.code === 'TICKET_LIMIT_REACHED')))) throw e;
            await entries.rollbackTo('offer_area');
          }
        }
        throw new NoOffer();
      });
    } catch (e) {
      // An admission made for an offer that did not happen ends at once (one the fan had already stays).
      if (admitted?.fresh) await this.queue.endAdmission(showId, userId, 'expired', admitted.admission.admissionId);
      if (e instanceof NoOffer) return false;
      throw e;
    }
    const a = admitted!;
    const expiresAt = new Date(a.admission.expiresAt).toISOString();
    a.announce();
    publishSeatChanges(
      this.realtime,
      held.map((s) => ({ showId, areaId: s.areaId, seatId: s.id, status: 'selected' as const })),
    );
    const seatIds = held.map((s) => s.id);
    this.realtime.toUser(userId, 'waitlist:offer', { showId, seatIds, expiresAt });
    return true;
  }
}
