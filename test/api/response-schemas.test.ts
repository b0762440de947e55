import type { FastifyInstance } from 'fastify';
import { expect, it } from 'vitest';
import type { z } from 'zod';
import { call, type Res } from '../support/api-client.js';
import { useHarness } from '../support/api-suite.js';
import type { Harness } from '../support/harness.js';
import { describeOnEachDatabase } from '../support/needs.js';
import { fileContentType } from '../../src/server/platform/validation.js';
import { declaredRoutes, type DeclaredRoute } from '../support/routes.js';
import { GOOD_CARD, seatIdsOf } from './seat-helpers.js';

/*
 * Responses are documented, not filtered, by the schemas their routes declare (they go out with
 * JSON.stringify). So the schemas must say everything the server sends: each answer here must
 * parse with its route's schema and carry no field the schema does not name. A route that answers
 * a file (PDF, CSV, .ics) must answer with the content type it declares.
 */

type Def = Record<string, unknown> & { type: string };
const defOf = (s: z.ZodType) => (s as unknown as { _zod: { def: Def } })._zod.def;

/** The paths of `value` that `schema` does not declare (objects are walked, union variants matched). */
function undeclared(schema: z.ZodType, value: unknown, path = '$'): string[] {
  const def = defOf(schema);
  switch (def.type) {
    case 'object': {
      if (value === null || typeof value !== 'object') return [];
      const shape = def.shape as Record<string, z.ZodType>;
      return Object.entries(value).flatMap(([k, v]) => (shape[k] ? undeclared(shape[k], v, `${path}.${k}`) : [`${path}.${k}`]));
    }
    case 'array':
      return Array.isArray(value) ? value.flatMap((v, i) => undeclared(def.element as z.ZodType, v, `${path}[${i}]`)) : [];
    case 'optional':
    case 'nullable':
      return value === undefined || value === null ? [] : undeclared(def.innerType as z.ZodType, value, path);
    case 'union': {
      const match = (def.options as z.ZodType[]).find((o) => o.safeParse(value).success);
      return match ? undeclared(match, value, path) : [];
    }
    default:
      return [];
  }
}

