import { expect, it } from 'vitest';
import { ManualClock } from '../../src/server/platform/clock.js';
import type { Harness } from '../support/harness.js';
import { describeOnEachDatabase } from '../support/needs.js';
import { call, createShow, newCustomer } from '../support/api-client.js';
import { useHarness } from '../support/api-suite.js';
import { admit, checkout, hold, pay, seatIdsOf, seatRow } from './seat-helpers.js';

/** A checkout whose answer was lost can be retried: the same seats give back the same order. */
describeOnEachDatabase('retried checkout on %s', (kind) => {
  const clock = new ManualClock();
  let h: Harness;
  let admin: string;
  useHarness({ db: kind, clock }, (s) => ({ h, admin } = s));
  const app = () => h.ticketClub.app;

  async function buyerHolding(n: number) {
    const show = await createShow(app(), admin, { now: clock.now(), maxTicketsPerAccount: 6 });
    const all = await seatIdsOf(h.db, show.id);
    const buyer = await newCustomer(app());
    await admit(app(), show.id, buyer.token);
    for (const s of all.slice(0, n)) expect((await hold(app(), show.id, s, buyer.token)).status).toBe(200);
    return { show, seats: all.slice(0, n), others: all.slice(n), buyer };
  }
  const ordersOf = async (userId: string) =>
    (await h.db.query<{ id: string; status: string }>(`SELECT id, status FROM orders WHERE user_id = $1 ORDER BY created_at`, [userId])).rows;

  it('when a checkout is retried with exactly the seats of the pending order, in any order or letter case, then it gets that order back', async () => {
    const { show, seats, buyer } = await buyerHolding(3);
    const first = await checkout(app(), show.id, seats, buyer.token);
    expect(first.status).toBe(201);
    clock.advance(1_000);
    for (const again of [seats, [...seats].reverse(), seats.map((s) => s.toUpperCase())]) {
      const r = await checkout(app(), show.id, again, buyer.token);
      expect(r.status).toBe(201);
      expect(r.body).toEqual(first.body);
    }
    // One seat in two spellings is one seat named twice: refused like any repeated seat.
    expect((await checkout(app(), show.id, [...seats, seats[0]!.toUpperCase()], buyer.token)).status).toBe(400);
    expect(await ordersOf(buyer.id)).toEqual([{ id: first.body.order.id, status: 'pending' }]);
    for (const s of seats) expect(await seatRow(h.db, show.id, s)).toMatchObject({ status: 'locked', order_id: first.body.order.id });
  });

  it('when the same checkout is sent several times at once, then all get the one order', async () => {
    const { show, seats, buyer } = await buyerHolding(2);
    const results = await Promise.all([1, 2, 3, 4].map(() => checkout(app(), show.id, seats, buyer.token)));
    expect(results.map((r) => r.status)).toEqual([201, 201, 201, 201]);
    const ids = new Set(results.map((r) => r.body.order.id));
    expect(ids.size).toBe(1);
    expect(await ordersOf(buyer.id)).toHaveLength(1);
  });

  it('when a checkout overlaps the pending order but is not exactly its seats, then it is refused and nothing changes', async () => {
    const { show, seats, others, buyer } = await buyerHolding(2);
    const order = (await checkout(app(), show.id, seats, buyer.token)).body.order;
    const extra = others[0]!;
    expect((await hold(app(), show.id, extra, buyer.token)).status).toBe(200);
    for (const seatIds of [[seats[0]!], [...seats, extra], [seats[0]!, extra]]) {
      const r = await checkout(app(), show.id, seatIds, buyer.token);
      expect(r.status, JSON.stringify(seatIds)).toBe(409);
      expect(r.body.error.code).toBe('SEAT_UNAVAILABLE');
    }
    expect(await ordersOf(buyer.id)).toEqual([{ id: order.id, status: 'pending' }]);
    expect(await seatRow(h.db, show.id, extra)).toMatchObject({ status: 'selected', order_id: null });
    // The newly held seat alone is a new order of its own.
    const second = await checkout(app(), show.id, [extra], buyer.token);
    expect(second.status).toBe(201);
    expect(second.body.order.id).not.toBe(order.id);
    // And each of the two is found again by its own seats.
    expect((await checkout(app(), show.id, seats, buyer.token)).body.order.id).toBe(order.id);
    expect((await checkout(app(), show.id, [extra], buyer.token)).body.order.id).toBe(second.body.order.id);
  });

  it("when another account checks out the seats of someone's pending order, then it is refused, not given that order", async () => {
    const { show, seats, buyer } = await buyerHolding(2);
    await checkout(app(), show.id, seats, buyer.token);
    const other = await newCustomer(app());
    await admit(app(), show.id, other.token);
    const r = await checkout(app(), show.id, seats, other.token);
    expect(r.status).toBe(409);
    expect(r.body.error.code).toBe('SEAT_UNAVAILABLE');
    expect(JSON.stringify(r.body)).not.toContain(buyer.id);
  });

  it('when the order is no longer pending (cancelled), then the retry does not bring it back', async () => {
    const { show, seats, buyer } = await buyerHolding(1);
    const order = (await checkout(app(), show.id, seats, buyer.token)).body.order;
    expect((await call(app(), 'DELETE', `/api/orders/${order.id}`, { token: buyer.token })).status).toBe(204);
    const r = await checkout(app(), show.id, seats, buyer.token);
    expect(r.status).toBe(409);
    expect(r.body.error.code).toBe('SEAT_UNAVAILABLE');
    expect(await ordersOf(buyer.id)).toEqual([{ id: order.id, status: 'cancelled' }]);
  });

  it('when the order was paid, then a late retry of its checkout is refused and the order stays paid', async () => {
    const { show, seats, buyer } = await buyerHolding(1);
    const order = (await checkout(app(), show.id, seats, buyer.token)).body.order;
    expect((await call(app(), 'POST', `/api/orders/${order.id}/pay`, { token: buyer.token, body: pay() })).status).toBe(200);
    const r = await checkout(app(), show.id, seats, buyer.token);
    expect(r.status).toBeGreaterThanOrEqual(400);
    expect(await ordersOf(buyer.id)).toEqual([{ id: order.id, status: 'paid' }]);
  });
});
