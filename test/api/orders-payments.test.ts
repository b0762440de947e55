import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/server/platform/clock.js';
import type { TestHooks } from '../../src/server/platform/test-hooks.js';
import { UNKNOWN_AFTER_MS } from '../../src/server/modules/orders/orders-service.js';
import { paymentFaultsFromEnv } from '../../src/server/modules/orders/test-faults.js';
import { DECLINED_CARD, type TestPaymentProvider } from '../../src/server/modules/payments/test-payment-provider.js';
import { startHarness, type Harness } from '../support/harness.js';
import { describeOnEachDatabase } from '../support/needs.js';
import { call, createShow, newCustomer } from '../support/api-client.js';
import { useHarness } from '../support/api-suite.js';
import { admit, checkout, DECLINED, GOOD_CARD, hold, OTHER_GOOD_CARD, pay, seatIdsOf, seatRow } from './seat-helpers.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A seat lost behind the app's back (by hand, or by a bug): free, whatever it was. */
const FREED = `status = 'available', holder_id = NULL, hold_expires_at = NULL, order_id = NULL, admission_id = NULL`;

/**
 * The payment record: an attempt is written before the card is charged, and whatever happens
 * between the charge and the order's completion (a crash, a slow provider, a second request), the
 * order ends paid with its tickets or refunded, and the card is charged once.
 */
