import type { AdminOrderSummary, Order } from '../../../shared/api.js';
import type { Clock } from '../../platform/clock.js';
import type { Database } from '../../platform/database.js';
import { AppError } from '../../platform/errors.js';
import type { Realtime } from '../../platform/realtime.js';
import type { SaleNotices } from '../../platform/sale-notices.js';
import type { PaymentProvider } from '../payments/payment-provider.js';
import { publishSeatChanges } from '../seats/seats-gateway.js';
import { seatSteps } from '../seats/seats-service.js';
import { readOrders } from './order-views.js';
import { OrdersRepository } from './orders-repository.js';
import { PaymentAttemptsRepository } from './payment-attempts-repository.js';
import { TicketsRepository } from './tickets-repository.js';

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
      const order = await new OrdersRepository(tx).markRefunded(orderId, now);
      if (!order) return null;
      await new TicketsRepository(tx).voidTickets(orderId, now);
      const changes = await seatSteps(tx).releaseSold(orderId, now);
      const owed = await new PaymentAttemptsRepository(tx).refundDueOfOrder(orderId);
      // In the same transaction: the buyer hears of the refund if and only if it happened.
      await this.notices.orderRefunded(orderId, tx);
      return { ...order, changes, owed };
    });
    if (!done) {
      const order = await new OrdersRepository(this.db).ownerAndStatus(orderId);
      if (!order) throw new AppError('NOT_FOUND', 'No such order');
      if (order.status !== 'refunded') throw new AppError('ORDER_NOT_PENDING', 'Only a paid order can be refunded.');
      return this.read(orderId, order.user_id);
    }
    publishSeatChanges(this.realtime, done.changes);
    for (const a of done.owed) await this.giveBack(a.id, a.charge_id);
    this.events.onPlacesBack?.(done.show_id);
    return this.read(orderId, done.user_id);
  }

  /** If the provider does not answer now, the reconciler gives it back later (the attempt stays refund_due). */
  private async giveBack(attemptId: string, chargeId: string): Promise<void> {
    try {
      await this.payments.refund({ chargeId, idempotencyKey: refundKey(chargeId) });
      await new PaymentAttemptsRepository(this.db).refunded(attemptId);
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
    const rows = await new OrdersRepository(this.db).ofShow(showId, 1000);
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
