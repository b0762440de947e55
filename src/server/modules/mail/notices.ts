import type { Clock } from '../../platform/clock.js';
import type { Database, Queryable } from '../../platform/database.js';
import { outbox } from './outbox.js';

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
    return outbox.enqueue(tx, {
      kind: 'waitlist-offer',
      userId: accountId,
      payload: { userId: accountId, showId, seatIds, expiresAt: until },
      dedupeKey: `waitlist-offer:${showId}:${accountId}:${until}`,
      now: new Date(this.clock.now()),
    });
  }

  /** An order was refunded: its buyer hears it once. */
  async orderRefunded(orderId: string, tx: Queryable = this.db): Promise<boolean> {
    const { rows } = await tx.query<{ user_id: string }>(`SELECT user_id FROM orders WHERE id = $1`, [orderId]);
    if (!rows[0]) return false;
    return outbox.enqueue(tx, {
      kind: 'order-refunded',
      userId: rows[0].user_id,
      payload: { userId: rows[0].user_id, orderId },
      dedupeKey: `order-refunded:${orderId}`,
      now: new Date(this.clock.now()),
    });
  }
}