describeOnEachDatabase('payment attempts and the reconciler on %s', (kind) => {
  const clock = new ManualClock();
  // The hooks of the "first process"; each test sets what it needs.
  const hooks: TestHooks = {};
  let h: Harness;
  /** A second app on the same database: the process started after the first one died. */
  let restarted: Harness;
  let admin: string;
  useHarness({ db: kind, clock, testHooks: hooks }, async (s) => {
    ({ h, admin } = s);
    restarted = await startHarness({ sharedDb: h.db, clock });
  });
  afterAll(() => restarted?.close(), 120_000);
  const resetHooks = () => {
    delete hooks.beforeAttempt;
    delete hooks.beforeCharge;
    delete hooks.afterCharge;
  };

  const app = () => h.ticketClub.app;
  const provider = () => h.ticketClub.services.payments as TestPaymentProvider;
  const chargesOf = (orderId: string) => provider().chargesOf(orderId);

  async function pendingOrder(n: number, o: { purchaseWindowSeconds?: number } = {}) {
    const show = await createShow(app(), admin, { now: clock.now(), ...o });
    const seats = (await seatIdsOf(h.db, show.id)).slice(0, n);
    const buyer = await newCustomer(app());
    await admit(app(), show.id, buyer.token);
    for (const s of seats) expect((await hold(app(), show.id, s, buyer.token)).status).toBe(200);
    const co = await checkout(app(), show.id, seats, buyer.token);
    expect(co.status).toBe(201);
    return { show, seats, buyer, order: co.body.order as { id: string; total: number } };
  }

  const orderStatus = async (orderId: string) =>
    (await h.db.query<{ status: string; paying_attempt_id: string | null }>(`SELECT status, paying_attempt_id FROM orders WHERE id = $1`, [orderId])).rows[0]!;
  const attemptsOf = async (orderId: string) =>
    (await h.db.query<{ state: string; charge_id: string | null }>(`SELECT state, charge_id FROM payment_attempts WHERE order_id = $1 ORDER BY created_at`, [orderId])).rows;
  const ticketCount = async (orderId: string) =>
    (await h.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM tickets WHERE order_id = $1`, [orderId])).rows[0]!.n;

  /** Pays on the first app with a crash right after the provider charged the card. */
  async function payAndCrashAfterCharge(orderId: string, token: string) {
    hooks.afterCharge = () => {
      throw new Error('test: the process dies here');
    };
    try {
      const r = await call(app(), 'POST', `/api/orders/${orderId}/pay`, { token, body: pay() });
      expect(r.status).toBe(500);
    } finally {
      resetHooks();
    }
    expect(await chargesOf(orderId)).toMatchObject([{ status: 'succeeded', refunded: false }]);
    expect(await attemptsOf(orderId)).toEqual([{ state: 'charging', charge_id: null }]);
  }

  it('when the process dies between charge and completion, then the restarted reconciler completes the order and the card was charged once', async () => {
    const { show, seats, buyer, order } = await pendingOrder(2, { purchaseWindowSeconds: 60 });
    await payAndCrashAfterCharge(order.id, buyer.token);

    // The window and the admission run out while nobody knows how the payment went:
    // neither the release job nor the end of the admission may give the seats away.
    clock.advance(61_000);
    await restarted.ticketClub.services.orders.releaseExpired();
    await h.ticketClub.services.queue.sweep(show.id); // the app whose in-process store has the admission
    expect((await call(app(), 'GET', `/api/shows/${show.id}/queue`, { token: buyer.token })).body.state).toBe('none');
    expect(await orderStatus(order.id)).toMatchObject({ status: 'pending' });
    for (const s of seats) expect((await seatRow(h.db, show.id, s)).status).toBe('locked');
    // Nor does the API call it expired: it may yet be paid.
    expect((await call(restarted.ticketClub.app, 'GET', `/api/orders/${order.id}`, { token: buyer.token })).body.order.status).toBe('pending');

    await restarted.ticketClub.services.orders.reconcilePayments();
    const got = await call(restarted.ticketClub.app, 'GET', `/api/orders/${order.id}`, { token: buyer.token });
    expect(got.body.order.status).toBe('paid');
    expect(got.body.order.tickets).toHaveLength(2);
    for (const s of seats) expect((await seatRow(h.db, show.id, s)).status).toBe('sold');
    const charges = await chargesOf(order.id);
    expect(charges).toMatchObject([{ status: 'succeeded', refunded: false, amount: order.total }]);
    expect(await attemptsOf(order.id)).toEqual([{ state: 'succeeded', charge_id: charges[0]!.chargeId }]);

    // Running it again (or on another instance) changes nothing.
    await Promise.all([restarted.ticketClub.services.orders.reconcilePayments(), h.ticketClub.services.orders.reconcilePayments()]);
    expect(await ticketCount(order.id)).toBe(2);
    expect(await chargesOf(order.id)).toHaveLength(1);
  });

  it('when the buyer retries the payment after the crash, then the order is paid by the first charge, not a second one', async () => {
    const { buyer, order } = await pendingOrder(1);
    await payAndCrashAfterCharge(order.id, buyer.token);
    clock.advance(3_000);
    const retried = await call(restarted.ticketClub.app, 'POST', `/api/orders/${order.id}/pay`, { token: buyer.token, body: pay(OTHER_GOOD_CARD) });
    expect(retried.status).toBe(200);
    expect(retried.body.order.status).toBe('paid');
    expect(retried.body.order.tickets).toHaveLength(1);
    expect(await chargesOf(order.id)).toMatchObject([{ status: 'succeeded', refunded: false }]);
  });

  it('when two reconcilers resolve the same crashed attempt at once, then the order is ticketed once and nothing is refunded', async () => {
    const { buyer, order } = await pendingOrder(3);
    await payAndCrashAfterCharge(order.id, buyer.token);
    clock.advance(3_000);
    await Promise.all([
      restarted.ticketClub.services.orders.reconcilePayments(),
      h.ticketClub.services.orders.reconcilePayments(),
      restarted.ticketClub.services.orders.reconcilePayments(),
    ]);
    expect((await orderStatus(order.id)).status).toBe('paid');
    expect(await ticketCount(order.id)).toBe(3);
    expect(await chargesOf(order.id)).toMatchObject([{ status: 'succeeded', refunded: false }]);
  });

  it('when the order cannot be completed any more (a seat is gone), then the reconciler refunds the charge and sells no seat twice', async () => {
    const { show, seats, buyer, order } = await pendingOrder(2);
    await payAndCrashAfterCharge(order.id, buyer.token);
    // Whatever path took it: one of the order's seats is free and someone else holds it now.
    await h.db.query(`UPDATE show_seats SET ${FREED} WHERE show_id = $1 AND seat_id = $2`, [
      show.id,
      seats[1],
    ]);
    const other = await newCustomer(app());
    await admit(app(), show.id, other.token);
    expect((await hold(app(), show.id, seats[1]!, other.token)).status).toBe(200);

    clock.advance(3_000);
    await restarted.ticketClub.services.orders.reconcilePayments();
    expect(await chargesOf(order.id)).toMatchObject([{ status: 'succeeded', refunded: true }]);
    expect((await attemptsOf(order.id))[0]!.state).toBe('refunded');
    expect(['cancelled', 'expired']).toContain((await orderStatus(order.id)).status);
    expect(await ticketCount(order.id)).toBe(0);
    expect(await seatRow(h.db, show.id, seats[1]!)).toMatchObject({ status: 'selected', holder_id: other.id });
    expect(await seatRow(h.db, show.id, seats[0]!)).toMatchObject({ status: 'available' });
  });

  it('when a charge lands after its attempt was written off, then it is refunded and the seats stay with whoever has them now', async () => {
    const { show, seats, buyer, order } = await pendingOrder(1, { purchaseWindowSeconds: 30 });
    let release!: () => void;
    const provider_ = new Promise<void>((r) => (release = r));
    let asked!: () => void;
    const charging = new Promise<void>((r) => (asked = r));
    // The provider takes longer than we are prepared to wait for it.
    hooks.beforeCharge = async () => {
      asked();
      await provider_;
    };
    const paying = call(app(), 'POST', `/api/orders/${order.id}/pay`, { token: buyer.token, body: pay() });
    await charging;
    clock.advance(UNKNOWN_AFTER_MS + 1_000);
    await restarted.ticketClub.services.orders.reconcilePayments();
    expect(await attemptsOf(order.id)).toEqual([{ state: 'failed', charge_id: null }]);
    // Written off and past its window: the order expires and the seat is sold to someone else.
    await restarted.ticketClub.services.orders.releaseExpired();
    expect((await orderStatus(order.id)).status).toBe('expired');
    const other = await newCustomer(app());
    await admit(app(), show.id, other.token);
    expect((await hold(app(), show.id, seats[0]!, other.token)).status).toBe(200);

    release();
    const r = await paying;
    resetHooks();
    expect(r.status).toBe(409);
    expect(r.body.error.code).toBe('ORDER_EXPIRED');
    expect(await chargesOf(order.id)).toMatchObject([{ status: 'succeeded', refunded: true }]);
    expect(await ticketCount(order.id)).toBe(0);
    expect(await seatRow(h.db, show.id, seats[0]!)).toMatchObject({ status: 'selected', holder_id: other.id });
  });

  it('when the process dies before the charge, then the order stays held until the attempt is known to have failed, and is payable again', async () => {
    const { show, seats, buyer, order } = await pendingOrder(1, { purchaseWindowSeconds: 600 });
    hooks.beforeCharge = () => {
      throw new Error('test: the process dies here');
    };
    expect((await call(app(), 'POST', `/api/orders/${order.id}/pay`, { token: buyer.token, body: pay() })).status).toBe(500);
    resetHooks();
    clock.advance(3_000);
    await restarted.ticketClub.services.orders.reconcilePayments();
    // The provider knows nothing of it yet, but a charge could still be on its way.
    expect(await attemptsOf(order.id)).toEqual([{ state: 'charging', charge_id: null }]);
    expect((await seatRow(h.db, show.id, seats[0]!)).status).toBe('locked');
    expect((await call(restarted.ticketClub.app, 'DELETE', `/api/orders/${order.id}`, { token: buyer.token })).status).toBe(409);

    clock.advance(UNKNOWN_AFTER_MS);
    await restarted.ticketClub.services.orders.reconcilePayments();
    expect(await attemptsOf(order.id)).toEqual([{ state: 'failed', charge_id: null }]);
    expect(await orderStatus(order.id)).toEqual({ status: 'pending', paying_attempt_id: null });
    const paid = await call(restarted.ticketClub.app, 'POST', `/api/orders/${order.id}/pay`, { token: buyer.token, body: pay() });
    expect(paid.status).toBe(200);
    expect(paid.body.order.tickets).toHaveLength(1);
    expect(await chargesOf(order.id)).toHaveLength(1);
  });

  it('when two pay calls with different cards overlap, then only one card is charged and both see the paid order', async () => {
    const { buyer, order } = await pendingOrder(2);
    // Both calls have read the order as payable before either records its attempt.
    let arrived = 0;
    let bothIn!: () => void;
    const barrier = new Promise<void>((r) => (bothIn = r));
    hooks.beforeAttempt = async () => {
      if (++arrived === 2) bothIn();
      await Promise.race([barrier, sleep(2_000)]);
    };
    let entered = 0;
    hooks.beforeCharge = async () => {
      entered++;
      await sleep(200);
    };
    const [r1, r2] = await Promise.all([
      call(app(), 'POST', `/api/orders/${order.id}/pay`, { token: buyer.token, body: pay(GOOD_CARD) }),
      call(app(), 'POST', `/api/orders/${order.id}/pay`, { token: buyer.token, body: pay(OTHER_GOOD_CARD) }),
    ]);
    expect(arrived).toBe(2);
    resetHooks();
    expect([r1.status, r2.status]).toEqual([200, 200]);
    expect(r2.body.order).toEqual(r1.body.order);
    expect(entered).toBe(1);
    expect(await chargesOf(order.id)).toMatchObject([{ status: 'succeeded', refunded: false }]);
    expect(await attemptsOf(order.id)).toHaveLength(1);
  });

  it('when the buyer leaves the page while the charge is going through, then the order is still paid with its seats', async () => {
    const { show, seats, buyer, order } = await pendingOrder(2);
    let charging!: () => void;
    const inFlight = new Promise<void>((r) => (charging = r));
    let release!: () => void;
    const provider_ = new Promise<void>((r) => (release = r));
    hooks.beforeCharge = async () => {
      charging();
      await provider_;
    };
    const paying = call(app(), 'POST', `/api/orders/${order.id}/pay`, { token: buyer.token, body: pay() });
    await inFlight;
    expect((await call(app(), 'DELETE', `/api/shows/${show.id}/queue`, { token: buyer.token })).status).toBe(204);
    expect((await call(app(), 'DELETE', `/api/orders/${order.id}`, { token: buyer.token })).status).toBe(409);
    for (const s of seats) expect((await seatRow(h.db, show.id, s)).status).toBe('locked');
    // A bad card meanwhile is refused as such, without waiting for the charge in flight.
    const bad = await call(app(), 'POST', `/api/orders/${order.id}/pay`, { token: buyer.token, body: pay({ ...GOOD_CARD, number: '4242424242424241' }) });
    expect(bad.status).toBe(400);
    release();
    const r = await paying;
    resetHooks();
    expect(r.status).toBe(200);
    expect(r.body.order.tickets).toHaveLength(2);
    for (const s of seats) expect((await seatRow(h.db, show.id, s)).status).toBe('sold');
  });

  it('when a declined attempt resolves, then the order is payable again with another card, within its window', async () => {
    const { buyer, order } = await pendingOrder(1);
    const r = await call(app(), 'POST', `/api/orders/${order.id}/pay`, { token: buyer.token, body: pay(DECLINED) });
    expect(r.status).toBe(402);
    expect(await attemptsOf(order.id)).toEqual([{ state: 'declined', charge_id: null }]);
    expect(await orderStatus(order.id)).toEqual({ status: 'pending', paying_attempt_id: null });
    expect((await call(app(), 'POST', `/api/orders/${order.id}/pay`, { token: buyer.token, body: pay(DECLINED) })).status).toBe(402);
    expect((await call(app(), 'POST', `/api/orders/${order.id}/pay`, { token: buyer.token, body: pay() })).status).toBe(200);
    expect((await attemptsOf(order.id)).map((a) => a.state)).toEqual(['declined', 'declined', 'succeeded']);
  });

  it('when a refund cannot reach the provider, then the reconciler gives the money back later, once', async () => {
    const { show, seats, buyer, order } = await pendingOrder(1);
    await payAndCrashAfterCharge(order.id, buyer.token);
    await h.db.query(`UPDATE show_seats SET ${FREED} WHERE show_id = $1 AND seat_id = $2`, [
      show.id,
      seats[0],
    ]);
    const p = restarted.ticketClub.services.payments as TestPaymentProvider;
    const refund = p.refund.bind(p);
    p.refund = () => Promise.reject(new Error('test: provider unreachable'));
    clock.advance(3_000);
    try {
      await restarted.ticketClub.services.orders.reconcilePayments();
    } finally {
      p.refund = refund;
    }
    expect((await attemptsOf(order.id))[0]!.state).toBe('refund_due');
    expect(await chargesOf(order.id)).toMatchObject([{ refunded: false }]);
    await Promise.all([restarted.ticketClub.services.orders.reconcilePayments(), h.ticketClub.services.orders.reconcilePayments()]);
    expect((await attemptsOf(order.id))[0]!.state).toBe('refunded');
    expect(await chargesOf(order.id)).toMatchObject([{ refunded: true }]);
    const { rows } = await h.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM test_provider_refunds r JOIN test_provider_charges c ON c.id = r.charge_id WHERE c.order_id = $1`,
      [order.id],
    );
    expect(rows[0]!.n).toBe(1);
  });

  it('the database refuses a second attempt in flight for one order', async () => {
    const { order } = await pendingOrder(1);
    const insert = (key: string) =>
      h.db.query(
        `INSERT INTO payment_attempts (id, order_id, idempotency_key, amount, currency, state, created_at)
         VALUES (gen_random_uuid(), $1, $2, 1000, 'TWD', 'charging', now())`,
        [order.id, key],
      );
    await insert('k1');
    await expect(insert('k2')).rejects.toThrow(/payment_attempts_one_in_flight|unique/i);
  });
});

