import { randomBytes, randomUUID } from 'node:crypto';
import { MAX_TICKETS_PER_ACCOUNT, type Order, type PayRequest } from '../../../shared/api.js';
import type { Clock } from '../../platform/clock.js';
import type { Database, Queryable } from '../../platform/database.js';
import { AppError } from '../../platform/errors.js';
import type { Realtime } from '../../platform/realtime.js';
import type { TestHooks } from '../../platform/test-hooks.js';
import { checkCard } from '../payments/card.js';
import type { PaymentProvider } from '../payments/payment-provider.js';
import type { AdmissionGate } from '../queue/admission.js';
import { publishSeatChanges } from '../seats/seats-gateway.js';
import { seatSteps } from '../seats/seats-service.js';
import { readOrders } from './order-views.js';
import { OrdersRepository, SEATS_LOST_SQLSTATE, type OrderState, type PaymentCompletion } from './orders-repository.js';
import { PaymentAttemptsRepository, type Attempt } from './payment-attempts-repository.js';
import { ticketPdf } from './ticket-pdf.js';
import { readTicketSheet } from './ticket-sheet.js';
import { releaseExpired, type Released } from './release-expired.js';
import { TicketsRepository } from './tickets-repository.js';

export interface OrdersEvents {
  onPaid?(showId: string, seats: number): void;
  /** A cancelled order's places are free again (the waitlist may take them). */
  onPlacesBack?(showId: string): void;
  onError?(err: unknown, what: string): void;
}

/**
 * Ticket codes for an order of up to `n` seats, from one call for random bytes. Each is unguessable:
 * 256 random bits. The ticket's QR code carries it; check-in looks it up.
 */
const newTicketCodes = (n: number): string[] => {
  const bytes = randomBytes(32 * n);
  return Array.from({ length: n }, (_, i) => bytes.subarray(32 * i, 32 * (i + 1)).toString('base64url'));
};

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

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The ticket steps of the door (admin/checkin-service.ts), on `q`. */
export const ticketsAtTheDoor = (q: Queryable): Pick<TicketsRepository, 'checkIn' | 'forDoor'> => new TicketsRepository(q);

/** The steps a use case takes on `q` (the database, or one transaction for several steps). */
const stepsOn = (q: Queryable) => ({
  seats: seatSteps(q),
  orders: new OrdersRepository(q),
  attempts: new PaymentAttemptsRepository(q),
});