describeOnEachDatabase('response schemas (%s)', (kind) => {
  let h: Harness;
  let app: FastifyInstance;
  let routes: Record<string, DeclaredRoute>;
  let admin: string;
  const seen = new Set<string>();

  useHarness({ db: kind }, (s) => {
    ({ h, app, admin } = s);
    routes = declaredRoutes(app);
  });

  /** Calls `key` (with its path filled in), expects a 2xx, and checks the body against the route's schema. */
  async function checked(key: string, url: string, opts: Parameters<typeof call>[3] = {}): Promise<Res> {
    const [method] = key.split(' ') as ['GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE'];
    const r = await call(app, method, url, opts);
    expect(r.status, `${key}: ${JSON.stringify(r.body)}`).toBeLessThan(300);
    const schema = routes[key]?.response[String(r.status)];
    expect(schema, `${key} declares no schema for ${r.status}`).toBeDefined();
    if (r.status !== 204) {
      const parsed = schema!.safeParse(r.body);
      expect(parsed.success, `${key}: ${parsed.error?.message}`).toBe(true);
      expect(undeclared(schema!, r.body), `${key} sends fields its schema does not declare`).toEqual([]);
    }
    seen.add(key);
    return r;
  }

  /** Calls a route that answers a file: a 200 with the content type its schema declares, and a body. */
  async function file(key: string, url: string, token?: string): Promise<void> {
    const r = await app.inject({ method: 'GET', url, headers: token ? { authorization: `Bearer ${token}` } : {} });
    expect(r.statusCode, `${key}: ${r.body.slice(0, 200)}`).toBe(200);
    const schema = routes[key]?.response['200'];
    expect(schema, `${key} declares no schema for 200`).toBeDefined();
    const declared = fileContentType(schema!);
    expect(declared, `${key} does not declare a file's content type`).toBeDefined();
    expect(String(r.headers['content-type']).split(';')[0]).toBe(declared);
    expect(r.rawPayload.length).toBeGreaterThan(0);
    seen.add(key);
  }

  it('every answer of a whole sale, from signup to the door, is what its route declares, field by field', async () => {
    await checked('GET /api/health', '/api/health');
    await checked('GET /api/config', '/api/config');
    const email = `schemas${Date.now()}@example.com`;
    await checked('POST /api/auth/signup', '/api/auth/signup', { body: { name: 'Fan', email, password: 'password123' } });
    // Forgot password: the token is in the queued email (no transport sends it here); every session ends.
    await checked('POST /api/auth/password-reset', '/api/auth/password-reset', { body: { email } });
    const { rows } = await h.db.query<{ token: string }>(`SELECT payload->>'token' AS token FROM mail_outbox WHERE kind = 'password-reset' AND to_address = $1`, [email]);
    await checked('POST /api/auth/password-reset/confirm', '/api/auth/password-reset/confirm', { body: { token: rows[0]!.token, password: 'password456' } });
    const fan = (await checked('POST /api/auth/login', '/api/auth/login', { body: { email, password: 'password456' } })).body.token as string;
    await checked('GET /api/me', '/api/me', { token: fan });
    await checked('PATCH /api/me', '/api/me', { token: fan, body: { locale: 'zh-TW' } });
    const [late, early] = (await checked('POST /api/admin/users/bulk', '/api/admin/users/bulk', { token: admin, body: { count: 2, emailPrefix: `s${Date.now()}-`, password: 'password123' } })).body.users as { token: string }[];

    const venue = (await checked('POST /api/admin/venues', '/api/admin/venues', { token: admin, body: { name: 'Hall', city: 'Taipei', areas: [{ name: 'A', rows: 2, seatsPerRow: 3 }] } })).body.venue;
    await checked('PATCH /api/admin/venues/:venueId', `/api/admin/venues/${venue.id}`, { token: admin, body: { address: '1 Road' } });
    await checked('PATCH /api/admin/venues/:venueId/areas/:areaId', `/api/admin/venues/${venue.id}/areas/${venue.areas[0].id}`, { token: admin, body: { accessibleSeats: [{ row: 1, number: 1 }] } });
    await checked('GET /api/admin/venues', '/api/admin/venues', { token: admin });
    const event = (await checked('POST /api/admin/events', '/api/admin/events', { token: admin, body: { title: 'Night', artist: 'Band' } })).body.event;
    await checked('PATCH /api/admin/events/:eventId', `/api/admin/events/${event.id}`, { token: admin, body: { description: 'Loud' } });
    const prices = venue.areas.map((a: { id: string }) => ({ areaId: a.id, price: 1000 }));
    const startsAt = new Date(Date.now() + 30 * 86_400_000).toISOString();
    const body = { eventId: event.id, venueId: venue.id, startsAt, onSaleAt: new Date(Date.now() - 3_600_000).toISOString(), pageCapacity: 1, prices };
    const show = (await checked('POST /api/admin/shows', '/api/admin/shows', { token: admin, body })).body.show;
    await checked('PATCH /api/admin/shows/:showId', `/api/admin/shows/${show.id}`, { token: admin, body: { maxTicketsPerAccount: 4 } });
    // A second show whose pre-queue is open: joining it is an entry in the draw.
    const soon = { ...body, onSaleAt: new Date(Date.now() + 600_000).toISOString() };
    const drawn = (await checked('POST /api/admin/shows', '/api/admin/shows', { token: admin, body: soon })).body.show;

    await checked('GET /api/events', '/api/events');
    await checked('GET /api/events', '/api/events?q=band');
    await checked('GET /api/events/:eventId', `/api/events/${event.id}`);
    await checked('GET /api/shows/:showId', `/api/shows/${show.id}`);
    await file('GET /api/shows/:showId/calendar.ics', `/api/shows/${show.id}/calendar.ics`);
    await file('GET /api/shows/:showId/calendar.ics', `/api/shows/${show.id}/calendar.ics?for=onsale`);
    await checked('GET /api/admin/events', '/api/admin/events', { token: admin });

    expect((await checked('GET /api/shows/:showId/queue', `/api/shows/${show.id}/queue`, { token: fan })).body.state).toBe('none');
    expect((await checked('POST /api/shows/:showId/queue', `/api/shows/${show.id}/queue`, { token: fan })).body.state).toBe('admitted');
    expect((await checked('POST /api/shows/:showId/queue', `/api/shows/${show.id}/queue`, { token: late!.token })).body.state).toBe('waiting');
    await checked('GET /api/shows/:showId/queue', `/api/shows/${show.id}/queue`, { token: late!.token });
    await checked('DELETE /api/shows/:showId/queue', `/api/shows/${show.id}/queue`, { token: late!.token });
    expect((await checked('GET /api/shows/:showId/queue', `/api/shows/${show.id}/queue`, { token: late!.token })).body.lastEnded?.reason).toBe('left');
    expect((await checked('POST /api/shows/:showId/queue', `/api/shows/${drawn.id}/queue`, { token: early!.token })).body.state).toBe('early');
    await checked('GET /api/shows/:showId/draw', `/api/shows/${drawn.id}/draw`);

    const [a, b] = await seatIdsOf(h.db, show.id);
    await checked('GET /api/shows/:showId/seats', `/api/shows/${show.id}/seats`, { token: fan });
    await checked('POST /api/shows/:showId/seats/:seatId/hold', `/api/shows/${show.id}/seats/${a}/hold`, { token: fan });
    await checked('POST /api/shows/:showId/seats/:seatId/hold', `/api/shows/${show.id}/seats/${b}/hold`, { token: fan });
    await checked('DELETE /api/shows/:showId/seats/:seatId/hold', `/api/shows/${show.id}/seats/${b}/hold`, { token: fan });
    await checked('GET /api/shows/:showId/seats', `/api/shows/${show.id}/seats?mine=true`, { token: fan });
    // A pending order, cancelled; then one paid (which ends the fan's turn on the selling page).
    await checked('POST /api/shows/:showId/seats/:seatId/hold', `/api/shows/${show.id}/seats/${b}/hold`, { token: fan });
    const pending = (await checked('POST /api/shows/:showId/checkout', `/api/shows/${show.id}/checkout`, { token: fan, body: { seatIds: [b] } })).body.order;
    await checked('DELETE /api/orders/:orderId', `/api/orders/${pending.id}`, { token: fan });
    const order = (await checked('POST /api/shows/:showId/checkout', `/api/shows/${show.id}/checkout`, { token: fan, body: { seatIds: [a] } })).body.order;
    const paid = (await checked('POST /api/orders/:orderId/pay', `/api/orders/${order.id}/pay`, { token: fan, body: { method: 'card', card: GOOD_CARD } })).body.order;
    await checked('GET /api/orders', '/api/orders', { token: fan });
    await checked('GET /api/orders/:orderId', `/api/orders/${order.id}`, { token: fan });
    await file('GET /api/orders/:orderId/tickets.pdf', `/api/orders/${order.id}/tickets.pdf`, fan);
    await checked('POST /api/admin/checkin', '/api/admin/checkin', { token: admin, body: { code: paid.tickets[0].code, showId: show.id } });
    await checked('GET /api/admin/shows/:showId/stats', `/api/admin/shows/${show.id}/stats`, { token: admin });
    // The line's minutes as the history job records them (the drawn show's pre-queue among them).
    expect(await h.ticketClub.services.lineHistory.record()).toBeGreaterThanOrEqual(2);
    const minutes = (await checked('GET /api/admin/shows/:showId/stats/history', `/api/admin/shows/${show.id}/stats/history?minutes=5`, { token: admin })).body.points;
    expect(minutes.reduce((n: number, p: { sold: number }) => n + p.sold, 0)).toBe(1);
    expect((await checked('GET /api/admin/shows/:showId/stats/history', `/api/admin/shows/${drawn.id}/stats/history?minutes=1`, { token: admin })).body.points).toMatchObject([{ early: 1 }]);
    await file('GET /api/admin/shows/:showId/orders.csv', `/api/admin/shows/${show.id}/orders.csv`, admin);
    await file('GET /api/admin/shows/:showId/attendees.csv', `/api/admin/shows/${show.id}/attendees.csv`, admin);
    // Selling more: a standing floor held by quantity; sold out, its waitlist; a refund.
    const club = (await checked('POST /api/admin/venues', '/api/admin/venues', { token: admin, body: { name: 'Club', city: 'Taipei', areas: [{ name: 'Floor', kind: 'standing', capacity: 2 }, { name: 'Box', rows: 1, seatsPerRow: 1, accessibleSeats: [{ row: 1, number: 1 }] }] } })).body.venue;
    const clubPrices = club.areas.map((a: { id: string }) => ({ areaId: a.id, price: 500 }));
    const gig = (await checked('POST /api/admin/shows', '/api/admin/shows', { token: admin, body: { ...body, venueId: club.id, prices: clubPrices } })).body.show;
    expect((await checked('POST /api/shows/:showId/queue', `/api/shows/${gig.id}/queue`, { token: fan })).body.state).toBe('admitted');
    const floor = (await checked('POST /api/shows/:showId/areas/:areaId/hold', `/api/shows/${gig.id}/areas/${club.areas[0].id}/hold`, { token: fan, body: { quantity: 2 } })).body.seats as { id: string }[];
    const box = (await checked('POST /api/shows/:showId/areas/:areaId/hold', `/api/shows/${gig.id}/areas/${club.areas[1].id}/hold`, { token: fan, body: { quantity: 1 } })).body.seats as { id: string }[];
    await checked('GET /api/shows/:showId/seats', `/api/shows/${gig.id}/seats`, { token: fan });
    const gigOrder = (await checked('POST /api/shows/:showId/checkout', `/api/shows/${gig.id}/checkout`, { token: fan, body: { seatIds: [...floor, ...box].map((x) => x.id) } })).body.order;
    await checked('POST /api/orders/:orderId/pay', `/api/orders/${gigOrder.id}/pay`, { token: fan, body: { method: 'card', card: GOOD_CARD } });
    await checked('POST /api/shows/:showId/waitlist', `/api/shows/${gig.id}/waitlist`, { token: late!.token, body: { quantity: 2 } });
    await checked('GET /api/shows/:showId/waitlist', `/api/shows/${gig.id}/waitlist`, { token: late!.token });
    await checked('GET /api/admin/shows/:showId/waitlist', `/api/admin/shows/${gig.id}/waitlist`, { token: admin });
    await checked('DELETE /api/shows/:showId/waitlist', `/api/shows/${gig.id}/waitlist`, { token: late!.token });
    await checked('GET /api/admin/shows/:showId/orders', `/api/admin/shows/${gig.id}/orders`, { token: admin });
    expect((await checked('POST /api/admin/orders/:orderId/refund', `/api/admin/orders/${gigOrder.id}/refund`, { token: admin })).body.order.status).toBe('refunded');
    await checked('GET /api/orders/:orderId', `/api/orders/${gigOrder.id}`, { token: fan });
    await checked('GET /api/admin/venues', '/api/admin/venues', { token: admin });

    // The outbox: the reset email and the paid order's tickets.
    expect((await checked('GET /api/admin/mail', '/api/admin/mail', { token: admin })).body.messages.length).toBeGreaterThanOrEqual(2);

    await checked('GET /api/pages/:slug', '/api/pages/help');
    await checked('GET /api/admin/pages', '/api/admin/pages', { token: admin });
    await checked('PUT /api/admin/pages/:slug', '/api/admin/pages/help', { token: admin, body: { title: 'Help', body: 'Ask.' } });
    await checked('POST /api/auth/logout', '/api/auth/logout', { token: fan });

    // Every route was answered and checked here (a new one: add it above).
    expect([...seen].sort()).toEqual(Object.keys(routes).sort());
  }, 120_000);
});
