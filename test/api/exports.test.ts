import type { FastifyInstance } from 'fastify';
import { parse } from 'csv-parse/sync';
import { expect, it } from 'vitest';
import { call, createShow, newCustomer } from '../support/api-client.js';
import { useHarness } from '../support/api-suite.js';
import type { Harness } from '../support/harness.js';
import { describeOnEachDatabase } from '../support/needs.js';
import { admit, checkout, hold, MISSING_ID, pay, seatIdsOf } from './seat-helpers.js';

describeOnEachDatabase('CSV exports of a show (%s)', (kind) => {
  let h: Harness;
  let app: FastifyInstance;
  let admin: string;
  useHarness({ db: kind, redis: kind === 'postgres' }, (s) => ({ h, app, admin } = s));

  const get = (url: string, token?: string) => app.inject({ method: 'GET', url, headers: token ? { authorization: `Bearer ${token}` } : {} });
  const rowsOf = (body: string) => parse(body, { columns: true }) as Record<string, string>[];

  async function buyer(name: string, showId: string, seats: string[], paid = true) {
    const r = await call(app, 'POST', '/api/auth/signup', { body: { name, email: `csv${Date.now()}${Math.random()}@example.com`, password: 'password123' } });
    const token = r.body.token as string;
    await admit(app, showId, token);
    for (const s of seats) expect((await hold(app, showId, s, token)).status).toBe(200);
    const order = (await checkout(app, showId, seats, token)).body.order;
    if (paid) expect((await call(app, 'POST', `/api/orders/${order.id}/pay`, { token, body: pay() })).status).toBe(200);
    return { token, email: r.body.user.email as string, orderId: order.id as string };
  }

  it('when an admin exports orders.csv and attendees.csv, then each paid order is a row and each ticket is a row, with holder and seat, and formulas stay text', async () => {
    const show = await createShow(app, admin, { event: { title: 'Export Night', artist: 'CSV' } });
    const seats = await seatIdsOf(h.db, show.id);
    const plain = await buyer('Ada, "the" Buyer', show.id, seats.slice(0, 2));
    const evil = await buyer('=HYPERLINK("http://evil.test","x")', show.id, [seats[2]!]);
    const pending = await buyer('Still Paying', show.id, [seats[3]!], false);

    const orders = await get(`/api/admin/shows/${show.id}/orders.csv`, admin);
    expect(orders.statusCode).toBe(200);
    expect(orders.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(orders.headers['content-disposition']).toBe(`attachment; filename="orders-${show.id}.csv"`);
    const orderRows = rowsOf(orders.body);
    expect(orderRows.map((r) => r.order_id).sort()).toEqual([plain.orderId, evil.orderId].sort());
    expect(orderRows.find((r) => r.order_id === pending.orderId)).toBeUndefined();
    expect(orderRows.find((r) => r.order_id === plain.orderId)).toMatchObject({
      status: 'paid',
      buyer_name: 'Ada, "the" Buyer',
      buyer_email: plain.email,
      tickets: '2',
      total: '2000',
      currency: 'TWD',
    });
    expect(orderRows.find((r) => r.order_id === evil.orderId)!.buyer_name).toBe(`'=HYPERLINK("http://evil.test","x")`);

    const attendees = await get(`/api/admin/shows/${show.id}/attendees.csv`, admin);
    expect(attendees.statusCode).toBe(200);
    const ticketRows = rowsOf(attendees.body);
    expect(ticketRows).toHaveLength(3);
    expect(ticketRows.filter((r) => r.order_id === plain.orderId).map((r) => [r.name, r.area, r.row, r.seat])).toEqual([
      ['Ada, "the" Buyer', 'A', '1', '1'],
      ['Ada, "the" Buyer', 'A', '1', '2'],
    ]);
    expect(ticketRows.find((r) => r.order_id === evil.orderId)?.name?.startsWith("'=")).toBe(true);
    expect(ticketRows.every((r) => r.order_status === 'paid' && r.checked_in_at === '')).toBe(true);
  });

  it.each(['=1+1', '+1', '-1', '@SUM(A1)'])('when a name starts with %j, then the exported cell starts with an apostrophe', async (name) => {
    const show = await createShow(app, admin);
    await buyer(name, show.id, [(await seatIdsOf(h.db, show.id))[0]!]);
    const [row] = rowsOf((await get(`/api/admin/shows/${show.id}/attendees.csv`, admin)).body);
    expect(row!.name).toBe(`'${name}`);
  });

  it('when a customer or nobody asks for an export, then 403 or 401, and an unknown show is a 404', async () => {
    const show = await createShow(app, admin);
    const fan = await newCustomer(app);
    for (const file of ['orders.csv', 'attendees.csv']) {
      expect(JSON.parse((await get(`/api/admin/shows/${show.id}/${file}`, fan.token)).body).error.code).toBe('FORBIDDEN');
      expect((await get(`/api/admin/shows/${show.id}/${file}`)).statusCode).toBe(401);
      expect(JSON.parse((await get(`/api/admin/shows/${MISSING_ID}/${file}`, admin)).body).error.code).toBe('NOT_FOUND');
      expect((await get(`/api/admin/shows/not-an-id/${file}`, admin)).statusCode).toBe(400);
    }
  });
});
