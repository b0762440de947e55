import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { NO_NUL, ShowPayload } from '../../src/shared/api.js';
import { call, createShow, newAdmin, newCustomers } from '../support/api-client.js';
import { startHarness, type Harness } from '../support/harness.js';
import { declaredRoutes, type DeclaredRoute } from '../support/routes.js';
import { admit, GOOD_CARD, seatIdsOf } from './seat-helpers.js';

/** Every string schema inside `schema`, by path; throws on a construct this walk does not know. */
function stringLeaves(schema: z.ZodType, path = ''): { path: string; schema: z.ZodType }[] {
  const def = (schema as unknown as { _zod: { def: Record<string, unknown> & { type: string } } })._zod.def;
  const inner = (s: unknown, p = path) => stringLeaves(s as z.ZodType, p);
  switch (def.type) {
    case 'string':
      return [{ path: path || '(value)', schema }];
    case 'object':
      return Object.entries(def.shape as Record<string, z.ZodType>).flatMap(([k, v]) => inner(v, path ? `${path}.${k}` : k));
    case 'array':
      return inner(def.element, `${path}[]`);
    case 'optional':
    case 'nullable':
    case 'default':
    case 'prefault':
    case 'readonly':
    case 'catch':
      return inner(def.innerType);
    case 'pipe':
      return [...inner(def.in), ...inner(def.out)];
    case 'union':
      return (def.options as z.ZodType[]).flatMap((o) => inner(o));
    case 'number':
    case 'boolean':
    case 'enum':
    case 'literal':
      return []; // a fixed set or no text: nothing a NUL could hide in
    default:
      throw new Error(`${path}: a ${def.type} schema; teach this walk what its strings are`);
  }
}

const requestSchemas = (routes: Record<string, DeclaredRoute>): [string, z.ZodType][] => [
  ...Object.entries(routes).flatMap(([key, doc]) =>
    (['params', 'query', 'body'] as const).flatMap((part) => (doc[part] ? [[`${key} ${part}`, doc[part]] as [string, z.ZodType]] : [])),
  ),
  ['socket {showId} payloads', ShowPayload],
];

