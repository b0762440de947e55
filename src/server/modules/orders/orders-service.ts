import { createHash, randomBytes } from 'node:crypto';
import type { Order, PayRequest } from '../../../shared/api.js';
import type { Clock } from '../../platform/clock.js';
import type { Database } from '../../platform/database.js';
import { AppError } from '../../platform/errors.js';
import type { Realtime } from '../../platform/realtime.js';
import { checkCard, cardDigits } from '../payments/card.js';
import type { PaymentProvider } from '../payments/payment-provider.js';
import type { AdmissionGate } from '../queue/admission.js';
import { changesOf, FREE_SEAT, freeSeatsOfOrders, lockAccountSeats, publishSeatChanges, type SeatChange } from '../seats/seat-changes.js';
import { readOrders } from './order-views.js';
import { releaseExpired, type Released } from './release-expired.js';

export interface OrdersEvents {
  onPaid?(showId: string, seats: number): void;
  onError?(err: unknown, what: string): void;
}

interface OrderState {
  id: string;
  show_id: string;
  user_id: string;
  status: Order['status'];
  total: number;
  currency: string;
  expires_at: Date;
  payment_ref: string | null;
}

type ChangedRow = { show_id: string; seat_id: string; area_id: string };

/** Unguessable: 256 random bits. The ticket's QR code carries it; check-in looks it up. */
const newTicketCode = (): string => randomBytes(32).toString('base64url');

/** The same card on the same order is the same payment: a double click or a retry charges once. */
const paymentKey = (orderId: string, card: PayRequest['card']): string =>
  `pay:${orderId}:${createHash('sha256')
    .update(`${cardDigits(card.number)}|${card.expMonth}|${card.expYear}|${card.cvc}`)
    .digest('base64url')
    .slice(0, 22)}`;

