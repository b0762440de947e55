/** Refunds and the waitlist of a sold-out show (docs/selling.md). */
import type { FastifyInstance } from 'fastify';
import { expect, it } from 'vitest';
import { call, createShow, newAdmin, newCustomers, type Res } from '../support/api-client.js';
import { useHarness } from '../support/api-suite.js';
import type { Harness } from '../support/harness.js';
import { describeOnEachDatabase } from '../support/needs.js';
import { connect, emitAck, nextEvent, sleep } from '../support/sockets.js';
import { admit, checkout, hold, pay, seatIdsOf } from './seat-helpers.js';

type Fan = { id: string; token: string };

describeOnEachDatabase('refunds and the waitlist (%s)', (kind) => {
  let h: Harness;
  let app: FastifyInstance;
  let admin: string;
  let base: string;
  useHarness({ db: kind, redis: kind === 'postgres', listen: true }, (s) => ({ h, app, admin, url: base } = s));

  const refund = (orderId: string, token = admin): Promise<Res> => call(app, 'POST', `/api/admin/orders/${orderId}/refund`, { token });
  const joinList = (showId: string, token: string, quantity: unknown): Promise<Res> => call(app, 'POST', `/api/shows/${showId}/waitlist`, { token, body: { quantity } });
  const entryOf = (showId: string, token: string): Promise<Res> => call(app, 'GET', `/api/shows/${showId}/waitlist`, { token });
  const statusOf = async (showId: string, seatIds: string[]) =>
    (await h.db.query<{ seat_id: string; status: string; holder_id: string | null }>(
      `SELECT seat_id, status, holder_id FROM show_seats WHERE show_id = $1 AND seat_id = ANY($2::uuid[]) ORDER BY seat_id`,
      [showId, seatIds],
    )).rows;

  /** A fan admitted to the show buys these seats. */
  async function buy(showId: string, seats: string[], fan?: Fan) {
    const buyer = fan ?? (await newCustomers(app, admin, 1))[0]!;
    await admit(app, showId, buyer.token);
    for (const s of seats) expect((await hold(app, showId, s, buyer.token)).status).toBe(200);
    const order = (await checkout(app, showId, seats, buyer.token)).body.order;
    const paid = await call(app, 'POST', `/api/orders/${order.id}/pay`, { token: buyer.token, body: pay() });
    expect(paid.status, JSON.stringify(paid.body)).toBe(200);
    return { buyer, order: paid.body.order };
  }

  /** Polls until `check` holds (offers are made right after the change, and by a job every second). */
  async function eventually(check: () => Promise<boolean>, ms = 5_000): Promise<void> {
    const until = Date.now() + ms;
    while (!(await check())) {
      if (Date.now() > until) throw new Error('condition not met in time');
      await h.ticketClub.services.waitlist.offerDue();
      await sleep(50);
    }
  }

  it('when an organizer refunds a paid order, then the provider refunds the charge once, the tickets are void at the door and the places are on sale again', async () => {
    const show = await createShow(app, admin, { areas: [{ name: 'Stalls', rows: 1, seatsPerRow: 4 }] });
    const seats = (await seatIdsOf(h.db, show.id)).slice(0, 2);
    const { buyer, order } = await buy(show.id, seats);
    const ticket = order.tickets[0];

    const r = await refund(order.id);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.order).toMatchObject({ id: order.id, status: 'refunded' });
    expect(typeof r.body.order.refundedAt).toBe('string');
    const books = await h.ticketClub.services.payments.chargesOf(order.id);
    expect(books.filter((c) => c.status === 'succeeded')).toEqual([expect.objectContaining({ refunded: true })]);
    expect((await h.db.query<{ state: string }>(`SELECT state FROM payment_attempts WHERE order_id = $1 AND charge_id IS NOT NULL`, [order.id])).rows).toEqual([{ state: 'refunded' }]);

    const door = await call(app, 'POST', '/api/admin/checkin', { token: admin, body: { code: ticket.code, showId: show.id } });
    expect(door.status).toBe(409);
    expect(door.body.error.code).toBe('TICKET_VOID');
    expect((await call(app, 'GET', `/api/orders/${order.id}`, { token: buyer.token })).body.order.status).toBe('refunded');
    expect((await statusOf(show.id, seats)).map((s) => s.status)).toEqual(['available', 'available']);

    // The same places sell again, with new tickets.
    const again = await buy(show.id, seats);
    expect(again.order.tickets).toHaveLength(2);
    const door2 = await call(app, 'POST', '/api/admin/checkin', { token: admin, body: { code: again.order.tickets[0].code, showId: show.id } });
    expect(door2.status).toBe(200);
  });

  it('when an order is refunded twice, or by two admins at once, then it is refunded once and both get it unchanged', async () => {
    const show = await createShow(app, admin, { areas: [{ name: 'Stalls', rows: 1, seatsPerRow: 3 }] });
    const { order } = await buy(show.id, (await seatIdsOf(h.db, show.id)).slice(0, 1));
    const other = await newAdmin(h.ticketClub, app);
    const [a, b] = await Promise.all([refund(order.id), refund(order.id, other)]);
    expect([a.status, b.status]).toEqual([200, 200]);
    expect(a.body.order).toEqual(b.body.order);
    const third = await refund(order.id);
    expect(third.body.order).toEqual(a.body.order);
    const { rows } = await h.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM test_provider_refunds r JOIN test_provider_charges c ON c.id = r.charge_id WHERE c.order_id = $1`,
      [order.id],
    );
    expect(rows[0]!.n).toBe(1);
  });

  it('when a customer asks for a refund, or the order is not paid, then it is refused and nothing changes', async () => {
    const show = await createShow(app, admin, { areas: [{ name: 'Stalls', rows: 1, seatsPerRow: 3 }] });
    const seats = await seatIdsOf(h.db, show.id);
    const { buyer, order } = await buy(show.id, [seats[0]!]);
    const denied = await refund(order.id, buyer.token);
    expect(denied.status).toBe(403);
    expect(denied.body.error.code).toBe('FORBIDDEN');
    expect((await call(app, 'GET', `/api/admin/shows/${show.id}/orders`, { token: buyer.token })).status).toBe(403);
    expect((await call(app, 'GET', `/api/orders/${order.id}`, { token: buyer.token })).body.order.status).toBe('paid');

    const [fan] = await newCustomers(app, admin, 1);
    await admit(app, show.id, fan!.token);
    await hold(app, show.id, seats[1]!, fan!.token);
    const pending = (await checkout(app, show.id, [seats[1]!], fan!.token)).body.order;
    const r = await refund(pending.id);
    expect(r.status).toBe(409);
    expect(r.body.error.code).toBe('ORDER_NOT_PENDING');
    expect((await refund('00000000-0000-4000-8000-000000000000')).status).toBe(404);
    expect((await refund('nope')).status).toBe(400);

    const list = await call(app, 'GET', `/api/admin/shows/${show.id}/orders`, { token: admin });
    expect(list.status).toBe(200);
    expect(list.body.orders.map((o: { id: string; status: string; seats: number }) => [o.id, o.status, o.seats])).toEqual([
      [pending.id, 'pending', 1],
      [order.id, 'paid', 1],
    ]);
  });

  it('when the show is not sold out, then joining the waitlist is 409 NOT_SOLD_OUT; a quantity above the limit is a 400', async () => {
    const show = await createShow(app, admin, { areas: [{ name: 'Stalls', rows: 1, seatsPerRow: 2 }], maxTicketsPerAccount: 2 });
    const [fan] = await newCustomers(app, admin, 1);
    const r = await joinList(show.id, fan!.token, 1);
    expect(r.status).toBe(409);
    expect(r.body.error.code).toBe('NOT_SOLD_OUT');
    await buy(show.id, await seatIdsOf(h.db, show.id));
    for (const q of [3, 0, 'two']) expect((await joinList(show.id, fan!.token, q)).status).toBe(400);
    expect((await entryOf(show.id, fan!.token)).status).toBe(404);
  });

  it('when fans join the waitlist of a sold-out show, then each gets a position once (idempotent), can see it and can leave', async () => {
    const show = await createShow(app, admin, { areas: [{ name: 'Stalls', rows: 1, seatsPerRow: 2 }], maxTicketsPerAccount: 2 });
    await buy(show.id, await seatIdsOf(h.db, show.id));
    const [w1, w2, w3] = await newCustomers(app, admin, 3);
    const a = await joinList(show.id, w1!.token, 2);
    expect(a.status).toBe(201);
    expect(a.body.entry).toMatchObject({ position: 1, quantity: 2, state: 'waiting', offerExpiresAt: null });
    expect((await joinList(show.id, w2!.token, 1)).body.entry).toMatchObject({ position: 2, quantity: 1 });
    const again = await joinList(show.id, w1!.token, 1);
    expect(again.body.entry).toMatchObject({ position: 1, quantity: 1, joinedAt: a.body.entry.joinedAt });
    expect((await joinList(show.id, w3!.token, 1)).body.entry.position).toBe(3);

    expect((await call(app, 'DELETE', `/api/shows/${show.id}/waitlist`, { token: w1!.token })).status).toBe(204);
    expect((await entryOf(show.id, w1!.token)).status).toBe(404);
    expect((await entryOf(show.id, w2!.token)).body.entry.position).toBe(1);
    expect((await entryOf(show.id, w3!.token)).body.entry.position).toBe(2);

    const list = await call(app, 'GET', `/api/admin/shows/${show.id}/waitlist`, { token: admin });
    expect(list.body.entries.map((e: { userId: string; state: string; position: number }) => [e.userId, e.state, e.position])).toEqual([
      [w2!.id, 'waiting', 1],
      [w3!.id, 'waiting', 2],
    ]);
    expect((await call(app, 'GET', `/api/admin/shows/${show.id}/waitlist`, { token: w2!.token })).status).toBe(403);
  });

  it('when a refund brings places back, then the first entry whose quantity fits is admitted with them held, and told in realtime', async () => {
    const show = await createShow(app, admin, { areas: [{ name: 'Stalls', rows: 1, seatsPerRow: 3 }], maxTicketsPerAccount: 3 });
    const seats = await seatIdsOf(h.db, show.id);
    const one = await buy(show.id, [seats[0]!]);
    await buy(show.id, [seats[1]!, seats[2]!]);
    expect((await call(app, 'GET', `/api/shows/${show.id}`)).body.show.status).toBe('sold_out');
    const [wantsTwo, wantsOne] = await newCustomers(app, admin, 2);
    await joinList(show.id, wantsTwo!.token, 2);
    await joinList(show.id, wantsOne!.token, 1);
    const socket = await connect(base, wantsOne!.token);
    try {
      expect(await emitAck(socket, 'queue:watch', show.id)).toEqual({ ok: true });
      const offered = nextEvent(socket, 'waitlist:offer', (e) => e.showId === show.id);
      const admitted = nextEvent(socket, 'queue:admitted', (e) => e.showId === show.id);
      expect((await refund(one.order.id)).status).toBe(200);
      const offer = await offered;
      expect(offer.seatIds).toEqual([seats[0]]);
      expect((await admitted).expiresAt).toBe(offer.expiresAt);
    } finally {
      socket.close();
    }
    // The one place does not fit the first entry (2): it went to the second, held for it.
    expect((await entryOf(show.id, wantsTwo!.token)).body.entry).toMatchObject({ state: 'waiting', position: 1 });
    expect((await entryOf(show.id, wantsOne!.token)).body.entry).toMatchObject({ state: 'offered', position: null });
    expect(await statusOf(show.id, [seats[0]!])).toEqual([{ seat_id: seats[0], status: 'selected', holder_id: wantsOne!.id }]);
    expect((await call(app, 'GET', `/api/shows/${show.id}/queue`, { token: wantsOne!.token })).body.state).toBe('admitted');

    // The fan buys the offered place on the selling page like any held seat.
    const order = (await checkout(app, show.id, [seats[0]!], wantsOne!.token)).body.order;
    expect((await call(app, 'POST', `/api/orders/${order.id}/pay`, { token: wantsOne!.token, body: pay() })).body.order.status).toBe('paid');
    expect((await entryOf(show.id, wantsOne!.token)).body.entry.state).toBe('purchased');
  });

  it('when an offer is not paid in time, then it lapses and the places go to the next entry; a cancelled order\'s places go to the list too', async () => {
    const show = await createShow(app, admin, { areas: [{ name: 'Stalls', rows: 1, seatsPerRow: 2 }], maxTicketsPerAccount: 2, purchaseWindowSeconds: 5 });
    const seats = await seatIdsOf(h.db, show.id);
    const { order } = await buy(show.id, seats);
    const [first, second, third] = await newCustomers(app, admin, 3);
    await joinList(show.id, first!.token, 2);
    await joinList(show.id, second!.token, 2);
    await joinList(show.id, third!.token, 2);
    await refund(order.id);
    await eventually(async () => (await entryOf(show.id, first!.token)).body.entry.state === 'offered');

    // The first lets the window pass: the sweeps end the admission and free the holds.
    await sleep(5_500);
    await h.ticketClub.services.queue.sweepAll();
    await h.ticketClub.services.orders.releaseExpired();
    await eventually(async () => (await entryOf(show.id, second!.token)).body.entry.state === 'offered');
    expect((await entryOf(show.id, first!.token)).body.entry.state).toBe('lapsed');
    expect((await statusOf(show.id, seats)).map((s) => s.holder_id)).toEqual([second!.id, second!.id]);

    // The second checks out and then cancels: the places go to the third at once.
    const pending = (await checkout(app, show.id, seats, second!.token)).body.order;
    expect((await call(app, 'DELETE', `/api/orders/${pending.id}`, { token: second!.token })).status).toBe(204);
    await eventually(async () => (await entryOf(show.id, third!.token)).body.entry.state === 'offered');
    expect((await statusOf(show.id, seats)).map((s) => s.holder_id)).toEqual([third!.id, third!.id]);
    expect((await entryOf(show.id, second!.token)).body.entry.state).toBe('lapsed');
  }, 30_000);

  it('when a refund brings places back to a waitlisted fan, then the refund and the offer each enqueue exactly one email in the outbox', async () => {
    const show = await createShow(app, admin, { areas: [{ name: 'Stalls', rows: 1, seatsPerRow: 2 }], maxTicketsPerAccount: 2 });
    const seats = await seatIdsOf(h.db, show.id);
    const { buyer, order } = await buy(show.id, [seats[0]!]);
    await buy(show.id, [seats[1]!]);
    const [fan] = await newCustomers(app, admin, 1);
    expect((await joinList(show.id, fan!.token, 1)).status).toBe(201);
    const mails = async (kind: string) =>
      (await h.db.query<{ to_address: string; payload: Record<string, unknown> }>(
        `SELECT to_address, payload FROM mail_outbox WHERE kind = $1 AND (payload->>'orderId' = $2 OR payload->>'showId' = $3)`,
        [kind, order.id, show.id],
      )).rows;

    expect((await refund(order.id)).status).toBe(200);
    expect((await refund(order.id)).status).toBe(200); // a second refund tells no one again
    await eventually(async () => (await entryOf(show.id, fan!.token)).body.entry.state === 'offered');
    await h.ticketClub.services.waitlist.offerDue();

    const refunded = await mails('order-refunded');
    expect(refunded).toHaveLength(1);
    const buyerEmail = (await h.db.query<{ email: string }>(`SELECT email FROM users WHERE id = $1`, [buyer.id])).rows[0]!.email;
    expect(refunded[0]).toMatchObject({ to_address: buyerEmail, payload: { orderId: order.id } });
    const offers = await mails('waitlist-offer');
    expect(offers).toHaveLength(1);
    const entry = (await entryOf(show.id, fan!.token)).body.entry;
    expect(offers[0]!.payload).toMatchObject({ userId: fan!.id, showId: show.id, seatIds: [seats[0]], expiresAt: entry.offerExpiresAt });
  }, 30_000);
});