/** Buying the held seats: check out, pay (or cancel), get tickets (checked in by admin/checkin-service.ts). */
export class OrdersService {
  private readonly orders: OrdersRepository;
  private readonly attempts: PaymentAttemptsRepository;

  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly realtime: Realtime,
    private readonly gate: AdmissionGate,
    private readonly payments: PaymentProvider,
    private readonly events: OrdersEvents = {},
    /** Read field by field when called: tests set them after the app is built. */
    private readonly hooks: TestHooks = {},
  ) {
    this.orders = new OrdersRepository(db);
    this.attempts = new PaymentAttemptsRepository(db);
  }

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
    await this.hooks.checkout?.();
    const now = this.now();
    const expiresAt = new Date(admission.expiresAt);
    const { orderId, changes } = await this.db.transaction(async (tx) => {
      const { seats, orders } = stepsOn(tx);
      // Under the account's lock, so a double-clicked checkout finds the order the first click made.
      await seats.lockAccount(showId, userId);
      // Again under the account's lock, which the release of an ended admission takes too: no
      // order is made for an admission that has ended (see SeatsService.hold).
      await this.gate.requireSameAdmission(showId, userId, admission.admissionId);
      const out = await orders.checkOut({ userId, showId, seatIds, expiresAt, now, admissionId: admission.admissionId });
      if (out.same) return { orderId: out.same, changes: [] };
      if (!out.made || out.locked.length !== seatIds.length) throw new AppError('SEAT_UNAVAILABLE', 'Some of these seats are not held by you any more.');
      return { orderId: out.made, changes: out.locked };
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
      const attempt = await this.startAttempt(order, this.now());
      if (!attempt) continue;
      await this.charge(order, attempt, req.card);
      return this.get(orderId, userId);
    }
    throw new AppError('UNAVAILABLE', 'A payment of this order is still going through. Try again in a moment.');
  }

  /**
   * Marks the order as being paid and records the attempt, if the order is pending, in time and
   * not already being paid (by another request, tab or instance). Null when it is not.
   */
  private async startAttempt(order: OrderState, now: Date): Promise<{ id: string; idempotencyKey: string } | null> {
    const id = randomUUID();
    // The attempt's own id is the provider's idempotency key: each try is a new charge, and the
    // record of a try is enough to ask the provider what became of it.
    const idempotencyKey = `ticketclub-pay-${id}`;
    const started = await stepsOn(this.db).orders.markPaying({ orderId: order.id, attemptId: id, idempotencyKey, amount: order.total, currency: order.currency, now });
    return started ? { id, idempotencyKey } : null;
  }

  /** No money moved (declined, or the provider never saw the charge): the order is payable again. */
  private async endWithoutCharge(tx: Queryable, attemptId: string, state: 'declined' | 'failed', now: Date): Promise<void> {
    const { orders, attempts } = stepsOn(tx);
    if (await attempts.endWithoutCharge(attemptId, state, now)) await orders.releaseFromAttempt(attemptId);
  }

  /**
   * Money moved but the order cannot be completed by it: the charge is to be given back (the
   * reconciler retries until the provider confirms). The order is released from the attempt.
   */
  private async refundDue(tx: Queryable, attemptId: string, chargeId: string, now: Date): Promise<boolean> {
    const { orders, attempts } = stepsOn(tx);
    const due = await attempts.refundDue(attemptId, chargeId, now);
    await orders.releaseFromAttempt(attemptId);
    return due;
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
      await this.db.transaction((tx) => this.endWithoutCharge(tx, attempt.id, 'declined', this.now()));
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
      const a = await this.attempts.get(attemptId);
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
    let done: PaymentCompletion;
    try {
      done = await this.orders.completePayment({
        attemptId: attempt.id,
        orderId: attempt.order_id,
        showId: attempt.show_id,
        userId: attempt.user_id,
        chargeId,
        now,
        // One code per seat, and no order has more seats than the highest ticket limit.
        codes: newTicketCodes(MAX_TICKETS_PER_ACCOUNT),
        // The confirmation with the tickets commits with them, once per order however often this runs.
        mail: { dedupeKey: `order-paid:${attempt.order_id}`, payload: { orderId: attempt.order_id } },
      });
    } catch (e) {
      if ((e as { code?: string }).code !== SEATS_LOST_SQLSTATE) throw e;
      this.events.onError?.(e, `complete order ${attempt.order_id}`);
      // The order can never be completed: it ends, its remaining seats go back, the money back.
      const changes = await this.db.transaction(async (tx) => {
        const { seats, orders } = stepsOn(tx);
        await seats.lockAccount(attempt.show_id, attempt.user_id);
        if (!(await this.refundDue(tx, attempt.id, chargeId, now))) return null;
        const ended = await orders.endPending(attempt.order_id, now);
        return ended ? seats.releaseOrders([attempt.order_id], now) : [];
      });
      if (changes) publishSeatChanges(this.realtime, changes);
      await this.refund(attempt.id, chargeId);
      return 'refunded';
    }

    if (done.outcome === 'already') return 'already';
    if (done.outcome === 'refund') {
      // Not this attempt's order to pay any more (or written off as failed): the money goes back.
      await this.db.transaction(async (tx) => {
        await stepsOn(tx).seats.lockAccount(attempt.show_id, attempt.user_id);
        await this.refundDue(tx, attempt.id, chargeId, now);
      });
      await this.refund(attempt.id, chargeId);
      return 'refunded';
    }
    const { changes } = done;
    publishSeatChanges(this.realtime, changes);
    this.events.onPaid?.(attempt.show_id, changes.filter((c) => c.status === 'sold').length);
    try {
      // Only this order's admission: a late end must not end a newer admission of the account.
      await this.gate.endAdmission(attempt.show_id, attempt.user_id, 'purchased', attempt.admission_id ?? undefined, { anyUnsold: done.anyUnsold });
    } catch (e) {
      // The purchase stands; the admission then simply runs out on its own.
      this.events.onError?.(e, `end admission of ${attempt.user_id} after purchase`);
    }
    return 'paid';
  }

  /** Gives a charge back; if the provider cannot be reached, the reconciler tries again later. */
  private async refund(attemptId: string, chargeId: string): Promise<void> {
    try {
      // Keyed by the charge: whoever refunds it, however often, it is given back once.
      await this.payments.refund({ chargeId, idempotencyKey: `ticketclub-refund-${chargeId}` });
      await this.attempts.refunded(attemptId);
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
      await this.db.transaction((tx) => this.endWithoutCharge(tx, a.id, 'declined', this.now()));
    } else if (a.created_at.getTime() <= this.clock.now() - UNKNOWN_AFTER_MS) {
      await this.db.transaction((tx) => this.endWithoutCharge(tx, a.id, 'failed', this.now()));
    }
  }

  /**
   * The payment reconciler: resolves attempts left in flight (by a process that died, or a
   * provider that did not answer) by asking the provider about their idempotency keys, and retries
   * refunds owed. Run at start and periodically, on any number of instances: every step is
   * conditional and refunds are idempotent, so two runs at once do each thing once.
   */
  async reconcilePayments(): Promise<{ resolved: number }> {
    const due = await this.attempts.unresolved(new Date(this.clock.now() - LOOKUP_AFTER_MS), RECONCILE_BATCH);
    let resolved = 0;
    for (const a of due) {
      try {
        if (a.state === 'refund_due') await this.refund(a.id, a.charge_id!);
        else await this.resolve(a);
        if ((await this.attempts.get(a.id))?.state !== 'charging') resolved++;
      } catch (e) {
        this.events.onError?.(e, `reconcile payment attempt ${a.id}`);
      }
    }
    return { resolved };
  }

  /** Cancels the caller's pending order; its seats go back on sale. */
  async cancel(orderId: string, userId: string): Promise<void> {
    const order = await this.state(orderId, userId);
    const now = this.now();
    const changes = await this.db.transaction(async (tx) => {
      const { seats, orders } = stepsOn(tx);
      await seats.lockAccount(order.show_id, userId);
      return (await orders.endPending(orderId, now)) ? seats.releaseOrders([orderId], now) : null;
    });
    if (!changes) throw new AppError('ORDER_NOT_PENDING');
    publishSeatChanges(this.realtime, changes);
    this.events.onPlacesBack?.(order.show_id);
  }

  /** Expires a pending order past its time and frees its seats; says what the order is now. */
  private async expire(order: Pick<OrderState, 'id' | 'show_id' | 'user_id'>): Promise<Order['status']> {
    const now = this.now();
    const changes = await this.db.transaction(async (tx) => {
      const { seats, orders } = stepsOn(tx);
      return (await orders.expire(order.id, now)) ? seats.releaseOrders([order.id], now) : null;
    });
    if (changes) {
      publishSeatChanges(this.realtime, changes);
      return 'expired';
    }
    return (await this.state(order.id, order.user_id)).status;
  }

  private async state(orderId: string, userId: string): Promise<OrderState> {
    const order = await this.orders.stateOf(orderId, userId);
    // Someone else's order is as unknown as a missing one.
    if (!order) throw new AppError('NOT_FOUND', 'No such order');
    return order;
  }

  /**
   * The account's admission ended without a purchase: the holds made in it go back on sale and its
   * pending orders end (expired if their time ran out, cancelled otherwise). Paid orders are never
   * touched, nor orders being paid (their charge may have gone through: the payment decides), and
   * neither is anything of a newer admission of the same account: a release that
   * arrives late frees only what the ended admission held. Rows from before admissions had ids
   * (admission_id NULL) go with any ended admission of the account, as they always did.
   */
  async releaseAdmission(showId: string, userId: string, admissionId: string): Promise<void> {
    const now = this.now();
    const changes = await this.db.transaction(async (tx) => {
      const { seats, orders } = stepsOn(tx);
      await seats.lockAccount(showId, userId);
      const ended = await orders.endPendingOfAdmission(showId, userId, admissionId, now);
      const fromOrders = await seats.releaseOrders(ended, now);
      const held = await seats.releaseHolds(showId, userId, now, admissionId);
      return [...fromOrders, ...held];
    });
    publishSeatChanges(this.realtime, changes);
  }

  async list(userId: string): Promise<Order[]> {
    return readOrders(this.db, userId, this.now());
  }

  /** The paid order's tickets as a PDF (one page each, with its QR code); another account's or an unpaid order is a 404. */
  async ticketsPdf(orderId: string, userId: string): Promise<Buffer> {
    const sheet = await readTicketSheet(this.db, orderId, { userId });
    if (!sheet) throw new AppError('NOT_FOUND', 'No paid order with that id');
    return ticketPdf(sheet);
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
