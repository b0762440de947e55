import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/server/platform/clock.js';
import { SESSION_TTL_SECONDS } from '../../src/server/modules/auth/sessions.js';
import { call, createShow, newAdmin, newCustomer, newCustomers, type Res } from '../support/api-client.js';
import { useHarness } from '../support/api-suite.js';
import type { Harness } from '../support/harness.js';
import { declaredRoutes, type DeclaredRoute } from '../support/routes.js';
import { admit, GOOD_CARD, MISSING_ID, seatIdsOf, seatRow } from './seat-helpers.js';

/**
 * Who may call what, over every /api route Fastify serves, by the `config.access` each declares
 * (one that declares none is expected to need an account): anonymous callers, customers on admin
 * routes, accounts on each other's orders, forged and expired sessions, seat calls without admission.
 */

type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';
/** The route with every path parameter set to an id that exists nowhere. */
const urlOf = (key: string) => key.split(' ')[1]!.replace(/:\w+/g, MISSING_ID);
const methodOf = (key: string) => key.split(' ')[0] as Method;

function expectError(r: Res, status: number, code: string, what: string): void {
  expect(r.status, `${what}: ${JSON.stringify(r.body)}`).toBe(status);
  expect(r.body.error.code, what).toBe(code);
}

describe('authorization', () => {
  const clock = new ManualClock(Date.parse('2031-03-01T10:00:00.000Z'));
  let h: Harness;
  let admin: string;
  const app = () => h.ticketClub.app;
  const routes = (pred: (d: DeclaredRoute) => boolean) =>
    Object.entries(declaredRoutes(app()))
      .filter(([, d]) => pred(d))
      .map(([key]) => key);
  const bodyFor = (key: string) => (declaredRoutes(app())[key]!.body ? {} : undefined);
  useHarness({ db: 'pglite', clock }, (s) => ({ h, admin } = s));

  it('has routes of each kind to check', () => {
    expect(routes((d) => d.access === 'admin').length).toBeGreaterThanOrEqual(8);
    expect(routes((d) => d.access === 'user').length).toBeGreaterThanOrEqual(13);
  });

  it('when no token is sent, then every route that needs an account answers 401 UNAUTHENTICATED', async () => {
    for (const key of routes((d) => d.access !== 'public')) {
      const r = await call(app(), methodOf(key), urlOf(key), { body: bodyFor(key) });
      expectError(r, 401, 'UNAUTHENTICATED', key);
    }
  });

  it('when a customer calls any admin route, then it answers 403 FORBIDDEN and changes nothing', async () => {
    const customer = await newCustomer(app());
    const before = await h.db.query('SELECT (SELECT count(*) FROM venues) v, (SELECT count(*) FROM events) e, (SELECT count(*) FROM shows) s, (SELECT count(*) FROM users) u');
    for (const key of routes((d) => d.access === 'admin')) {
      const r = await call(app(), methodOf(key), urlOf(key), { token: customer.token, body: bodyFor(key) });
      expectError(r, 403, 'FORBIDDEN', key);
    }
    // A well-formed admin request from a customer is refused just the same.
    const venue = await call(app(), 'POST', '/api/admin/venues', {
      token: customer.token,
      body: { name: 'Mine', city: 'Taipei', address: '', areas: [{ name: 'A', rows: 1, seatsPerRow: 1 }] },
    });
    expectError(venue, 403, 'FORBIDDEN', 'POST /api/admin/venues (valid body)');
    const bulk = await call(app(), 'POST', '/api/admin/users/bulk', { token: customer.token, body: { count: 2, emailPrefix: 'sneaky', password: 'password123' } });
    expectError(bulk, 403, 'FORBIDDEN', 'POST /api/admin/users/bulk (valid body)');
    const after = await h.db.query('SELECT (SELECT count(*) FROM venues) v, (SELECT count(*) FROM events) e, (SELECT count(*) FROM shows) s, (SELECT count(*) FROM users) u');
    expect(after.rows).toEqual(before.rows);
  });

  it('when a customer signs up asking to be admin, then the request is refused', async () => {
    const r = await call(app(), 'POST', '/api/auth/signup', {
      body: { name: 'Eve', email: `eve-${randomBytes(3).toString('hex')}@example.com`, password: 'password123', role: 'admin' },
    });
    expectError(r, 400, 'VALIDATION_FAILED', 'signup with role');
  });

  it('when a token is forged, malformed or logged out, then every route that needs an account answers 401', async () => {
    const loggedOut = await newCustomer(app());
    expect((await call(app(), 'POST', '/api/auth/logout', { token: loggedOut.token })).status).toBe(204);
    const real = await newCustomer(app());
    const forged = [
      randomBytes(32).toString('base64url'), // the right shape, never issued
      real.token.slice(0, -1) + (real.token.endsWith('A') ? 'B' : 'A'), // one character off
      real.token.toUpperCase(),
      'x',
      'y'.repeat(500),
      loggedOut.token,
    ];
    for (const token of forged) {
      for (const key of routes((d) => d.access !== 'public')) {
        const r = await call(app(), methodOf(key), urlOf(key), { token, body: bodyFor(key) });
        expectError(r, 401, 'UNAUTHENTICATED', `${key} with ${token.slice(0, 12)}…`);
      }
      // The same token as a cookie.
      expectError(await call(app(), 'GET', '/api/me', { headers: { cookie: `tc_session=${encodeURIComponent(token)}` } }), 401, 'UNAUTHENTICATED', 'cookie');
    }
    // Not a bearer scheme at all.
    expectError(await call(app(), 'GET', '/api/me', { headers: { authorization: `Basic ${real.token}` } }), 401, 'UNAUTHENTICATED', 'Basic');
    expect((await call(app(), 'GET', '/api/me', { token: real.token })).status).toBe(200);
  });

  describe('orders of another account', () => {
    /** Accounts A and B both admitted to a new show; A holds its first seat. */
    async function aHoldsASeatBIsAdmitted() {
      const show = await createShow(app(), admin, { now: clock.now() });
      const [a, b] = await newCustomers(app(), admin, 2);
      await admit(app(), show.id, a!.token);
      await admit(app(), show.id, b!.token);
      const [seat] = await seatIdsOf(h.db, show.id);
      expect((await call(app(), 'POST', `/api/shows/${show.id}/seats/${seat}/hold`, { token: a!.token })).status).toBe(200);
      return { show, a: a!, b: b!, seat: seat! };
    }

    it('when B reads, pays or cancels A\'s order, then it answers 404 and A\'s order is untouched', async () => {
      const { show, a, b, seat } = await aHoldsASeatBIsAdmitted();
      const order = await call(app(), 'POST', `/api/shows/${show.id}/checkout`, { token: a.token, body: { seatIds: [seat] } });
      expect(order.status).toBe(201);
      const id = order.body.order.id as string;

      expectError(await call(app(), 'GET', `/api/orders/${id}`, { token: b.token }), 404, 'NOT_FOUND', 'GET');
      expectError(await call(app(), 'POST', `/api/orders/${id}/pay`, { token: b.token, body: { method: 'card', card: GOOD_CARD } }), 404, 'NOT_FOUND', 'pay');
      expectError(await call(app(), 'DELETE', `/api/orders/${id}`, { token: b.token }), 404, 'NOT_FOUND', 'DELETE');
      // The same answer as for an order that does not exist: nothing tells B the id is real.
      const missing = await call(app(), 'GET', `/api/orders/${MISSING_ID}`, { token: b.token });
      expectError(missing, 404, 'NOT_FOUND', 'missing');
      expect((await call(app(), 'GET', `/api/orders/${id}`, { token: b.token })).body).toEqual(missing.body);
      expect((await call(app(), 'GET', '/api/orders', { token: b.token })).body.orders).toEqual([]);

      const mine = await call(app(), 'GET', `/api/orders/${id}`, { token: a.token });
      expect(mine.body.order).toMatchObject({ id, status: 'pending' });
      expect(await seatRow(h.db, show.id, seat)).toMatchObject({ status: 'locked', holder_id: a.id, order_id: id });
      // Nor may an admin pay or cancel it on A's behalf through the customer routes.
      expectError(await call(app(), 'DELETE', `/api/orders/${id}`, { token: admin }), 404, 'NOT_FOUND', 'admin DELETE');
    });

    it('when B releases a seat A holds, then it is refused and A keeps it', async () => {
      const { show, a, b, seat } = await aHoldsASeatBIsAdmitted();
      const r = await call(app(), 'DELETE', `/api/shows/${show.id}/seats/${seat}/hold`, { token: b.token });
      expect(r.status).toBe(409);
      expect(await seatRow(h.db, show.id, seat)).toMatchObject({ status: 'selected', holder_id: a.id });
    });
  });

  it('when an account is not admitted (waiting, never joined, or gone), then every seat call answers 403 NOT_ADMITTED', async () => {
    const show = await createShow(app(), admin, { now: clock.now(), pageCapacity: 1 });
    const [first, waiting, never, gone] = await newCustomers(app(), admin, 4);
    await admit(app(), show.id, first!.token);
    expect((await call(app(), 'POST', `/api/shows/${show.id}/queue`, { token: waiting!.token })).body.state).toBe('waiting');
    const [seat] = await seatIdsOf(h.db, show.id);
    // `gone` was admitted once, left, and tries to carry on.
    await call(app(), 'DELETE', `/api/shows/${show.id}/queue`, { token: first!.token });
    await admit(app(), show.id, waiting!.token); // now admitted: `waiting` moved up
    expect((await call(app(), 'POST', `/api/shows/${show.id}/queue`, { token: gone!.token })).body.state).toBe('waiting');
    await call(app(), 'DELETE', `/api/shows/${show.id}/queue`, { token: gone!.token });

    const seatCalls = (token: string) => [
      call(app(), 'GET', `/api/shows/${show.id}/seats`, { token }),
      call(app(), 'POST', `/api/shows/${show.id}/seats/${seat}/hold`, { token }),
      call(app(), 'DELETE', `/api/shows/${show.id}/seats/${seat}/hold`, { token }),
      call(app(), 'POST', `/api/shows/${show.id}/checkout`, { token, body: { seatIds: [seat] } }),
    ];
    for (const [who, token] of [
      ['left the page', first!.token],
      ['never joined', never!.token],
      ['left the line', gone!.token],
    ] as const) {
      for (const r of await Promise.all(seatCalls(token))) expectError(r, 403, 'NOT_ADMITTED', who);
    }
    expect(await seatRow(h.db, show.id, seat!)).toMatchObject({ status: 'available' });
    // And an admission for one show is no admission for another.
    const other = await createShow(app(), admin, { now: clock.now() });
    const [otherSeat] = await seatIdsOf(h.db, other.id);
    expectError(await call(app(), 'POST', `/api/shows/${other.id}/seats/${otherSeat}/hold`, { token: waiting!.token }), 403, 'NOT_ADMITTED', 'other show');
  });

  it('when a session is older than 30 days, then it answers 401 on every route that needs an account', async () => {
    const fan = await newCustomer(app());
    const adminToken = await newAdmin(h.ticketClub, app());
    expect((await call(app(), 'GET', '/api/me', { token: fan.token })).status).toBe(200);

    clock.advance(SESSION_TTL_SECONDS * 1000 - 60_000);
    expect((await call(app(), 'GET', '/api/me', { token: fan.token })).status).toBe(200); // a minute left
    clock.advance(60_000 + 1_000);

    for (const token of [fan.token, adminToken]) {
      for (const key of routes((d) => d.access !== 'public')) {
        const r = await call(app(), methodOf(key), urlOf(key), { token, body: bodyFor(key) });
        expectError(r, 401, 'UNAUTHENTICATED', `${key} expired`);
      }
      expectError(await call(app(), 'GET', '/api/me', { headers: { cookie: `tc_session=${encodeURIComponent(token)}` } }), 401, 'UNAUTHENTICATED', 'cookie expired');
    }
    // Logging in again gives a working session.
    const again = await call(app(), 'POST', '/api/auth/login', { body: { email: fan.email, password: 'password123' } });
    expect(again.status).toBe(200);
    expect((await call(app(), 'GET', '/api/me', { token: again.body.token })).status).toBe(200);
  });
});
