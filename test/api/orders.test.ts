import { expect, it } from 'vitest';
import { ManualClock } from '../../src/server/platform/clock.js';
import type { TestPaymentProvider } from '../../src/server/modules/payments/test-payment-provider.js';
import type { Harness } from '../support/harness.js';
import { call, createShow, newCustomer } from '../support/api-client.js';
import { useHarness } from '../support/api-suite.js';
import { admit, checkout, DECLINED, GOOD_CARD, hold, MISSING_ID, OTHER_GOOD_CARD, pay, seatIdsOf, seatRow } from './seat-helpers.js';
import { describeOnEachDatabase } from '../support/needs.js';

describeOnEachDatabase('orders on %s', (kind) => {
  const clock = new ManualClock();
  let h: Harness;
  let admin: string;
  useHarness({ db: kind, clock }, (s) => ({ h, admin } = s));

  const app = () => h.ticketClub.app;
  const provider = () => h.ticketClub.services.payments as TestPaymentProvider;
  /** Succeeded charges of the order in the provider's books. */
  const chargesFor = async (orderId: string) => (await provider().chargesOf(orderId)).filter((c) => c.status === 'succeeded');

  /** A show, an admitted buyer holding `n` seats, and those seats. */
  async function buyerWithSeats(n: number, o: { purchaseWindowSeconds?: number; pageCapacity?: number } = {}) {
    const show = await createShow(app(), admin, { now: clock.now(), ...o });
    const seats = (await seatIdsOf(h.db, show.id)).slice(0, n);
    const buyer = await newCustomer(app());
    await admit(app(), show.id, buyer.token);
    for (const s of seats) expect((await hold(app(), show.id, s, buyer.token)).status).toBe(200);
    return { show, seats, buyer };
  }

  async function ticketCount(orderId: string): Promise<number> {
    const { rows } = await h.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM tickets WHERE order_id = $1`, [orderId]);
    return rows[0]!.n;
  }

  it('checks out held seats into a pending order, then pays it for tickets', async () => {
    const { show, seats, buyer } = await buyerWithSeats(2);
    const co = await checkout(app(), show.id, seats, buyer.token);
    expect(co.status).toBe(201);
    const order = co.body.order;
    expect(order).toMatchObject({ status: 'pending', showId: show.id, total: 2000, currency: 'TWD', tickets: [] });
    expect(order.items).toEqual([
      { seatId: seats[0], areaName: 'A', row: 1, number: 1, price: 1000 },
      { seatId: seats[1], areaName: 'A', row: 1, number: 2, price: 1000 },
    ]);
    expect(order.show).toMatchObject({ eventTitle: 'Test Event', artist: 'Test Artist', venueName: 'Test Hall' });
    for (const s of seats) expect(await seatRow(h.db, show.id, s)).toMatchObject({ status: 'locked', order_id: order.id });

    const paid = await call(app(), 'POST', `/api/orders/${order.id}/pay`, { token: buyer.token, body: pay() });
    expect(paid.status).toBe(200);
    expect(paid.body.order.status).toBe('paid');
    expect(paid.body.order.paidAt).toBeTruthy();
    expect(paid.body.order.tickets).toHaveLength(2);
    for (const t of paid.body.order.tickets) {
      expect(seats).toContain(t.seatId);
      expect(t.code).toMatch(/^[A-Za-z0-9_-]{43,}$/);
    }
    for (const s of seats) expect((await seatRow(h.db, show.id, s)).status).toBe('sold');
    // The purchase ends the admission.
    expect((await call(app(), 'GET', `/api/shows/${show.id}/queue`, { token: buyer.token })).body.state).toBe('none');

    const list = await call(app(), 'GET', '/api/orders', { token: buyer.token });
    expect(list.status).toBe(200);
    expect(list.body.orders.map((o: { id: string }) => o.id)).toEqual([order.id]);
    expect(list.body.orders[0].tickets).toHaveLength(2);
    const one = await call(app(), 'GET', `/api/orders/${order.id}`, { token: buyer.token });
    expect(one.body.order).toEqual(list.body.orders[0]);
  });

  it('when an order of some of the held seats is paid, then those are sold and the others go back on sale, whoever else holds seats', async () => {
    const { show, seats, buyer } = await buyerWithSeats(3);
    const other = await newCustomer(app());
    await admit(app(), show.id, other.token);
    const theirs = (await seatIdsOf(h.db, show.id))[5]!;
    expect((await hold(app(), show.id, theirs, other.token)).status).toBe(200);
    const order = (await checkout(app(), show.id, seats.slice(0, 2), buyer.token)).body.order;
    const paid = await call(app(), 'POST', `/api/orders/${order.id}/pay`, { token: buyer.token, body: pay() });
    expect(paid.body.order.status).toBe('paid');
    for (const s of seats.slice(0, 2)) expect(await seatRow(h.db, show.id, s)).toMatchObject({ status: 'sold', order_id: order.id, holder_id: buyer.id });
    const freed = await h.db.query(`SELECT status, holder_id, order_id, admission_id, hold_expires_at FROM show_seats WHERE show_id = $1 AND seat_id = $2`, [show.id, seats[2]]);
    expect(freed.rows[0]).toEqual({ status: 'available', holder_id: null, order_id: null, admission_id: null, hold_expires_at: null });
    expect(await seatRow(h.db, show.id, theirs)).toMatchObject({ status: 'selected', holder_id: other.id });
    expect(await ticketCount(order.id)).toBe(2);
  });

  it('when an order is paid twice, one after the other or at once, then it is charged once and ticketed once', async () => {
    const { show, seats, buyer } = await buyerWithSeats(2);
    const order = (await checkout(app(), show.id, seats, buyer.token)).body.order;
    const results = await Promise.all(
      Array.from({ length: 6 }, () => call(app(), 'POST', `/api/orders/${order.id}/pay`, { token: buyer.token, body: pay() })),
    );
    expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200, 200, 200]);
    const codes = results[0]!.body.order.tickets.map((t: { code: string }) => t.code).sort();
    for (const r of results) expect(r.body.order.tickets.map((t: { code: string }) => t.code).sort()).toEqual(codes);
    expect(await chargesFor(order.id)).toHaveLength(1);
    expect(await ticketCount(order.id)).toBe(2);

    // Later, again, even with another card: unchanged, no charge.
    const again = await call(app(), 'POST', `/api/orders/${order.id}/pay`, { token: buyer.token, body: pay(OTHER_GOOD_CARD) });
    expect(again.status).toBe(200);
    expect(again.body.order).toEqual(results[0]!.body.order);
    expect(await chargesFor(order.id)).toHaveLength(1);
    expect(await ticketCount(order.id)).toBe(2);
  });

  it('when two different cards pay the same order at once, then one card is charged and the order is paid once', async () => {
    const { show, seats, buyer } = await buyerWithSeats(1);
    const order = (await checkout(app(), show.id, seats, buyer.token)).body.order;
    const [r1, r2] = await Promise.all([
      call(app(), 'POST', `/api/orders/${order.id}/pay`, { token: buyer.token, body: pay(GOOD_CARD) }),
      call(app(), 'POST', `/api/orders/${order.id}/pay`, { token: buyer.token, body: pay(OTHER_GOOD_CARD) }),
    ]);
    expect([r1!.status, r2!.status]).toEqual([200, 200]);
    expect(await chargesFor(order.id)).toMatchObject([{ refunded: false }]);
    expect(await ticketCount(order.id)).toBe(1);
  });

  it('a declined card leaves the order pending and payable', async () => {
    const { show, seats, buyer } = await buyerWithSeats(1);
    const order = (await checkout(app(), show.id, seats, buyer.token)).body.order;
    const declined = await call(app(), 'POST', `/api/orders/${order.id}/pay`, { token: buyer.token, body: pay(DECLINED) });
    expect(declined.status).toBe(402);
    expect(declined.body.error.code).toBe('PAYMENT_DECLINED');
    expect((await call(app(), 'GET', `/api/orders/${order.id}`, { token: buyer.token })).body.order.status).toBe('pending');
    expect((await seatRow(h.db, show.id, seats[0]!)).status).toBe('locked');
    expect(await ticketCount(order.id)).toBe(0);

    const paid = await call(app(), 'POST', `/api/orders/${order.id}/pay`, { token: buyer.token, body: pay() });
    expect(paid.status).toBe(200);
    expect(paid.body.order.status).toBe('paid');
  });

  it('refuses bad cards and bad bodies with 400', async () => {
    const { show, seats, buyer } = await buyerWithSeats(1);
    const order = (await checkout(app(), show.id, seats, buyer.token)).body.order;
    const url = `/api/orders/${order.id}/pay`;
    const bodies: unknown[] = [
      pay({ ...GOOD_CARD, number: '4242424242424241' }), // not Luhn-valid
      pay({ ...GOOD_CARD, expYear: 2029, expMonth: 12 }), // expired (the clock is in 2030)
      { method: 'card', card: { ...GOOD_CARD, expMonth: '12' } },
      { method: 'cash', card: GOOD_CARD },
      { ...pay(), tip: 100 },
      { method: 'card', card: { ...GOOD_CARD, pin: '0000' } },
      {},
    ];
    for (const body of bodies) {
      const r = await call(app(), 'POST', url, { token: buyer.token, body });
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.body.error.code).toBe('VALIDATION_FAILED');
    }
    expect((await call(app(), 'POST', url, { token: buyer.token, raw: '{"method":' })).status).toBe(400);
    expect(await chargesFor(order.id)).toHaveLength(0);
    expect((await call(app(), 'POST', '/api/orders/nope/pay', { token: buyer.token, body: pay() })).status).toBe(400);

    for (const body of [{ seatIds: [seats[0]], extra: true }, { seatIds: 'x' }, { seatIds: [] }, { seatIds: ['x'] }, { seatIds: [seats[0], seats[0]] }]) {
      const r = await call(app(), 'POST', `/api/shows/${show.id}/checkout`, { token: buyer.token, body });
      expect(r.status, JSON.stringify(body)).toBe(400);
    }
  });

  it("refuses to check out another account's seat, all or nothing", async () => {
    const { show, seats, buyer } = await buyerWithSeats(1);
    const other = await newCustomer(app());
    await admit(app(), show.id, other.token);
    const [, , s3] = await seatIdsOf(h.db, show.id);
    expect((await hold(app(), show.id, s3!, other.token)).status).toBe(200);

    const stolen = await checkout(app(), show.id, seats, other.token);
    expect(stolen.status).toBe(409);
    expect(stolen.body.error.code).toBe('SEAT_UNAVAILABLE');
    // Own seat plus someone else's: nothing changes, not even the own seat.
    const mixed = await checkout(app(), show.id, [s3!, seats[0]!], other.token);
    expect(mixed.status).toBe(409);
    expect(await seatRow(h.db, show.id, s3!)).toMatchObject({ status: 'selected', order_id: null });
    expect(await seatRow(h.db, show.id, seats[0]!)).toMatchObject({ status: 'selected', holder_id: buyer.id });
    expect((await checkout(app(), show.id, [MISSING_ID], other.token)).status).toBe(409);
    const { rows } = await h.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM orders WHERE user_id = $1`, [other.id]);
    expect(rows[0]!.n).toBe(0);
  });

  it("keeps orders private: another account's order id is 404", async () => {
    const { show, seats, buyer } = await buyerWithSeats(1);
    const order = (await checkout(app(), show.id, seats, buyer.token)).body.order;
    const other = await newCustomer(app());
    for (const r of [
      await call(app(), 'GET', `/api/orders/${order.id}`, { token: other.token }),
      await call(app(), 'POST', `/api/orders/${order.id}/pay`, { token: other.token, body: pay() }),
      await call(app(), 'DELETE', `/api/orders/${order.id}`, { token: other.token }),
      await call(app(), 'GET', `/api/orders/${MISSING_ID}`, { token: buyer.token }),
    ]) {
      expect(r.status).toBe(404);
      expect(r.body.error.code).toBe('NOT_FOUND');
    }
    expect((await call(app(), 'GET', '/api/orders', { token: other.token })).body.orders).toEqual([]);
    expect((await call(app(), 'GET', `/api/orders/${order.id}`, { token: buyer.token })).body.order.status).toBe('pending');
    expect(await chargesFor(order.id)).toHaveLength(0);
  });

  it('refuses without auth or admission', async () => {
    const show = await createShow(app(), admin, { now: clock.now() });
    const [s1] = await seatIdsOf(h.db, show.id);
    const outsider = await newCustomer(app());
    expect((await call(app(), 'POST', `/api/shows/${show.id}/checkout`, { body: { seatIds: [s1] } })).status).toBe(401);
    expect((await call(app(), 'GET', '/api/orders')).status).toBe(401);
    expect((await call(app(), 'POST', `/api/orders/${MISSING_ID}/pay`, { body: pay() })).status).toBe(401);
    const r = await checkout(app(), show.id, [s1!], outsider.token);
    expect(r.status).toBe(403);
    expect(r.body.error.code).toBe('NOT_ADMITTED');
  });

  it('cancelling a pending order returns its seats; a paid one cannot be cancelled', async () => {
    const { show, seats, buyer } = await buyerWithSeats(2);
    const order = (await checkout(app(), show.id, seats, buyer.token)).body.order;
    expect((await call(app(), 'DELETE', `/api/orders/${order.id}`, { token: buyer.token })).status).toBe(204);
    for (const s of seats) expect(await seatRow(h.db, show.id, s)).toMatchObject({ status: 'available', holder_id: null, order_id: null });
    expect((await call(app(), 'GET', `/api/orders/${order.id}`, { token: buyer.token })).body.order.status).toBe('cancelled');
    const again = await call(app(), 'DELETE', `/api/orders/${order.id}`, { token: buyer.token });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('ORDER_NOT_PENDING');
    const late = await call(app(), 'POST', `/api/orders/${order.id}/pay`, { token: buyer.token, body: pay() });
    expect(late.status).toBe(409);

    for (const s of seats) expect((await hold(app(), show.id, s, buyer.token)).status).toBe(200);
    const order2 = (await checkout(app(), show.id, seats, buyer.token)).body.order;
    expect((await call(app(), 'POST', `/api/orders/${order2.id}/pay`, { token: buyer.token, body: pay() })).status).toBe(200);
    const paidCancel = await call(app(), 'DELETE', `/api/orders/${order2.id}`, { token: buyer.token });
    expect(paidCancel.status).toBe(409);
    expect(paidCancel.body.error.code).toBe('ORDER_NOT_PENDING');
    for (const s of seats) expect((await seatRow(h.db, show.id, s)).status).toBe('sold');
  });

  it('when the window has passed, paying answers ORDER_EXPIRED and the seats go back on sale', async () => {
    const { show, seats, buyer } = await buyerWithSeats(2, { purchaseWindowSeconds: 5 });
    const order = (await checkout(app(), show.id, seats, buyer.token)).body.order;
    clock.advance(5_001);
    const r = await call(app(), 'POST', `/api/orders/${order.id}/pay`, { token: buyer.token, body: pay() });
    expect(r.status).toBe(409);
    expect(r.body.error.code).toBe('ORDER_EXPIRED');
    expect(await chargesFor(order.id)).toHaveLength(0);
    for (const s of seats) expect((await seatRow(h.db, show.id, s)).status).toBe('available');
    expect((await call(app(), 'GET', `/api/orders/${order.id}`, { token: buyer.token })).body.order.status).toBe('expired');
    expect((await call(app(), 'POST', `/api/orders/${order.id}/pay`, { token: buyer.token, body: pay() })).status).toBe(409);
  });

  it('when an admission expires, the sweep releases its order and seats and admits the next in line', async () => {
    const show = await createShow(app(), admin, { now: clock.now(), pageCapacity: 1, purchaseWindowSeconds: 5 });
    const seats = (await seatIdsOf(h.db, show.id)).slice(0, 3);
    const first = await newCustomer(app());
    const next = await newCustomer(app());
    await admit(app(), show.id, first.token);
    expect((await call(app(), 'POST', `/api/shows/${show.id}/queue`, { token: next.token })).body).toMatchObject({ state: 'waiting', position: 1 });
    for (const s of seats) expect((await hold(app(), show.id, s, first.token)).status).toBe(200);
    const order = (await checkout(app(), show.id, seats.slice(0, 2), first.token)).body.order;

    clock.advance(6_000);
    await h.ticketClub.services.queue.sweep(show.id);
    for (const s of seats) expect(await seatRow(h.db, show.id, s)).toMatchObject({ status: 'available', holder_id: null });
    expect((await call(app(), 'GET', `/api/orders/${order.id}`, { token: first.token })).body.order.status).toBe('expired');
    expect((await call(app(), 'GET', `/api/shows/${show.id}/queue`, { token: next.token })).body.state).toBe('admitted');
    expect((await hold(app(), show.id, seats[0]!, next.token)).status).toBe(200);
    expect((await call(app(), 'POST', `/api/orders/${order.id}/pay`, { token: first.token, body: pay() })).body.error.code).toBe('ORDER_EXPIRED');
  });

  it('when a buyer pays, the next in line is admitted and the seat limit counts the sold seats', async () => {
    const show = await createShow(app(), admin, { now: clock.now(), pageCapacity: 1, maxTicketsPerAccount: 2 });
    const seats = await seatIdsOf(h.db, show.id);
    const first = await newCustomer(app());
    const next = await newCustomer(app());
    await admit(app(), show.id, first.token);
    await call(app(), 'POST', `/api/shows/${show.id}/queue`, { token: next.token });
    for (const s of seats.slice(0, 3)) await hold(app(), show.id, s, first.token);
    const order = (await checkout(app(), show.id, seats.slice(0, 1), first.token)).body.order;
    expect((await call(app(), 'POST', `/api/orders/${order.id}/pay`, { token: first.token, body: pay() })).status).toBe(200);
    expect((await call(app(), 'GET', `/api/shows/${show.id}/queue`, { token: next.token })).body.state).toBe('admitted');
    // The held-but-unbought seat went back on sale with the purchase.
    expect((await seatRow(h.db, show.id, seats[1]!)).status).toBe('available');
    expect(await h.ticketClub.services.seats.countForAccount(show.id, first.id)).toBe(1);
  });

  it('the release job expires overdue orders and frees their seats, once, from several callers at once', async () => {
    const { show, seats, buyer } = await buyerWithSeats(2, { purchaseWindowSeconds: 5 });
    const order = (await checkout(app(), show.id, seats, buyer.token)).body.order;
    clock.advance(5_001);
    const runs = await Promise.all([1, 2, 3].map(() => h.ticketClub.services.orders.releaseExpired()));
    expect(runs.reduce((n, r) => n + r.orders, 0)).toBe(1);
    expect(runs.reduce((n, r) => n + r.seats, 0)).toBeGreaterThanOrEqual(2);
    const { rows } = await h.db.query<{ status: string }>(`SELECT status FROM orders WHERE id = $1`, [order.id]);
    expect(rows[0]!.status).toBe('expired');
    for (const s of seats) expect((await seatRow(h.db, show.id, s)).status).toBe('available');
  });

  it('checks a ticket in once at the door', async () => {
    const { show, seats, buyer } = await buyerWithSeats(1);
    const order = (await checkout(app(), show.id, seats, buyer.token)).body.order;
    const ticket = (await call(app(), 'POST', `/api/orders/${order.id}/pay`, { token: buyer.token, body: pay() })).body.order.tickets[0];

    const denied = await call(app(), 'POST', '/api/admin/checkin', { token: buyer.token, body: { code: ticket.code, showId: show.id } });
    expect(denied.status).toBe(403);
    expect(denied.body.error.code).toBe('FORBIDDEN');
    expect((await call(app(), 'POST', '/api/admin/checkin', { body: { code: ticket.code, showId: show.id } })).status).toBe(401);

    const first = await call(app(), 'POST', '/api/admin/checkin', { token: admin, body: { code: ticket.code, showId: show.id } });
    expect(first.status).toBe(200);
    expect(first.body.ticket).toMatchObject({ id: ticket.id, seatId: seats[0], code: ticket.code, areaName: 'A', row: 1, number: 1 });
    expect(first.body.ticket.checkedInAt).toBeTruthy();
    const second = await call(app(), 'POST', '/api/admin/checkin', { token: admin, body: { code: ticket.code, showId: show.id } });
    expect(second.status).toBe(409);
    expect(second.body.error.code).toBe('ALREADY_CHECKED_IN');
    const unknown = await call(app(), 'POST', '/api/admin/checkin', { token: admin, body: { code: 'not-a-real-ticket-code', showId: show.id } });
    expect(unknown.status).toBe(404);
    expect((await call(app(), 'POST', '/api/admin/checkin', { token: admin, body: { code: 1, showId: show.id } })).status).toBe(400);
    expect((await call(app(), 'POST', '/api/admin/checkin', { token: admin, body: { code: 'x', showId: show.id, gate: 2 } })).status).toBe(400);
  });
});
