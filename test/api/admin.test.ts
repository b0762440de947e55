import { randomBytes, randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { describe, expect, it } from 'vitest';
import { call, newCustomer, type Res } from '../support/api-client.js';
import { useHarness } from '../support/api-suite.js';
import type { Harness } from '../support/harness.js';
import { describeOnEachDatabase } from '../support/needs.js';

const DAY = 86_400_000;
const future = (days: number) => new Date(Date.now() + days * DAY).toISOString();

function expectError(res: Res, status: number, code: string): void {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(res.body.error.code).toBe(code);
  expect(typeof res.body.error.message).toBe('string');
}

interface Venue {
  id: string;
  name: string;
  city: string;
  address: string;
  areas: { id: string; name: string; rows: number; seatsPerRow: number }[];
}

describeOnEachDatabase('admin (%s)', (kind) => {
  let h: Harness;
  let app: FastifyInstance;
  let admin: string;
  let customer: string;
  let venue: Venue;
  let otherVenue: Venue;
  let eventId: string;

  const count = async (sql: string, params: unknown[] = []) => Number((await h.db.query<{ n: number }>(sql, params)).rows[0]!.n);
  const post = (url: string, body: unknown, token: string | undefined = admin) => call(app, 'POST', url, { token, body });
  const showBody = (o: Record<string, unknown> = {}) => ({
    eventId,
    venueId: venue.id,
    startsAt: future(30),
    onSaleAt: future(1),
    prices: venue.areas.map((a, i) => ({ areaId: a.id, price: 1500 - 500 * i })),
    ...o,
  });

  useHarness({ db: kind }, async (s) => {
    ({ h, app, admin } = s);
    customer = (await newCustomer(app)).token;
    const v = await post('/api/admin/venues', {
      name: 'Admin Arena',
      city: 'Taichung',
      address: '5 Arena Ave',
      areas: [
        { name: 'Front', rows: 2, seatsPerRow: 3 },
        { name: 'Back', rows: 3, seatsPerRow: 2 },
      ],
    });
    venue = v.body.venue;
    otherVenue = (await post('/api/admin/venues', { name: 'Elsewhere', city: 'Tainan', areas: [{ name: 'Only', rows: 1, seatsPerRow: 2 }] })).body.venue;
    eventId = (await post('/api/admin/events', { title: 'Admin Event', artist: 'Admin Artist' })).body.event.id;
  });

  describe('access', () => {
    const endpoints = (): [string, 'GET' | 'POST' | 'PATCH', string, unknown][] => [
      ['list venues', 'GET', '/api/admin/venues', undefined],
      ['create a venue', 'POST', '/api/admin/venues', { name: 'Sneaky', city: 'X', areas: [{ name: 'A', rows: 1, seatsPerRow: 1 }] }],
      ['create an event', 'POST', '/api/admin/events', { title: 'Sneaky', artist: 'X' }],
      ['edit an event', 'PATCH', `/api/admin/events/${eventId}`, { title: 'Hacked' }],
      ['create a show', 'POST', '/api/admin/shows', showBody()],
      ['create users in bulk', 'POST', '/api/admin/users/bulk', { count: 1, emailPrefix: 'sneaky', password: 'password123' }],
    ];

    it('when any admin endpoint is called without a session, then it answers 401 UNAUTHENTICATED and changes nothing', async () => {
      const before = await count(`SELECT (SELECT count(*) FROM venues) + (SELECT count(*) FROM events) + (SELECT count(*) FROM shows) + (SELECT count(*) FROM users) AS n`);
      for (const [what, method, url, body] of endpoints()) {
        const res = await call(app, method, url, { body });
        expect(res.status, what).toBe(401);
        expect(res.body.error.code, what).toBe('UNAUTHENTICATED');
      }
      expect(await count(`SELECT (SELECT count(*) FROM venues) + (SELECT count(*) FROM events) + (SELECT count(*) FROM shows) + (SELECT count(*) FROM users) AS n`)).toBe(before);
    });

    it('when any admin endpoint is called by a customer, then it answers 403 FORBIDDEN and changes nothing', async () => {
      const before = await count(`SELECT (SELECT count(*) FROM venues) + (SELECT count(*) FROM events) + (SELECT count(*) FROM shows) + (SELECT count(*) FROM users) AS n`);
      for (const [what, method, url, body] of endpoints()) {
        const res = await call(app, method, url, { token: customer, body });
        expect(res.status, what).toBe(403);
        expect(res.body.error.code, what).toBe('FORBIDDEN');
      }
      expect(await count(`SELECT (SELECT count(*) FROM venues) + (SELECT count(*) FROM events) + (SELECT count(*) FROM shows) + (SELECT count(*) FROM users) AS n`)).toBe(before);
      expect((await call(app, 'GET', `/api/events/${eventId}`)).body.event.title).toBe('Admin Event');
    });

    it('when the customer’s request is also malformed, then the refusal is still 403, not a validation hint', async () => {
      expectError(await post('/api/admin/venues', { nonsense: true }, customer), 403, 'FORBIDDEN');
    });

    it('when the show stats are asked for without a session or by a customer, then it answers 401 and 403', async () => {
      const showId = (await post('/api/admin/shows', showBody())).body.show.id;
      expectError(await call(app, 'GET', `/api/admin/shows/${showId}/stats`), 401, 'UNAUTHENTICATED');
      expectError(await call(app, 'GET', `/api/admin/shows/${showId}/stats`, { token: customer }), 403, 'FORBIDDEN');
    });
  });

  describe('venues', () => {
    it('when a venue is created, then it answers 201 with area ids, and one seat per row and number exists', async () => {
      const res = await post('/api/admin/venues', {
        name: 'Grid Hall',
        city: 'Hsinchu',
        address: '1 Grid St',
        areas: [
          { name: 'Left', rows: 3, seatsPerRow: 4 },
          { name: 'Right', rows: 2, seatsPerRow: 5 },
        ],
      });
      expect(res.status).toBe(201);
      const v: Venue = res.body.venue;
      expect(v).toMatchObject({ name: 'Grid Hall', city: 'Hsinchu', address: '1 Grid St' });
      expect(typeof v.id).toBe('string');
      expect(v.areas.map(({ name, rows, seatsPerRow }) => ({ name, rows, seatsPerRow }))).toEqual([
        { name: 'Left', rows: 3, seatsPerRow: 4 },
        { name: 'Right', rows: 2, seatsPerRow: 5 },
      ]);
      expect(new Set(v.areas.map((a) => a.id)).size).toBe(2);

      for (const a of v.areas) {
        const { rows } = await h.db.query<{ n: number; rows: number; per_row: number; distinct_seats: number }>(
          `SELECT count(*)::int AS n, max(row_number)::int AS rows, max(seat_number)::int AS per_row,
                  count(DISTINCT (row_number, seat_number))::int AS distinct_seats, min(row_number)::int AS min_row, min(seat_number)::int AS min_seat
             FROM seats WHERE area_id = $1`,
          [a.id],
        );
        expect(rows[0]).toMatchObject({ n: a.rows * a.seatsPerRow, rows: a.rows, per_row: a.seatsPerRow, distinct_seats: a.rows * a.seatsPerRow, min_row: 1, min_seat: 1 });
      }
      expect(await count(`SELECT count(*)::int AS n FROM areas WHERE venue_id = $1`, [v.id])).toBe(2);

      const list = await call(app, 'GET', '/api/admin/venues', { token: admin });
      expect(list.status).toBe(200);
      expect(list.body.venues.find((x: Venue) => x.id === v.id)).toEqual(v);
    });

    it('when the address is left out, then the venue is created with an empty address', async () => {
      const res = await post('/api/admin/venues', { name: 'No Address', city: 'Keelung', areas: [{ name: 'A', rows: 1, seatsPerRow: 1 }] });
      expect(res.status).toBe(201);
      expect(res.body.venue.address).toBe('');
    });

    it.each([
      ['there are no areas', { areas: [] }],
      ['an area has 0 rows', { areas: [{ name: 'A', rows: 0, seatsPerRow: 2 }] }],
      ['an area has 201 seats per row', { areas: [{ name: 'A', rows: 1, seatsPerRow: 201 }] }],
      ['rows is not an integer', { areas: [{ name: 'A', rows: 1.5, seatsPerRow: 2 }] }],
      ['rows is a string', { areas: [{ name: 'A', rows: '2', seatsPerRow: 2 }] }],
      ['two areas share a name', { areas: [{ name: 'A', rows: 1, seatsPerRow: 1 }, { name: 'a', rows: 1, seatsPerRow: 1 }] }],
      ['the name is empty', { name: '' }],
      ['the city is missing', { city: undefined }],
      ['an unknown field is sent', { capacity: 10 }],
    ])('when %s, then it answers 400 VALIDATION_FAILED and creates no venue', async (_what, patch) => {
      const before = await count(`SELECT count(*)::int AS n FROM venues`);
      const body = { name: 'Bad Venue', city: 'Nowhere', areas: [{ name: 'A', rows: 1, seatsPerRow: 1 }], ...patch };
      expectError(await post('/api/admin/venues', body), 400, 'VALIDATION_FAILED');
      expect(await count(`SELECT count(*)::int AS n FROM venues`)).toBe(before);
    });
  });

  describe('events', () => {
    it('when an event is created, then it answers 201 with the event, and it is public', async () => {
      const res = await post('/api/admin/events', {
        title: 'New Tour',
        artist: 'New Artist',
        description: 'Fresh',
        imageUrl: 'https://cdn.example.com/poster.png',
      });
      expect(res.status).toBe(201);
      expect(res.body.event).toMatchObject({ title: 'New Tour', artist: 'New Artist', description: 'Fresh', imageUrl: 'https://cdn.example.com/poster.png' });
      expect(typeof res.body.event.id).toBe('string');
      const pub = await call(app, 'GET', `/api/events/${res.body.event.id}`);
      expect(pub.status).toBe(200);
      expect(pub.body.event.title).toBe('New Tour');
    });

    it('when description and imageUrl are left out, then they are empty and null', async () => {
      const res = await post('/api/admin/events', { title: 'Bare', artist: 'Bare Artist' });
      expect(res.status).toBe(201);
      expect(res.body.event).toMatchObject({ description: '', imageUrl: null });
    });

    it.each([
      ['the title is missing', { artist: 'A' }],
      ['the title is blank', { title: '   ', artist: 'A' }],
      ['the imageUrl is a javascript: URL', { title: 'T', artist: 'A', imageUrl: 'javascript:alert(1)' }],
      ['the title is a number', { title: 5, artist: 'A' }],
    ])('when %s, then it answers 400 VALIDATION_FAILED', async (_what, body) => {
      expectError(await post('/api/admin/events', body), 400, 'VALIDATION_FAILED');
    });
  });

  describe('shows', () => {
    it('when a show is created with the rules left out, then it answers 201 with the defaults 100, 600 and 4', async () => {
      const body = showBody();
      const res = await post('/api/admin/shows', body);
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      expect(res.body.show).toMatchObject({
        eventId,
        startsAt: body.startsAt,
        onSaleAt: body.onSaleAt,
        status: 'scheduled',
        pageCapacity: 100,
        purchaseWindowSeconds: 600,
        maxTicketsPerAccount: 4,
        venue: { id: venue.id, name: 'Admin Arena', city: 'Taichung' },
      });
      expect(res.body.show.areas).toEqual([
        { id: venue.areas[0]!.id, name: 'Front', kind: 'seated', price: 1500, currency: 'TWD', seatCount: 6, availableCount: 6 },
        { id: venue.areas[1]!.id, name: 'Back', kind: 'seated', price: 1000, currency: 'TWD', seatCount: 6, availableCount: 6 },
      ]);
      const pub = await call(app, 'GET', `/api/shows/${res.body.show.id}`);
      expect(pub.body.show).toMatchObject({ id: res.body.show.id, pageCapacity: 100, purchaseWindowSeconds: 600, maxTicketsPerAccount: 4 });
    });

    it('when a show is created, then it has one available show_seats row per seat of each priced area', async () => {
      const res = await post('/api/admin/shows', showBody());
      const showId = res.body.show.id;
      const { rows } = await h.db.query<{ n: number; distinct_seats: number; available: number; holders: number; orders: number }>(
        `SELECT count(*)::int AS n, count(DISTINCT seat_id)::int AS distinct_seats,
                (count(*) FILTER (WHERE status = 'available'))::int AS available,
                count(holder_id)::int AS holders, count(order_id)::int AS orders
           FROM show_seats WHERE show_id = $1`,
        [showId],
      );
      expect(rows[0]).toEqual({ n: 12, distinct_seats: 12, available: 12, holders: 0, orders: 0 });
      // Exactly the venue's seats, each in its own area.
      expect(
        await count(
          `SELECT count(*)::int AS n FROM seats s JOIN areas a ON a.id = s.area_id
             LEFT JOIN show_seats ss ON ss.show_id = $1 AND ss.seat_id = s.id AND ss.area_id = s.area_id
            WHERE a.venue_id = $2 AND ss.seat_id IS NULL`,
          [showId, venue.id],
        ),
      ).toBe(0);
    });

    it('when only some areas are priced, then only their seats get show_seats rows', async () => {
      const res = await post('/api/admin/shows', showBody({ prices: [{ areaId: venue.areas[1]!.id, price: 0 }] }));
      expect(res.status).toBe(201);
      expect(await count(`SELECT count(*)::int AS n FROM show_seats WHERE show_id = $1`, [res.body.show.id])).toBe(6);
      expect(res.body.show.areas).toEqual([{ id: venue.areas[1]!.id, name: 'Back', kind: 'seated', price: 0, currency: 'TWD', seatCount: 6, availableCount: 6 }]);
    });

    it.each([
      ['pageCapacity', 1],
      ['pageCapacity', 100_000],
      ['purchaseWindowSeconds', 5],
      ['purchaseWindowSeconds', 3600],
      ['maxTicketsPerAccount', 1],
      ['maxTicketsPerAccount', 20],
    ])('when %s is %i (a bound of its range), then the show is created with it', async (field, value) => {
      const res = await post('/api/admin/shows', showBody({ [field]: value }));
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      expect(res.body.show[field]).toBe(value);
    });

    it.each([
      ['pageCapacity', 0],
      ['pageCapacity', 100_001],
      ['pageCapacity', 2.5],
      ['pageCapacity', '10'],
      ['purchaseWindowSeconds', 4],
      ['purchaseWindowSeconds', 3601],
      ['maxTicketsPerAccount', 0],
      ['maxTicketsPerAccount', 21],
      ['maxTicketsPerAccount', -1],
    ])('when %s is %j (out of range), then it answers 400 VALIDATION_FAILED and creates no show', async (field, value) => {
      const before = await count(`SELECT count(*)::int AS n FROM shows`);
      expectError(await post('/api/admin/shows', showBody({ [field]: value })), 400, 'VALIDATION_FAILED');
      expect(await count(`SELECT count(*)::int AS n FROM shows`)).toBe(before);
    });

    it('when the eventId is unknown, then it answers 404 NOT_FOUND', async () => {
      expectError(await post('/api/admin/shows', showBody({ eventId: randomUUID() })), 404, 'NOT_FOUND');
    });

    it('when the venueId is unknown, then it answers 404 NOT_FOUND', async () => {
      expectError(await post('/api/admin/shows', showBody({ venueId: randomUUID() })), 404, 'NOT_FOUND');
    });

    it('when a price names an area of another venue, then it answers 400 VALIDATION_FAILED and creates no show', async () => {
      const before = await count(`SELECT count(*)::int AS n FROM shows`);
      const prices = [{ areaId: venue.areas[0]!.id, price: 100 }, { areaId: otherVenue.areas[0]!.id, price: 100 }];
      expectError(await post('/api/admin/shows', showBody({ prices })), 400, 'VALIDATION_FAILED');
      expect(await count(`SELECT count(*)::int AS n FROM shows`)).toBe(before);
    });

    it('when onSaleAt is after startsAt, then it answers 400 VALIDATION_FAILED', async () => {
      expectError(await post('/api/admin/shows', showBody({ onSaleAt: future(31), startsAt: future(30) })), 400, 'VALIDATION_FAILED');
    });

    it('when onSaleAt equals startsAt, then the show is created', async () => {
      const at = future(30);
      expect((await post('/api/admin/shows', showBody({ onSaleAt: at, startsAt: at }))).status).toBe(201);
    });

    it.each([
      ['one area is priced twice', () => ({ prices: [{ areaId: venue.areas[0]!.id, price: 1 }, { areaId: venue.areas[0]!.id, price: 2 }] })],
      ['there are no prices', () => ({ prices: [] })],
      ['a price is negative', () => ({ prices: [{ areaId: venue.areas[0]!.id, price: -1 }] })],
      ['an areaId is malformed', () => ({ prices: [{ areaId: 'front', price: 1 }] })],
      ['the eventId is malformed', () => ({ eventId: 'not-a-uuid' })],
      ['startsAt is not a date', () => ({ startsAt: 'next friday' })],
      ['startsAt has no time zone', () => ({ startsAt: '2031-01-01T19:30:00' })],
      ['startsAt is an impossible date', () => ({ startsAt: '2031-02-30T19:30:00Z' })],
      ['the dates are in year 0', () => ({ onSaleAt: '0000-01-01T00:00:00Z', startsAt: '0000-01-02T00:00:00Z' })],
      ['an unknown field is sent', () => ({ status: 'on_sale' })],
    ])('when %s, then it answers 400 VALIDATION_FAILED', async (_what, patch) => {
      expectError(await post('/api/admin/shows', showBody(patch())), 400, 'VALIDATION_FAILED');
    });
  });

  describe('users in bulk', () => {
    it('when users are created in bulk, then it answers 201 with <prefix><i>@load.test customers whose tokens work', async () => {
      const prefix = `load${randomBytes(3).toString('hex')}-`;
      const res = await post('/api/admin/users/bulk', { count: 3, emailPrefix: prefix, password: 'loadtest123' });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      const users: { id: string; email: string; token: string }[] = res.body.users;
      expect(users).toHaveLength(3);
      expect(users.map((u) => u.email)).toEqual([1, 2, 3].map((i) => `${prefix}${i}@load.test`));
      expect(new Set(users.map((u) => u.id)).size).toBe(3);
      expect(new Set(users.map((u) => u.token)).size).toBe(3);
      for (const u of users) {
        expect(Object.keys(u).sort()).toEqual(['email', 'id', 'token']);
        const me = await call(app, 'GET', '/api/me', { token: u.token });
        expect(me.status).toBe(200);
        expect(me.body.user).toMatchObject({ id: u.id, email: u.email, role: 'customer' });
      }
      // One hash for all of them, and it is the password's.
      const { rows } = await h.db.query<{ hashes: number; h: string }>(
        `SELECT count(DISTINCT password_hash)::int AS hashes, min(password_hash) AS h FROM users WHERE email LIKE $1`,
        [`${prefix}%@load.test`],
      );
      expect(rows[0]!.hashes).toBe(1);
      expect(rows[0]!.h).toMatch(/^\$argon2id\$/);
      const login = await call(app, 'POST', '/api/auth/login', { body: { email: `${prefix}2@load.test`, password: 'loadtest123' } });
      expect(login.status).toBe(200);
      expect(login.body.user.id).toBe(users[1]!.id);
    });

    it('when the same prefix is used again, then the same accounts come back with new working tokens', async () => {
      const prefix = `again${randomBytes(3).toString('hex')}-`;
      const first = (await post('/api/admin/users/bulk', { count: 2, emailPrefix: prefix, password: 'loadtest123' })).body.users;
      const second = await post('/api/admin/users/bulk', { count: 3, emailPrefix: prefix, password: 'loadtest123' });
      expect(second.status).toBe(201);
      expect(second.body.users.slice(0, 2).map((u: { id: string }) => u.id)).toEqual(first.map((u: { id: string }) => u.id));
      expect(second.body.users).toHaveLength(3);
      for (const u of second.body.users) expect((await call(app, 'GET', '/api/me', { token: u.token })).status).toBe(200);
      expect(await count(`SELECT count(*)::int AS n FROM users WHERE email LIKE $1`, [`${prefix}%`])).toBe(3);
    });

    it.each([
      ['count is 0', { count: 0 }],
      ['count is 10001', { count: 10_001 }],
      ['count is not an integer', { count: 1.5 }],
      ['count is a string', { count: '5' }],
      ['the prefix has a space', { emailPrefix: 'a b' }],
      ['the prefix has an @', { emailPrefix: 'a@b' }],
      ['the password is short', { password: 'short' }],
      ['an unknown field is sent', { role: 'admin' }],
    ])('when %s, then it answers 400 VALIDATION_FAILED and creates nobody', async (_what, patch) => {
      const before = await count(`SELECT count(*)::int AS n FROM users`);
      expectError(await post('/api/admin/users/bulk', { count: 2, emailPrefix: 'bad', password: 'password123', ...patch }), 400, 'VALIDATION_FAILED');
      expect(await count(`SELECT count(*)::int AS n FROM users`)).toBe(before);
    });
  });

  describe('with ENABLE_LOAD_TEST_API off', () => {
    let off: Harness;
    let offAdmin: string;
    useHarness({ db: kind, env: { ENABLE_LOAD_TEST_API: '0' } }, (s) => ({ h: off, admin: offAdmin } = s));

    it('when users/bulk is called, even by an admin, then it answers 404 NOT_FOUND and creates nobody', async () => {
      const before = Number((await off.db.query<{ n: number }>('SELECT count(*)::int AS n FROM users')).rows[0]!.n);
      const body = { count: 2, emailPrefix: 'off', password: 'password123' };
      expectError(await call(off.ticketClub.app, 'POST', '/api/admin/users/bulk', { token: offAdmin, body }), 404, 'NOT_FOUND');
      expectError(await call(off.ticketClub.app, 'POST', '/api/admin/users/bulk', { body }), 404, 'NOT_FOUND');
      expect(Number((await off.db.query<{ n: number }>('SELECT count(*)::int AS n FROM users')).rows[0]!.n)).toBe(before);
    });

    it('when other admin endpoints are called, then they still work', async () => {
      const res = await call(off.ticketClub.app, 'POST', '/api/admin/events', { token: offAdmin, body: { title: 'Still Here', artist: 'A' } });
      expect(res.status).toBe(201);
    });
  });
});
