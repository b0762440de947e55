import type { FastifyInstance } from 'fastify';
import { expect, it } from 'vitest';
import type { Database } from '../../src/server/platform/database.js';
import { call, createShow, newCustomer, type Res } from '../support/api-client.js';
import { useHarness } from '../support/api-suite.js';
import type { Harness } from '../support/harness.js';
import { describeOnEachDatabase } from '../support/needs.js';
import { sleep } from '../support/harness-env.js';
import { admit, checkout, hold, MISSING_ID, pay, seatIdsOf } from './seat-helpers.js';

function expectError(res: Res, status: number, code: string): void {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(res.body.error.code).toBe(code);
  expect(typeof res.body.error.message).toBe('string');
}

describeOnEachDatabase('check-in at the door of one show (%s)', (kind) => {
  let h: Harness;
  let app: FastifyInstance;
  let admin: string;
  /** Widens the window between reading and writing a ticket, as a busy database would. */
  const ticketDelay = { ms: 0 };

  useHarness({ db: kind, redis: kind === 'postgres' }, (s) => {
    ({ h, app, admin } = s);
    const db = h.db as { query: Database['query'] };
    const original = db.query.bind(h.db);
    db.query = (async (sql: string, params?: unknown[]) => {
      if (ticketDelay.ms > 0 && /\btickets\b/.test(sql)) await sleep(ticketDelay.ms);
      return original(sql, params);
    }) as Database['query'];
  });

  const checkin = (body: unknown, token = admin) => call(app, 'POST', '/api/admin/checkin', { token, body });
  const checkedInAt = async (ticketId: string) =>
    (await h.db.query<{ checked_in_at: Date | null }>(`SELECT checked_in_at FROM tickets WHERE id = $1`, [ticketId])).rows[0]!.checked_in_at;

  /** A show on sale and a paid order of `n` seats of it. */
  async function paidTickets(n: number, title = 'Door Test') {
    const show = await createShow(app, admin, { event: { title, artist: 'The Doors' }, venueName: 'Gate Hall' });
    const seats = (await seatIdsOf(h.db, show.id)).slice(0, n);
    const buyer = await newCustomer(app);
    await admit(app, show.id, buyer.token);
    for (const s of seats) expect((await hold(app, show.id, s, buyer.token)).status).toBe(200);
    const order = (await checkout(app, show.id, seats, buyer.token)).body.order;
    const paid = await call(app, 'POST', `/api/orders/${order.id}/pay`, { token: buyer.token, body: pay() });
    expect(paid.status).toBe(200);
    return { show, order: paid.body.order, tickets: paid.body.order.tickets as { id: string; code: string; seatId: string }[], buyer };
  }

  it('when a paid ticket is scanned at its own show, then it answers 200 with the seat, the event and the date, and the ticket is used', async () => {
    const { show, tickets } = await paidTickets(1, 'Opening Night');
    const res = await checkin({ code: tickets[0]!.code, showId: show.id });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.ticket).toMatchObject({
      id: tickets[0]!.id,
      seatId: tickets[0]!.seatId,
      showId: show.id,
      areaName: 'A',
      row: 1,
      number: 1,
      eventTitle: 'Opening Night',
      venueName: 'Gate Hall',
      startsAt: show.startsAt,
    });
    expect(Date.parse(res.body.ticket.checkedInAt)).not.toBeNaN();
    expect((await checkedInAt(tickets[0]!.id))?.toISOString()).toBe(res.body.ticket.checkedInAt);
  });

  it("when one ticket of an order is scanned, then the buyer's order shows that one used at that instant and the others not, in seat order", async () => {
    const { show, order, tickets, buyer } = await paidTickets(3);
    const res = await checkin({ code: tickets[1]!.code, showId: show.id });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    for (const url of [`/api/orders/${order.id}`, '/api/orders']) {
      const r = await call(app, 'GET', url, { token: buyer.token });
      const seen = (url === '/api/orders' ? r.body.orders.find((o: { id: string }) => o.id === order.id) : r.body.order) as { tickets: { id: string; number: number; checkedInAt: string | null }[] };
      expect(seen.tickets.map((t) => [t.id, t.number, t.checkedInAt]), url).toEqual([
        [tickets[0]!.id, 1, null],
        [tickets[1]!.id, 2, res.body.ticket.checkedInAt],
        [tickets[2]!.id, 3, null],
      ]);
    }
  });

  it('when a ticket of another show is scanned, then it answers 409 WRONG_SHOW naming the ticket’s show and leaves the ticket unused', async () => {
    const tonight = await paidTickets(1, 'Tonight');
    const other = await paidTickets(1, 'Tomorrow');
    const res = await checkin({ code: other.tickets[0]!.code, showId: tonight.show.id });
    expectError(res, 409, 'WRONG_SHOW');
    expect(res.body.error.details.showId).toBe(other.show.id);
    expect(res.body.error.details.ticket).toMatchObject({ eventTitle: 'Tomorrow', startsAt: other.show.startsAt, areaName: 'A', row: 1, number: 1 });
    expect(await checkedInAt(other.tickets[0]!.id)).toBeNull();
    // At its own door it still lets its holder in.
    expect((await checkin({ code: other.tickets[0]!.code, showId: other.show.id })).status).toBe(200);
  });

  it('when a used ticket is scanned again, then it answers 409 ALREADY_CHECKED_IN with the first time, and the time does not change', async () => {
    const { show, tickets } = await paidTickets(1);
    const first = await checkin({ code: tickets[0]!.code, showId: show.id });
    const again = await checkin({ code: tickets[0]!.code, showId: show.id });
    expectError(again, 409, 'ALREADY_CHECKED_IN');
    expect(again.body.error.details.checkedInAt).toBe(first.body.ticket.checkedInAt);
    expect(again.body.error.details.ticket).toMatchObject({ id: tickets[0]!.id, eventTitle: 'Door Test' });
    expect((await checkedInAt(tickets[0]!.id))?.toISOString()).toBe(first.body.ticket.checkedInAt);
  });

  it('when two doors scan one ticket at the same moment, then exactly one lets them in and the other answers ALREADY_CHECKED_IN', async () => {
    const { show, tickets } = await paidTickets(1);
    ticketDelay.ms = 40;
    let results: Res[];
    try {
      results = await Promise.all(Array.from({ length: 6 }, () => checkin({ code: tickets[0]!.code, showId: show.id })));
    } finally {
      ticketDelay.ms = 0;
    }
    const ok = results.filter((r) => r.status === 200);
    expect(ok).toHaveLength(1);
    for (const r of results.filter((x) => x.status !== 200)) {
      expectError(r, 409, 'ALREADY_CHECKED_IN');
      expect(r.body.error.details.checkedInAt).toBe(ok[0]!.body.ticket.checkedInAt);
    }
  });

  it('when the ticket’s order is no longer paid (refunded or cancelled), then it answers 409 TICKET_VOID and nobody gets in with it', async () => {
    const { show, order, tickets } = await paidTickets(2);
    await h.db.query(`UPDATE orders SET status = 'cancelled', paid_at = NULL WHERE id = $1`, [order.id]);
    for (const t of tickets) {
      expectError(await checkin({ code: t.code, showId: show.id }), 409, 'TICKET_VOID');
      expect(await checkedInAt(t.id)).toBeNull();
    }
  });

  it('when the show id is spelled in capitals, then it is the same show', async () => {
    const { show, tickets } = await paidTickets(1);
    const res = await checkin({ code: tickets[0]!.code, showId: show.id.toUpperCase() });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.ticket.showId).toBe(show.id);
  });

  it('when the show or the code is unknown, then it answers 404 NOT_FOUND and uses nothing', async () => {
    const { show, tickets } = await paidTickets(1);
    expectError(await checkin({ code: tickets[0]!.code, showId: MISSING_ID }), 404, 'NOT_FOUND');
    expectError(await checkin({ code: 'not-a-real-ticket-code', showId: show.id }), 404, 'NOT_FOUND');
    expect(await checkedInAt(tickets[0]!.id)).toBeNull();
  });

  it.each([
    ['the show is missing', (code: string) => ({ code })],
    ['the show id is not an id', (code: string) => ({ code, showId: 'tonight' })],
    ['the show id is a number', (code: string) => ({ code, showId: 7 })],
    ['the code is missing', (_code: string, showId: string) => ({ showId })],
    ['the code is empty', (_code: string, showId: string) => ({ code: '', showId })],
    ['an unknown field is sent', (code: string, showId: string) => ({ code, showId, gate: 2 })],
  ])('when %s, then it answers 400 VALIDATION_FAILED and uses nothing', async (_what, body) => {
    const { show, tickets } = await paidTickets(1);
    expectError(await checkin(body(tickets[0]!.code, show.id)), 400, 'VALIDATION_FAILED');
    expect(await checkedInAt(tickets[0]!.id)).toBeNull();
  });

  it('when a customer or nobody scans, then it answers 403 or 401 and uses nothing', async () => {
    const { show, tickets, buyer } = await paidTickets(1);
    expectError(await checkin({ code: tickets[0]!.code, showId: show.id }, buyer.token), 403, 'FORBIDDEN');
    expectError(await call(app, 'POST', '/api/admin/checkin', { body: { code: tickets[0]!.code, showId: show.id } }), 401, 'UNAUTHENTICATED');
    expect(await checkedInAt(tickets[0]!.id)).toBeNull();
  });
});
