import type { Clock } from '../../platform/clock.js';
import type { Database, Queryable } from '../../platform/database.js';
import { orderReads } from '../orders/order-reads.js';
import { MailOutboxRepository } from './mail-outbox-repository.js';

/**
 * The emails other modules ask for, as use cases: each enqueues one outbox message (in the
 * caller's transaction when it passes one), sent by MailService. Keyed so that telling the same
 * thing twice (a retry) sends one email.
 */
export class NoticesService {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
  ) {}

  /** Places came back for a waitlisted account: they are held for it until `expiresAt`. */
  async waitlistOffered(accountId: string, showId: string, seatIds: string[], expiresAt: Date | string, tx: Queryable = this.db): Promise<boolean> {
    const until = new Date(expiresAt).toISOString();
    return new MailOutboxRepository(tx).enqueue({
      kind: 'waitlist-offer',
      userId: accountId,
      payload: { userId: accountId, showId, seatIds, expiresAt: until },
      dedupeKey: `waitlist-offer:${showId}:${accountId}:${until}`,
      now: new Date(this.clock.now()),
    });
  }

  /** An order was refunded: its buyer hears it once. */
  async orderRefunded(orderId: string, tx: Queryable = this.db): Promise<boolean> {
    const buyer = await orderReads(tx).orders.buyerOf(orderId);
    if (!buyer) return false;
    return new MailOutboxRepository(tx).enqueue({
      kind: 'order-refunded',
      userId: buyer,
      payload: { userId: buyer, orderId },
      dedupeKey: `order-refunded:${orderId}`,
      now: new Date(this.clock.now()),
    });
  }
}
