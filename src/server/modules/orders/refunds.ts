import type { AdminOrderSummary, Order } from '../../../shared/api.js';
import type { Clock } from '../../platform/clock.js';
import type { Database } from '../../platform/database.js';
import { AppError } from '../../platform/errors.js';
import type { Realtime } from '../../platform/realtime.js';
import type { SaleNotices } from '../../platform/sale-notices.js';
import type { PaymentProvider } from '../payments/payment-provider.js';
import { changesOf, FREE_SEAT, publishSeatChanges } from '../seats/seat-changes.js';
import { readOrders } from './order-views.js';
import { attempts } from './payment-attempts.js';

export interface RefundEvents {
  /** Places of the show are free again (the waitlist may take them). */
  onPlacesBack?(showId: string): void;
  onError?(err: unknown, what: string): void;
}

/** The provider's key for giving a charge back: one refund per charge, whoever asks, however often. */
export const refundKey = (chargeId: string): string => `ticketclub-refund-${chargeId}`;

/**
 * An organizer gives a paid order's money back. One transaction decides (a conditional UPDATE of the
 * paid order, so of two admins at once one refunds and the other reads the result): the order is
 * refunded, its tickets void, its places back on sale, and its charge owed back (the attempt's
 * refund_due, which the payment reconciler retries until the provider confirms). Then the provider
 * is asked, keyed by the charge.
 */
export class RefundService {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly realtime: Realtime,
    private readonly payments: PaymentProvider,
    private readonly notices: SaleNotices,
    private readonly events: RefundEvents = {},
  ) {}

  async refund(orderId: string): Promise<Order> {
    const now = new Date(this.clock.now());
    const done = await this.db.transaction(async (tx) => {
      const { rows } = await tx.query<{ user_id: string; show_id: string }>(
        `UPDATE orders SET status = 'refunded', refunded_at = $2 WHERE id = $1 AND status = 'paid' RETURNING user_id, show_id`,
        [orderId, now],
      );
      const order = rows[0];
      if (!order) return null;
      await tx.query(`UPDATE tickets SET voided_at = $2 WHERE order_id = $1 AND voided_at IS NULL`, [orderId, now]);
      const { rows: freed } = await tx.query<{ show_id: string; seat_id: string; area_id: string }>(
        `UPDATE show_seats SET ${FREE_SEAT}, updated_at = $2 WHERE order_id = $1 AND status = 'sold' RETURNING show_id, seat_id, area_id`,
        [orderId, now],
      );
      const { rows: owed } = await tx.query<{ id: string; charge_id: string }>(
        `UPDATE payment_attempts SET state = 'refund_due' WHERE order_id = $1 AND state = 'succeeded' RETURNING id, charge_id`,
        [orderId],
      );
      return { ...order, changes: changesOf(freed, 'available'), owed };
    });
    if (!done) {
      const { rows } = await this.db.query<{ user_id: string; status: string }>(`SELECT user_id, status FROM orders WHERE id = $1`, [orderId]);
      const order = rows[0];
      if (!order) throw new AppError('NOT_FOUND', 'No such order');
      if (order.status !== 'refunded') throw new AppError('ORDER_NOT_PENDING', 'Only a paid order can be refunded.');
      return this.read(orderId, order.user_id);
    }
    publishSeatChanges(this.realtime, done.changes);
    for (const a of done.owed) await this.giveBack(a.id, a.charge_id);
    this.events.onPlacesBack?.(done.show_id);
    try {
      await this.notices.orderRefunded({ userId: done.user_id, showId: done.show_id, orderId });
    } catch (e) {
      this.events.onError?.(e, `refund notice ${orderId}`);
    }
    return this.read(orderId, done.user_id);
  }

  /** If the provider does not answer now, the reconciler gives it back later (the attempt stays refund_due). */
  private async giveBack(attemptId: string, chargeId: string): Promise<void> {
    try {
      await this.payments.refund({ chargeId, idempotencyKey: refundKey(chargeId) });
      await attempts.refunded(this.db, attemptId);
    } catch (e) {
      this.events.onError?.(e, `refund ${chargeId}`);
    }
  }

  private async read(orderId: string, userId: string): Promise<Order> {
    const [order] = await readOrders(this.db, userId, new Date(this.clock.now()), orderId);
    return order!;
  }

  /** The console's list of a show's orders, newest first. */
  async ordersOf(showId: string): Promise<AdminOrderSummary[]> {
    const { rows } = await this.db.query<{
      id: string;
      status: Order['status'];
      user_id: string;
      name: string;
      email: string;
      total: number;
      currency: string;
      created_at: Date;
      paid_at: Date | null;
      refunded_at: Date | null;
      seats: number;
    }>(
      `SELECT o.id, o.status, o.user_id, u.name, u.email, o.total, o.currency, o.created_at, o.paid_at, o.refunded_at,
              (SELECT count(*)::int FROM order_items oi WHERE oi.order_id = o.id) AS seats
         FROM orders o JOIN users u ON u.id = o.user_id
        WHERE o.show_id = $1
        ORDER BY o.created_at DESC, o.id DESC
        LIMIT 1000`,
      [showId],
    );
    return rows.map((r) => ({
      id: r.id,
      status: r.status,
      userId: r.user_id,
      name: r.name,
      email: r.email,
      total: r.total,
      currency: r.currency,
      createdAt: r.created_at.toISOString(),
      paidAt: r.paid_at?.toISOString() ?? null,
      refundedAt: r.refunded_at?.toISOString() ?? null,
      seats: r.seats,
    }));
  }
}
