import { randomBytes } from 'node:crypto';
import type { Order, PayRequest } from '../../../shared/api.js';
import type { Clock } from '../../platform/clock.js';
import type { Database, Queryable } from '../../platform/database.js';
import { AppError } from '../../platform/errors.js';
import type { Realtime } from '../../platform/realtime.js';
import type { TestHooks } from '../../platform/test-hooks.js';
import { checkCard } from '../payments/card.js';
import type { PaymentProvider } from '../payments/payment-provider.js';
import type { AdmissionGate } from '../queue/admission.js';
import { changesOf, FREE_SEAT, freeSeatsOfOrders, lockAccountSeats, publishSeatChanges, type SeatChange } from '../seats/seat-changes.js';
import { readOrders } from './order-views.js';
import { attempts, NO_PAYMENT_IN_FLIGHT, type Attempt } from './payment-attempts.js';
import { releaseExpired, type Released } from './release-expired.js';

export interface OrdersEvents {
  onPaid?(showId: string, seats: number): void;
  /** A cancelled order's places are free again (the waitlist may take them). */
  onPlacesBack?(showId: string): void;
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
  paying_attempt_id: string | null;
  /** The admission the order was made in (null: made before admissions had ids). */
  admission_id: string | null;
}

type ChangedRow = { show_id: string; seat_id: string; area_id: string };

/** Unguessable: 256 random bits. The ticket's QR code carries it; check-in looks it up. */
const newTicketCode = (): string => randomBytes(32).toString('base64url');

/** Test-only: called at the steps of a payment where a crash or a slow provider hurts most. */
export interface PaymentHooks {
  /** The order was read as payable; its attempt is not recorded yet. */
  beforeAttempt?(orderId: string): void | Promise<void>;
  /** The attempt is recorded, the provider not asked yet. */
  beforeCharge?(orderId: string): void | Promise<void>;
  /** The provider charged the card; nothing of it is written on our side yet. */
  afterCharge?(orderId: string): void | Promise<void>;
}

/** How long a pay call waits for another attempt at the same order (a double click, a second tab). */
const AWAIT_ATTEMPT_MS = 10_000;
/** An attempt this old is asked about by whoever comes across it, not left to its own request. */
const LOOKUP_AFTER_MS = 2_000;
/**
 * An attempt the provider still knows nothing of after this long was never charged (its process
 * died before asking, or the request never arrived): it ends as failed and the order is payable.
 * Longer than any charge call takes, so a charge still on its way is not written off.
 */
export const UNKNOWN_AFTER_MS = 60_000;
const RECONCILE_BATCH = 100;

