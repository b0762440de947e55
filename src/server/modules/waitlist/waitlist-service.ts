import type { AdminWaitlistEntry, Seat, WaitlistEntry } from '../../../shared/api.js';
import type { Clock } from '../../platform/clock.js';
import type { Database, Queryable } from '../../platform/database.js';
import { AppError, isAppError } from '../../platform/errors.js';
import type { Realtime } from '../../platform/realtime.js';
import type { SaleNotices } from '../../platform/sale-notices.js';
import type { CatalogueService, SaleRules } from '../catalogue/catalogue-service.js';
import { showStatus } from '../catalogue/show-status.js';
import type { QueueService } from '../queue/queue-service.js';
import { lockAccountSeats, publishSeatChanges } from '../seats/seat-changes.js';
import { BlockLost, type SeatsService } from '../seats/seats-service.js';

interface EntryRow {
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
  ) {}

  private now(): Date {
    return new Date(this.clock.now());
  }

  private async entry(q: Queryable, showId: string, userId: string): Promise<EntryRow | undefined> {
    const { rows } = await q.query<EntryRow>(`${ENTRY_SELECT} WHERE w.show_id = $1 AND w.user_id = $2`, [showId, userId]);
    return rows[0];
  }

  /** Joins the waitlist of a sold-out show with the places wanted. Idempotent: a waiting entry keeps its place (and takes the new quantity). */
  async join(showId: string, userId: string, quantity: number): Promise<WaitlistEntry> {
    const rules = await this.catalogue.rules(showId); // 404 for an unknown show
    if (quantity > rules.maxTicketsPerAccount) {
      throw new AppError('VALIDATION_FAILED', `quantity: at most ${rules.maxTicketsPerAccount} for this show`);
    }
    await this.settle(showId);
    const existing = await this.entry(this.db, showId, userId);
    if (existing?.state === 'offered') return toEntry(existing);
    if (existing?.state !== 'waiting') {
      const status = showStatus({ ...rules, unsoldCount: (await this.catalogue.stock(showId)).unsold }, this.clock.now());
      if (status === 'ended') throw new AppError('SALE_ENDED');
      if (status !== 'sold_out') throw new AppError('NOT_SOLD_OUT');
    }
    if ((await this.seats.countForAccount(showId, userId)) + quantity > rules.maxTicketsPerAccount) throw new AppError('TICKET_LIMIT_REACHED');
    await this.db.query(
      `INSERT INTO waitlist_entries (show_id, user_id, quantity, state, joined_at) VALUES ($1, $2, $3, 'waiting', $4)
       ON CONFLICT (show_id, user_id) DO UPDATE
         SET quantity = EXCLUDED.quantity,
             joined_at = CASE WHEN waitlist_entries.state = 'waiting' THEN waitlist_entries.joined_at ELSE EXCLUDED.joined_at END,
             state = 'waiting', offer_admission_id = NULL, offer_expires_at = NULL
         WHERE waitlist_entries.state <> 'offered'`,
      [showId, userId, quantity, this.now()],
    );
    return toEntry((await this.entry(this.db, showId, userId))!);
  }

  async get(showId: string, userId: string): Promise<WaitlistEntry> {
    await this.catalogue.rules(showId);
    await this.settle(showId);
    const e = await this.entry(this.db, showId, userId);
    if (!e || e.state === 'left') throw new AppError('NOT_FOUND', 'You are not on the waitlist of this show');
    return toEntry(e);
  }

  /** Leaves the waitlist; places offered and not bought go at once to the next entry. */
  async leave(showId: string, userId: string): Promise<void> {
    await this.catalogue.rules(showId);
    const { rows } = await this.db.query<{ offer_admission_id: string | null }>(
      `UPDATE waitlist_entries w SET state = 'left'
         FROM (SELECT show_id, user_id, state, offer_admission_id FROM waitlist_entries WHERE show_id = $1 AND user_id = $2 FOR UPDATE) old
        WHERE w.show_id = old.show_id AND w.user_id = old.user_id AND old.state IN ('waiting', 'offered')
        RETURNING CASE WHEN old.state = 'offered' THEN old.offer_admission_id END AS offer_admission_id`,
      [showId, userId],
    );
    const admissionId = rows[0]?.offer_admission_id;
    if (admissionId) {
      await this.queue.endAdmission(showId, userId, 'left', admissionId);
      await this.offerFor(showId);
    }
  }

  /** The console's list: every entry with its state, in the order of the list. */
  async list(showId: string): Promise<AdminWaitlistEntry[]> {
    await this.catalogue.rules(showId);
    await this.settle(showId);
    const { rows } = await this.db.query<EntryRow & { name: string; email: string }>(
      `SELECT x.*, u.name, u.email FROM (${ENTRY_SELECT} WHERE w.show_id = $1 AND w.state <> 'left') x
         JOIN users u ON u.id = x.user_id ORDER BY x.joined_at, x.user_id`,
      [showId],
    );
    return rows.map((r) => ({ ...toEntry(r), userId: r.user_id, name: r.name, email: r.email }));
  }

  /**
   * Offers that were bought become purchased; those whose window passed, or whose places the fan
   * let go (a cancelled checkout), lapse: their places are free again for the next entry.
   */
  private async settle(showId: string | null): Promise<void> {
    const bought = `EXISTS (SELECT 1 FROM orders o WHERE o.show_id = w.show_id AND o.user_id = w.user_id
                              AND o.admission_id = w.offer_admission_id AND o.status IN ('paid', 'refunded'))`;
    const stillHeld = `EXISTS (SELECT 1 FROM show_seats ss WHERE ss.show_id = w.show_id AND ss.holder_id = w.user_id
                                 AND ss.admission_id = w.offer_admission_id AND ss.status IN ('selected', 'locked') AND ss.hold_expires_at > $2)`;
    await this.db.query(
      `UPDATE waitlist_entries w SET state = CASE WHEN ${bought} THEN 'purchased' ELSE 'lapsed' END
        WHERE w.state = 'offered' AND ($1::uuid IS NULL OR w.show_id = $1::uuid)
          AND (w.offer_expires_at <= $2 OR ${bought} OR NOT ${stillHeld})`,
      [showId, this.now()],
    );
  }

  /** The job (every second, on any number of instances): settles offers, then offers free places to waiting entries. */
  async offerDue(): Promise<void> {
    await this.settle(null);
    const { rows } = await this.db.query<{ show_id: string }>(`SELECT DISTINCT show_id FROM waitlist_entries WHERE state = 'waiting'`);
    for (const r of rows) {
      try {
        await this.offerFor(r.show_id);
      } catch (e) {
        if (!(isAppError(e) && e.code === 'NOT_FOUND')) this.events.onError?.(e, `waitlist offers of ${r.show_id}`);
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
      const { rows: free } = await this.db.query<{ area_id: string; free: number }>(
        `SELECT ss.area_id, count(*)::int AS free FROM show_seats ss JOIN areas a ON a.id = ss.area_id
          WHERE ss.show_id = $1 AND (ss.status = 'available' OR (ss.status = 'selected' AND ss.hold_expires_at <= $2))
          GROUP BY ss.area_id, a.position ORDER BY a.position`,
        [showId, now],
      );
      const most = Math.max(0, ...free.map((f) => f.free));
      if (most === 0) return;
      const { rows: waiting } = await this.db.query<{ user_id: string; quantity: number }>(
        `SELECT user_id, quantity FROM waitlist_entries WHERE show_id = $1 AND state = 'waiting' AND quantity <= $2
          ORDER BY joined_at, user_id LIMIT 100`,
        [showId, most],
      );
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
        await tx.query(`SELECT pg_advisory_xact_lock(hashtext('waitlist:' || $1::uuid::text))`, [showId]);
        const { rows } = await tx.query<{ state: string }>(`SELECT state FROM waitlist_entries WHERE show_id = $1 AND user_id = $2 FOR UPDATE`, [showId, userId]);
        if (rows[0]?.state !== 'waiting') throw new NoOffer();
        await lockAccountSeats(tx, showId, userId);
        admitted = await this.queue.admitOutside(showId, userId, rules.purchaseWindowSeconds * 1000);
        const { admissionId, expiresAt } = admitted.admission;
        // An admission about to end (not swept yet) cannot carry an offer: the next round can.
        if (expiresAt - this.clock.now() < 1_000) throw new NoOffer();
        for (const areaId of areaIds) {
          await tx.query('SAVEPOINT offer_area');
          try {
            const seats = await this.seats.claimPlaces(tx, { showId, areaId, userId, quantity, admissionId, until: new Date(expiresAt) });
            await tx.query(
              `UPDATE waitlist_entries SET state = 'offered', offer_admission_id = $3, offer_expires_at = $4 WHERE show_id = $1 AND user_id = $2`,
              [showId, userId, admissionId, new Date(expiresAt)],
            );
            return seats;
          } catch (e) {
            if (!(e instanceof BlockLost || (isAppError(e) && (e.code === 'SEAT_UNAVAILABLE' || e.code === 'TICKET_LIMIT_REACHED')))) throw e;
            await tx.query('ROLLBACK TO SAVEPOINT offer_area');
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
    try {
      await this.notices.waitlistOffered({ userId, showId, seatIds, expiresAt });
    } catch (e) {
      this.events.onError?.(e, `waitlist offer notice to ${userId}`);
    }
    return true;
  }
}