/** Buying the held seats: check out, pay (or cancel), get tickets (checked in by admin/checkin-service.ts). */
export class OrdersService {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly realtime: Realtime,
    private readonly gate: AdmissionGate,
    private readonly payments: PaymentProvider,
    private readonly events: OrdersEvents = {},
  ) {}

  private now(): Date {
    return new Date(this.clock.now());
  }

  /**
   * Turns seats the account holds into a pending order, payable until the admission ends. All or
   * nothing: if any seat is not held by the caller right now, nothing changes.
   */
  async checkout(showId: string, userId: string, seatIds: string[]): Promise<Order> {
    const admission = await this.gate.requireAdmission(showId, userId);
    const now = this.now();
    const expiresAt = new Date(admission.expiresAt);
    const { orderId, changes } = await this.db.transaction(async (tx) => {
      await lockAccountSeats(tx, showId, userId);
      const { rows: created } = await tx.query<{ id: string }>(
        `INSERT INTO orders (user_id, show_id, status, total, expires_at, created_at)
         VALUES ($1, $2, 'pending', 0, $3, $4) RETURNING id`,
        [userId, showId, expiresAt, now],
      );
      const orderId = created[0]!.id;
      const { rows: locked } = await tx.query<ChangedRow>(
        `UPDATE show_seats SET status = 'locked', order_id = $4, hold_expires_at = $5, updated_at = $6
          WHERE show_id = $1 AND seat_id = ANY($2::uuid[])
            AND status = 'selected' AND holder_id = $3 AND hold_expires_at > $6
          RETURNING show_id, seat_id, area_id`,
        [showId, seatIds, userId, orderId, expiresAt, now],
      );
      if (locked.length !== seatIds.length) throw new AppError('SEAT_UNAVAILABLE', 'Some of these seats are not held by you any more.');
      await tx.query(
        `INSERT INTO order_items (order_id, show_id, seat_id, price)
         SELECT $1, ss.show_id, ss.seat_id, p.price
           FROM show_seats ss JOIN show_prices p ON p.show_id = ss.show_id AND p.area_id = ss.area_id
          WHERE ss.show_id = $2 AND ss.order_id = $1`,
        [orderId, showId],
      );
      await tx.query(
        `UPDATE orders o SET total = t.total, currency = coalesce(t.currency, o.currency)
           FROM (SELECT coalesce(sum(oi.price), 0)::int AS total, min(p.currency) AS currency
                   FROM order_items oi
                   JOIN show_seats ss ON ss.show_id = oi.show_id AND ss.seat_id = oi.seat_id
                   JOIN show_prices p ON p.show_id = ss.show_id AND p.area_id = ss.area_id
                  WHERE oi.order_id = $1) t
          WHERE o.id = $1`,
        [orderId],
      );
      return { orderId, changes: changesOf(locked, 'locked') };
    });
    publishSeatChanges(this.realtime, changes);
    return this.get(orderId, userId);
  }

  /**
   * Pays a pending order within its time. Paying a paid order returns it unchanged (no second
   * charge, no second tickets). The admission is not needed, only the order's own deadline.
   */
  async pay(orderId: string, userId: string, req: PayRequest): Promise<Order> {
    const order = await this.state(orderId, userId);
    if (order.status === 'paid') return this.get(orderId, userId);
    if (order.status !== 'pending') throw new AppError('ORDER_EXPIRED');
    if (order.expires_at.getTime() <= this.clock.now()) {
      if ((await this.expire(order)) === 'paid') return this.get(orderId, userId);
      throw new AppError('ORDER_EXPIRED');
    }
    checkCard(req.card, this.clock.now());

    const idempotencyKey = paymentKey(orderId, req.card);
    const result = await this.payments.charge({
      orderId,
      amount: order.total,
      currency: order.currency,
      card: req.card,
      idempotencyKey,
    });
    if (result.status === 'declined') throw new AppError('PAYMENT_DECLINED');
    await this.completePayment(order, result.reference, idempotencyKey);
    return this.get(orderId, userId);
  }

  /**
   * Records a successful charge: in one transaction the order becomes paid (only if still pending
   * and in time), its seats sold and its tickets issued. A charge that comes too late, or second
   * to another one, is refunded. Then the seat map hears it and the next in line gets the place.
   */
  async completePayment(order: Pick<OrderState, 'id' | 'show_id' | 'user_id'>, reference: string, idempotencyKey: string): Promise<void> {
    const now = this.now();
    let changes: SeatChange[] | null;
    try {
      changes = await this.db.transaction(async (tx) => {
        await lockAccountSeats(tx, order.show_id, order.user_id);
        const paid = await tx.query(
          `UPDATE orders SET status = 'paid', paid_at = $2, payment_ref = $3
            WHERE id = $1 AND status = 'pending' AND expires_at > $2`,
          [order.id, now, reference],
        );
        if (paid.rowCount === 0) return null;
        const { rows: sold } = await tx.query<ChangedRow>(
          `UPDATE show_seats SET status = 'sold', hold_expires_at = NULL, updated_at = $2
            WHERE order_id = $1 AND status = 'locked'
            RETURNING show_id, seat_id, area_id`,
          [order.id, now],
        );
        const items = await tx.query<{ n: number }>(`SELECT count(*)::int AS n FROM order_items WHERE order_id = $1`, [order.id]);
        if (sold.length !== items.rows[0]!.n) throw new Error(`order ${order.id}: ${sold.length} locked seats for ${items.rows[0]!.n} items`);
        // UNIQUE (show_id, seat_id) on tickets: a seat is ticketed once whatever happens above.
        await tx.query(
          `INSERT INTO tickets (order_id, user_id, show_id, seat_id, code, created_at)
           SELECT $1, $2, $3, x.seat_id, x.code, $6 FROM unnest($4::uuid[], $5::text[]) AS x(seat_id, code)`,
          [order.id, order.user_id, order.show_id, sold.map((s) => s.seat_id), sold.map(() => newTicketCode()), now],
        );
        // The purchase ends the admission: seats still held but not bought go back on sale.
        const { rows: leftover } = await tx.query<ChangedRow>(
          `UPDATE show_seats SET ${FREE_SEAT}, updated_at = $3
            WHERE show_id = $1 AND holder_id = $2 AND status = 'selected'
            RETURNING show_id, seat_id, area_id`,
          [order.show_id, order.user_id, now],
        );
        return [...changesOf(sold, 'sold'), ...changesOf(leftover, 'available')];
      });
    } catch (e) {
      await this.refund(reference, idempotencyKey);
      throw e;
    }

    if (!changes) {
      // Someone else changed the order first: a concurrent payment, a cancel, or the deadline.
      const now2 = await this.state(order.id, order.user_id);
      if (now2.status === 'paid') {
        if (now2.payment_ref !== reference) await this.refund(reference, idempotencyKey);
        return;
      }
      await this.refund(reference, idempotencyKey);
      if (now2.status === 'pending') await this.expire(now2);
      throw new AppError('ORDER_EXPIRED');
    }

    publishSeatChanges(this.realtime, changes);
    this.events.onPaid?.(order.show_id, changes.filter((c) => c.status === 'sold').length);
    try {
      await this.gate.endAdmission(order.show_id, order.user_id, 'purchased');
    } catch (e) {
      // The purchase stands; the admission then simply runs out on its own.
      this.events.onError?.(e, `end admission of ${order.user_id} after purchase`);
    }
  }

  private async refund(reference: string, idempotencyKey: string): Promise<void> {
    try {
      await this.payments.refund(reference, `refund:${idempotencyKey}`);
    } catch (e) {
      this.events.onError?.(e, `refund ${reference}`);
    }
  }

  /** Cancels the caller's pending order; its seats go back on sale. */
  async cancel(orderId: string, userId: string): Promise<void> {
    const order = await this.state(orderId, userId);
    const now = this.now();
    const changes = await this.db.transaction(async (tx) => {
      await lockAccountSeats(tx, order.show_id, userId);
      const { rowCount } = await tx.query(
        `UPDATE orders SET status = CASE WHEN expires_at <= $2 THEN 'expired' ELSE 'cancelled' END
          WHERE id = $1 AND status = 'pending'`,
        [orderId, now],
      );
      return rowCount === 0 ? null : freeSeatsOfOrders(tx, [orderId], now);
    });
    if (!changes) throw new AppError('ORDER_NOT_PENDING');
    publishSeatChanges(this.realtime, changes);
  }

  /** Expires a pending order past its time and frees its seats; says what the order is now. */
  private async expire(order: Pick<OrderState, 'id' | 'show_id' | 'user_id'>): Promise<Order['status']> {
    const now = this.now();
    const changes = await this.db.transaction(async (tx) => {
      const { rowCount } = await tx.query(
        `UPDATE orders SET status = 'expired' WHERE id = $1 AND status = 'pending' AND expires_at <= $2`,
        [order.id, now],
      );
      return rowCount === 0 ? null : freeSeatsOfOrders(tx, [order.id], now);
    });
    if (changes) {
      publishSeatChanges(this.realtime, changes);
      return 'expired';
    }
    return (await this.state(order.id, order.user_id)).status;
  }

  private async state(orderId: string, userId: string): Promise<OrderState> {
    const { rows } = await this.db.query<OrderState>(
      `SELECT id, show_id, user_id, status, total, currency, expires_at, payment_ref FROM orders WHERE id = $1 AND user_id = $2`,
      [orderId, userId],
    );
    // Someone else's order is as unknown as a missing one.
    if (!rows[0]) throw new AppError('NOT_FOUND', 'No such order');
    return rows[0];
  }

  async list(userId: string): Promise<Order[]> {
    return readOrders(this.db, userId, this.now());
  }

  async get(orderId: string, userId: string): Promise<Order> {
    const [order] = await readOrders(this.db, userId, this.now(), orderId);
    if (!order) throw new AppError('NOT_FOUND', 'No such order');
    return order;
  }

  /** The release job: see release-expired.ts. Run it every second or so, on any number of instances. */
  releaseExpired(now: number = this.clock.now()): Promise<Released> {
    return releaseExpired(this.db, this.realtime, new Date(now));
  }
}