/** Thrown inside the completing transaction when the order's seats are no longer all locked for it. */
class SeatsGone extends Error {}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Buying the held seats: check out, pay (or cancel), get tickets (checked in by admin/checkin-service.ts). */
export class OrdersService {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly realtime: Realtime,
    private readonly gate: AdmissionGate,
    private readonly payments: PaymentProvider,
    private readonly events: OrdersEvents = {},
    private readonly hooks: PaymentHooks = {},
    private readonly testHooks: TestHooks = {},
  ) {}

  private now(): Date {
    return new Date(this.clock.now());
  }

  /**
   * Turns seats the account holds into a pending order, payable until the admission ends. All or
   * nothing: if any seat is not held by the caller right now, nothing changes. A retry of a
   * checkout whose answer was lost (exactly the seats of a pending order of the caller's) gets that
   * order back.
   */
  async checkout(showId: string, userId: string, requested: string[]): Promise<Order> {
    // One seat however its id is spelled: [a, A] is the seat a, once.
    const seatIds = [...new Set(requested.map((id) => id.toLowerCase()))];
    const admission = await this.gate.requireAdmission(showId, userId);
    await this.testHooks.checkout?.();
    const now = this.now();
    const expiresAt = new Date(admission.expiresAt);
    const { orderId, changes } = await this.db.transaction(async (tx) => {
      // Under the account's lock, so a double-clicked checkout finds the order the first click made.
      await lockAccountSeats(tx, showId, userId);
      // Again under the account's lock, which the release of an ended admission takes too: no
      // order is made for an admission that has ended (see SeatsService.hold).
      await this.gate.requireSameAdmission(showId, userId, admission.admissionId);
      const { rows: same } = await tx.query<{ id: string }>(
        `SELECT o.id FROM orders o
          WHERE o.user_id = $1 AND o.show_id = $2 AND o.status = 'pending' AND o.expires_at > $4
            AND ARRAY(SELECT oi.seat_id FROM order_items oi WHERE oi.order_id = o.id ORDER BY oi.seat_id)
              = ARRAY(SELECT x FROM unnest($3::uuid[]) AS x ORDER BY x)
          LIMIT 1`,
        [userId, showId, seatIds, now],
      );
      if (same[0]) return { orderId: same[0].id, changes: [] };
      const { rows: created } = await tx.query<{ id: string }>(
        `INSERT INTO orders (user_id, show_id, status, total, expires_at, created_at, admission_id)
         VALUES ($1, $2, 'pending', 0, $3, $4, $5) RETURNING id`,
        [userId, showId, expiresAt, now, admission.admissionId],
      );
      const orderId = created[0]!.id;
      // Only seats held in this admission: one left over from an ended one is not for sale to it.
      const { rows: locked } = await tx.query<ChangedRow>(
        `UPDATE show_seats SET status = 'locked', order_id = $4, hold_expires_at = $5, updated_at = $6
          WHERE show_id = $1 AND seat_id = ANY($2::uuid[])
            AND status = 'selected' AND holder_id = $3 AND hold_expires_at > $6
            AND (admission_id = $7 OR admission_id IS NULL)
          RETURNING show_id, seat_id, area_id`,
        [showId, seatIds, userId, orderId, expiresAt, now, admission.admissionId],
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
   *
   * The attempt is written before the card is charged, and the order cannot expire or be
   * cancelled while it is in flight: if this process dies after the charge, the reconciler (or
   * the buyer's retry) asks the provider and completes the order or refunds.
   */
  async pay(orderId: string, userId: string, req: PayRequest): Promise<Order> {
    let cardChecked = false;
    // A few rounds: each waits for another attempt in flight, or loses a race to start one.
    for (let round = 0; round < 5; round++) {
      const order = await this.state(orderId, userId);
      if (order.status === 'paid') return this.get(orderId, userId);
      if (order.status !== 'pending') throw new AppError('ORDER_EXPIRED');
      if (order.paying_attempt_id) {
        if (!cardChecked) checkCard(req.card, this.clock.now());
        cardChecked = true;
        await this.awaitAttempt(order.paying_attempt_id);
        continue;
      }
      if (order.expires_at.getTime() <= this.clock.now()) {
        if ((await this.expire(order)) === 'paid') return this.get(orderId, userId);
        throw new AppError('ORDER_EXPIRED');
      }
      if (!cardChecked) checkCard(req.card, this.clock.now());
      cardChecked = true;

      await this.hooks.beforeAttempt?.(orderId);
      // The order's own row decides, not the admission (an in-process line is gone after a restart,
      // the order is not): a release of its ended admission that comes first cancels it, and one
      // that comes after the attempt leaves it to the attempt (NO_PAYMENT_IN_FLIGHT).
      const attempt = await this.db.transaction((tx) => attempts.start(tx, order, this.now()));
      if (!attempt) continue;
      await this.charge(order, attempt, req.card);
      return this.get(orderId, userId);
    }
    throw new AppError('UNAVAILABLE', 'A payment of this order is still going through. Try again in a moment.');
  }

  /** Asks the provider for this attempt's charge and records what it answered. */
  private async charge(order: OrderState, attempt: { id: string; idempotencyKey: string }, card: PayRequest['card']): Promise<void> {
    await this.hooks.beforeCharge?.(order.id);
    let result;
    try {
      result = await this.payments.charge({
        idempotencyKey: attempt.idempotencyKey,
        amount: order.total,
        currency: order.currency,
        card,
        metadata: { orderId: order.id },
      });
    } catch (e) {
      // The charge may or may not have happened: the attempt stays in flight until the provider says.
      this.events.onError?.(e, `charge ${attempt.idempotencyKey}`);
      throw new AppError('UNAVAILABLE', 'The payment could not be confirmed yet. Try again in a moment: you will not be charged twice.');
    }
    if (result.status === 'declined') {
      await this.db.transaction((tx) => attempts.endWithoutCharge(tx, attempt.id, 'declined', this.now()));
      throw new AppError('PAYMENT_DECLINED');
    }
    await this.hooks.afterCharge?.(order.id);
    const outcome = await this.settle({ id: attempt.id, order_id: order.id, show_id: order.show_id, user_id: order.user_id, admission_id: order.admission_id }, result.chargeId);
    if (outcome !== 'paid' && (await this.state(order.id, order.user_id)).status !== 'paid') throw new AppError('ORDER_EXPIRED');
  }

  /**
   * Waits for another request's attempt at this order to be resolved. One that has been in flight
   * a while may belong to a process that died: then this request asks the provider itself.
   */
  private async awaitAttempt(attemptId: string): Promise<void> {
    const deadline = Date.now() + AWAIT_ATTEMPT_MS;
    let asked = false;
    for (;;) {
      const a = await attempts.get(this.db, attemptId);
      if (!a || a.state !== 'charging') return;
      if (!asked && a.created_at.getTime() <= this.clock.now() - LOOKUP_AFTER_MS) {
        asked = true;
        await this.resolve(a);
        continue;
      }
      if (Date.now() > deadline) throw new AppError('UNAVAILABLE', 'A payment of this order is still going through. Try again in a moment.');
      await sleep(25);
    }
  }

  /**
   * Records that the attempt's charge went through. In one transaction the order becomes paid,
   * its seats sold and its tickets issued, if the attempt still holds the order. Otherwise (the
   * attempt was written off meanwhile, or the order's seats are not all its own any more) the
   * charge is refunded. Then the seat map hears it and the next in line gets the place.
   * Safe to call twice and from two instances at once: the attempt's row lock picks one.
   */
  private async settle(attempt: Pick<Attempt, 'id' | 'order_id' | 'show_id' | 'user_id' | 'admission_id'>, chargeId: string): Promise<'paid' | 'refunded' | 'already'> {
    const now = this.now();
    let outcome: { kind: 'paid'; changes: SeatChange[] } | { kind: 'refund' } | { kind: 'already' };
    try {
      outcome = await this.db.transaction(async (tx) => {
        await lockAccountSeats(tx, attempt.show_id, attempt.user_id);
        const state = await attempts.lock(tx, attempt.id);
        if (state !== 'charging' && state !== 'failed') return { kind: 'already' as const };
        if (state === 'charging') {
          const changes = await this.completeOrder(tx, attempt, chargeId, now);
          if (changes) {
            await attempts.succeeded(tx, attempt.id, chargeId, now);
            return { kind: 'paid' as const, changes };
          }
        }
        await attempts.refundDue(tx, attempt.id, chargeId, now);
        return { kind: 'refund' as const };
      });
    } catch (e) {
      if (!(e instanceof SeatsGone)) throw e;
      this.events.onError?.(e, `complete order ${attempt.order_id}`);
      // The order can never be completed: it ends, its remaining seats go back, the money back.
      const changes = await this.db.transaction(async (tx) => {
        await lockAccountSeats(tx, attempt.show_id, attempt.user_id);
        if (!(await attempts.refundDue(tx, attempt.id, chargeId, now))) return null;
        const ended = await this.endPending(tx, attempt.order_id, now);
        return ended ? freeSeatsOfOrders(tx, [attempt.order_id], now) : [];
      });
      if (changes) publishSeatChanges(this.realtime, changes);
      outcome = { kind: 'refund' };
    }

    if (outcome.kind === 'already') return 'already';
    if (outcome.kind === 'refund') {
      await this.refund(attempt.id, chargeId);
      return 'refunded';
    }
    const { changes } = outcome;
    publishSeatChanges(this.realtime, changes);
    this.events.onPaid?.(attempt.show_id, changes.filter((c) => c.status === 'sold').length);
    try {
      // Only this order's admission: a late end must not end a newer admission of the account.
      await this.gate.endAdmission(attempt.show_id, attempt.user_id, 'purchased', attempt.admission_id ?? undefined);
    } catch (e) {
      // The purchase stands; the admission then simply runs out on its own.
      this.events.onError?.(e, `end admission of ${attempt.user_id} after purchase`);
    }
    return 'paid';
  }

  /**
   * The order paid by this attempt's charge: only while the attempt holds it. Not bound by the
   * order's deadline: the attempt started in time, and nothing released the seats since.
   */
  private async completeOrder(
    tx: Queryable,
    attempt: Pick<Attempt, 'id' | 'order_id' | 'show_id' | 'user_id'>,
    chargeId: string,
    now: Date,
  ): Promise<SeatChange[] | null> {
    const paid = await tx.query(
      `UPDATE orders SET status = 'paid', paid_at = $2, payment_ref = $3, paying_attempt_id = NULL
        WHERE id = $1 AND status = 'pending' AND paying_attempt_id = $4`,
      [attempt.order_id, now, chargeId, attempt.id],
    );
    if (paid.rowCount === 0) return null;
    const { rows: sold } = await tx.query<ChangedRow>(
      `UPDATE show_seats SET status = 'sold', hold_expires_at = NULL, updated_at = $2
        WHERE order_id = $1 AND status = 'locked'
        RETURNING show_id, seat_id, area_id`,
      [attempt.order_id, now],
    );
    const items = await tx.query<{ n: number }>(`SELECT count(*)::int AS n FROM order_items WHERE order_id = $1`, [attempt.order_id]);
    if (sold.length !== items.rows[0]!.n) throw new SeatsGone(`order ${attempt.order_id}: ${sold.length} locked seats for ${items.rows[0]!.n} items`);
    // UNIQUE (show_id, seat_id) on tickets: a seat is ticketed once whatever happens above.
    await tx.query(
      `INSERT INTO tickets (order_id, user_id, show_id, seat_id, code, created_at)
       SELECT $1, $2, $3, x.seat_id, x.code, $6 FROM unnest($4::uuid[], $5::text[]) AS x(seat_id, code)`,
      [attempt.order_id, attempt.user_id, attempt.show_id, sold.map((s) => s.seat_id), sold.map(() => newTicketCode()), now],
    );
    // The purchase ends the admission: seats still held but not bought go back on sale.
    const { rows: leftover } = await tx.query<ChangedRow>(
      `UPDATE show_seats SET ${FREE_SEAT}, updated_at = $3
        WHERE show_id = $1 AND holder_id = $2 AND status = 'selected'
        RETURNING show_id, seat_id, area_id`,
      [attempt.show_id, attempt.user_id, now],
    );
    return [...changesOf(sold, 'sold'), ...changesOf(leftover, 'available')];
  }

  /** Gives a charge back; if the provider cannot be reached, the reconciler tries again later. */
  private async refund(attemptId: string, chargeId: string): Promise<void> {
    try {
      // Keyed by the charge: whoever refunds it, however often, it is given back once.
      await this.payments.refund({ chargeId, idempotencyKey: `ticketclub-refund-${chargeId}` });
      await attempts.refunded(this.db, attemptId);
    } catch (e) {
      this.events.onError?.(e, `refund ${chargeId}`);
    }
  }

  /** Asks the provider what became of an attempt in flight, and records it. */
  private async resolve(a: Attempt): Promise<void> {
    const charge = await this.payments.lookup(a.idempotency_key);
    if (charge?.status === 'succeeded') {
      await this.settle(a, charge.chargeId);
    } else if (charge?.status === 'declined') {
      await this.db.transaction((tx) => attempts.endWithoutCharge(tx, a.id, 'declined', this.now()));
    } else if (a.created_at.getTime() <= this.clock.now() - UNKNOWN_AFTER_MS) {
      await this.db.transaction((tx) => attempts.endWithoutCharge(tx, a.id, 'failed', this.now()));
    }
  }

  /**
   * The payment reconciler: resolves attempts left in flight (by a process that died, or a
   * provider that did not answer) by asking the provider about their idempotency keys, and retries
   * refunds owed. Run at start and periodically, on any number of instances: every step is
   * conditional and refunds are idempotent, so two runs at once do each thing once.
   */
  async reconcilePayments(): Promise<{ resolved: number }> {
    const due = await attempts.unresolved(this.db, new Date(this.clock.now() - LOOKUP_AFTER_MS), RECONCILE_BATCH);
    let resolved = 0;
    for (const a of due) {
      try {
        if (a.state === 'refund_due') await this.refund(a.id, a.charge_id!);
        else await this.resolve(a);
        if ((await attempts.get(this.db, a.id))?.state !== 'charging') resolved++;
      } catch (e) {
        this.events.onError?.(e, `reconcile payment attempt ${a.id}`);
      }
    }
    return { resolved };
  }

  /** Ends a pending order not being paid: expired if its time ran out, else cancelled. */
  private async endPending(tx: Queryable, orderId: string, now: Date): Promise<boolean> {
    const { rowCount } = await tx.query(
      `UPDATE orders SET status = CASE WHEN expires_at <= $2 THEN 'expired' ELSE 'cancelled' END
        WHERE id = $1 AND status = 'pending' AND ${NO_PAYMENT_IN_FLIGHT}`,
      [orderId, now],
    );
    return rowCount > 0;
  }

  /** Cancels the caller's pending order; its seats go back on sale. */
  async cancel(orderId: string, userId: string): Promise<void> {
    const order = await this.state(orderId, userId);
    const now = this.now();
    const changes = await this.db.transaction(async (tx) => {
      await lockAccountSeats(tx, order.show_id, userId);
      return (await this.endPending(tx, orderId, now)) ? freeSeatsOfOrders(tx, [orderId], now) : null;
    });
    if (!changes) throw new AppError('ORDER_NOT_PENDING');
    publishSeatChanges(this.realtime, changes);
    this.events.onPlacesBack?.(order.show_id);
  }

  /** Expires a pending order past its time and frees its seats; says what the order is now. */
  private async expire(order: Pick<OrderState, 'id' | 'show_id' | 'user_id'>): Promise<Order['status']> {
    const now = this.now();
    const changes = await this.db.transaction(async (tx) => {
      const { rowCount } = await tx.query(
        `UPDATE orders SET status = 'expired' WHERE id = $1 AND status = 'pending' AND expires_at <= $2 AND ${NO_PAYMENT_IN_FLIGHT}`,
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
      `SELECT id, show_id, user_id, status, total, currency, expires_at, payment_ref, paying_attempt_id, admission_id FROM orders WHERE id = $1 AND user_id = $2`,
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