describe('no NUL in any request string', () => {
  let h: Harness;
  const app = () => h.ticketClub.app;
  beforeAll(async () => {
    h = await startHarness({ db: 'pglite' });
  }, 60_000);
  afterAll(async () => {
    await h?.close();
  });

  it('every string field of every request schema a route declares carries the base NUL check', () => {
    let fields = 0;
    for (const [where, schema] of requestSchemas(declaredRoutes(app()))) {
      for (const leaf of stringLeaves(schema)) {
        fields++;
        const checks = (leaf.schema as unknown as { _zod: { def: { checks?: unknown[] } } })._zod.def.checks ?? [];
        expect(checks.includes(NO_NUL), `${where}: ${leaf.path} is not built on the base string schema`).toBe(true);
      }
    }
    expect(fields).toBeGreaterThan(30);
  });

  describe('over HTTP', () => {
    let admin: string;
    let fixture: Record<string, string>;

    beforeAll(async () => {
      admin = await newAdmin(h.ticketClub, app());
      const show = await createShow(app(), admin, { maxTicketsPerAccount: 4 });
      const [fan] = await newCustomers(app(), admin, 1);
      await admit(app(), show.id, fan!.token);
      const seats = await seatIdsOf(h.db, show.id);
      await call(app(), 'POST', `/api/shows/${show.id}/seats/${seats[0]}/hold`, { token: fan!.token });
      await call(app(), 'POST', `/api/shows/${show.id}/seats/${seats[1]}/hold`, { token: fan!.token });
      const order = await call(app(), 'POST', `/api/shows/${show.id}/checkout`, { token: fan!.token, body: { seatIds: [seats[0]] } });
      fixture = { showId: show.id, eventId: show.eventId, venueId: show.venue.id, areaId: show.areas[0]!.id, seatId: seats[1]!, orderId: order.body.order.id, slug: 'help', fan: fan!.token };
    }, 60_000);

    /** A body each route accepts: the NUL goes into each of its strings in turn. */
    const validBodies = (): Record<string, unknown> => ({
      'POST /api/auth/signup': { name: 'Nul Tester', email: 'nul@example.com', password: 'password123', locale: 'zh-TW' },
      'PATCH /api/me': { locale: 'zh-TW' },
      'POST /api/auth/login': { email: 'nul@example.com', password: 'password123' },
      'POST /api/auth/password-reset': { email: 'nul@example.com' },
      'POST /api/auth/password-reset/confirm': { token: 'a'.repeat(43), password: 'password123' },
      'POST /api/shows/:showId/checkout': { seatIds: [fixture.seatId] },
      'POST /api/shows/:showId/areas/:areaId/hold': { quantity: 1 },
      'POST /api/shows/:showId/waitlist': { quantity: 1 },
      'POST /api/orders/:orderId/pay': { method: 'card', card: { ...GOOD_CARD } },
      'POST /api/admin/venues': { name: 'Hall', city: 'Taipei', address: 'Road 1', timeZone: 'Asia/Taipei', areas: [{ name: 'A', rows: 1, seatsPerRow: 2 }] },
      'PATCH /api/admin/venues/:venueId': { name: 'Hall', city: 'Taipei', address: 'Road 1', timeZone: 'Asia/Taipei' },
      'PATCH /api/admin/venues/:venueId/areas/:areaId': { name: 'A' },
      'PUT /api/admin/pages/:slug': { title: 'Help', body: 'Ask **us**.' },
      'POST /api/admin/events': { title: 'T', artist: 'A', description: 'D', imageUrl: 'https://img.example/p.png' },
      'PATCH /api/admin/events/:eventId': { title: 'T', artist: 'A', description: 'D', imageUrl: '/images/p.png' },
      'POST /api/admin/shows': {
        eventId: fixture.eventId,
        venueId: fixture.venueId,
        startsAt: new Date(Date.now() + 86_400_000).toISOString(),
        onSaleAt: new Date().toISOString(),
        prices: [{ areaId: fixture.areaId, price: 100 }],
      },
      'PATCH /api/admin/shows/:showId': { startsAt: new Date(Date.now() + 86_400_000).toISOString(), prices: [{ areaId: fixture.areaId, price: 100 }] },
      'POST /api/admin/users/bulk': { count: 1, emailPrefix: 'nul', password: 'password123' },
      'POST /api/admin/checkin': { code: 'some-ticket-code' },
    });

    /** Every string in a JSON value, as a setter that puts a NUL into it. */
    function stringSlots(value: unknown, path: string[] = []): { path: string; put(root: unknown): unknown }[] {
      if (typeof value === 'string') {
        return [{ path: path.join('.'), put: (root) => setAt(root, path, value.slice(0, 1) + '\u0000' + value.slice(1)) }];
      }
      if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => stringSlots(v, [...path, k]));
      return [];
    }
    function setAt(root: unknown, path: string[], v: unknown): unknown {
      const copy = structuredClone(root) as Record<string, unknown>;
      let node = copy;
      for (const k of path.slice(0, -1)) node = node[k] as Record<string, unknown>;
      node[path.at(-1)!] = v;
      return copy;
    }
    const fill = (pattern: string, nulIn?: string) =>
      pattern.replace(/:(\w+)/g, (_, name: string) => {
        const id = fixture[name]!;
        return encodeURIComponent(name === nulIn ? id.slice(0, 4) + '\u0000' + id.slice(4) : id);
      });
    const tokenFor = (key: string) => (key.includes('/api/admin/') ? admin : fixture.fan!);

    /** What a refused request must leave as it was. */
    const STATE_SQL = `SELECT (SELECT count(*) FROM users) AS users, (SELECT md5(string_agg(name || city || address || time_zone, ',' ORDER BY id)) FROM venues) AS venues,
        (SELECT md5(string_agg(slug || title || body, ',' ORDER BY slug)) FROM site_pages) AS pages, (SELECT count(*) FROM shows) AS shows,
        (SELECT md5(string_agg(title || artist || description || coalesce(image_url, ''), ',' ORDER BY id)) FROM events) AS events,
        (SELECT md5(string_agg(seat_id::text || status, ',' ORDER BY seat_id)) FROM show_seats) AS seats,
        (SELECT md5(string_agg(id::text || status, ',' ORDER BY id)) FROM orders) AS orders`;

    async function expectRefused(method: string, url: string, token: string, body?: unknown): Promise<void> {
      const before = await h.db.query(STATE_SQL);
      const r = await call(app(), method as 'POST', url, { token, body });
      const what = `${method} ${url} ${JSON.stringify(body)}`;
      expect(r.status, what).toBe(400);
      expect(r.body.error.code, what).toBe('VALIDATION_FAILED');
      // Refused for the NUL (a fixed value such as method: "card" is refused as not that value).
      expect(r.body.error.message, what).toMatch(/NUL|Invalid input: expected "/);
      expect((await h.db.query(STATE_SQL)).rows, `${what} changed state`).toEqual(before.rows);
    }

    it('a NUL in any string of any body is a 400 VALIDATION_FAILED that changes nothing', async () => {
      const bodies = validBodies();
      let sent = 0;
      for (const [key, doc] of Object.entries(declaredRoutes(app()))) {
        if (!doc.body) continue;
        const body = bodies[key];
        expect(body, `${key}: add a valid body to this test`).toBeDefined();
        const [method, pattern] = key.split(' ') as [string, string];
        for (const slot of stringSlots(body)) {
          await expectRefused(method, fill(pattern), tokenFor(key), slot.put(body));
          sent++;
        }
      }
      expect(sent).toBeGreaterThan(25);
    });

    it('a NUL in any path parameter or query string is a 400 VALIDATION_FAILED', async () => {
      for (const key of Object.keys(declaredRoutes(app()))) {
        const [method, pattern] = key.split(' ') as [string, string];
        for (const [, name] of pattern.matchAll(/:(\w+)/g)) await expectRefused(method, fill(pattern, name), tokenFor(key));
      }
      await expectRefused('GET', `/api/events?q=${encodeURIComponent('a\u0000b')}`, fixture.fan!);
      await expectRefused('GET', `/api/shows/${fixture.showId}/seats?areaId=${encodeURIComponent(fixture.areaId!.slice(0, 3) + '\u0000')}`, fixture.fan!);
    });
  });
});