describeOnEachDatabase('the test payment provider on %s', (kind) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ db: kind });
  }, 120_000);
  afterAll(() => h?.close(), 120_000);
  const p = () => h.ticketClub.services.payments as TestPaymentProvider;
  const req = (key: string, number = '4242424242424242') => ({
    idempotencyKey: key,
    amount: 1000,
    currency: 'TWD',
    card: { number, expMonth: 1, expYear: 2099, cvc: '123' },
    metadata: { orderId: key },
  });

  it('charges once per idempotency key, even for concurrent calls, and remembers it', async () => {
    const results = await Promise.all([1, 2, 3, 4].map(() => p().charge(req('prov-k1'))));
    expect(results[0]!.status).toBe('succeeded');
    for (const r of results) expect(r).toEqual(results[0]);
    expect(await p().chargesOf('prov-k1')).toHaveLength(1);
    expect(await p().lookup('prov-k1')).toEqual({ status: 'succeeded', chargeId: (results[0] as { chargeId: string }).chargeId, amount: 1000, currency: 'TWD' });
    expect(await p().lookup('prov-unknown')).toBeNull();
    const other = await p().charge(req('prov-k2'));
    expect(other).not.toEqual(results[0]);
  });

  it('declines the decline test card without charging', async () => {
    expect(await p().charge(req('prov-d', DECLINED_CARD))).toEqual({ status: 'declined', reason: 'card_declined' });
    expect(await p().lookup('prov-d')).toEqual({ status: 'declined', reason: 'card_declined' });
  });

  it('refunds a charge once, whichever key and however often', async () => {
    const c = await p().charge(req('prov-r'));
    if (c.status !== 'succeeded') throw new Error('declined');
    await Promise.all([p().refund({ chargeId: c.chargeId, idempotencyKey: 'r1' }), p().refund({ chargeId: c.chargeId, idempotencyKey: 'r1' })]);
    await p().refund({ chargeId: c.chargeId, idempotencyKey: 'r2' });
    const { rows } = await h.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM test_provider_refunds WHERE charge_id = $1`, [c.chargeId]);
    expect(rows[0]!.n).toBe(1);
    await expect(p().refund({ chargeId: 'test_ch_nope', idempotencyKey: 'r3' })).rejects.toThrow();
  });
});

describe('the crash fault hook', () => {
  it('is honoured only in test mode', () => {
    let killed = 0;
    const kill = () => void killed++;
    expect(paymentFaultsFromEnv({ NODE_ENV: 'production', TICKETCLUB_TEST_FAULTS: 'crash-after-charge' }, kill)).toBeUndefined();
    expect(paymentFaultsFromEnv({ TICKETCLUB_TEST_FAULTS: 'crash-after-charge' }, kill)).toBeUndefined();
    expect(paymentFaultsFromEnv({ NODE_ENV: 'test' }, kill)).toBeUndefined();
    void paymentFaultsFromEnv({ NODE_ENV: 'test', TICKETCLUB_TEST_FAULTS: 'crash-after-charge' }, kill)?.afterCharge?.('o');
    expect(killed).toBe(1);
  });
});
