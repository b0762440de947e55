import type { FastifyInstance } from 'fastify';
import { afterAll, expect, it } from 'vitest';
import { call, newAdmin, newCustomer, type Res } from '../support/api-client.js';
import { useHarness } from '../support/api-suite.js';
import { startHarness, type Harness } from '../support/harness.js';
import { describeOnEachDatabase } from '../support/needs.js';

const AREAS = [{ name: 'Floor', rows: 1, seatsPerRow: 2 }];

function expectError(res: Res, status: number, code: string): void {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(res.body.error.code).toBe(code);
}

describeOnEachDatabase('venue time zones (%s)', (kind) => {
  let h: Harness;
  let app: FastifyInstance;
  let admin: string;
  let dflt: Harness;

  useHarness({ db: kind }, async (s) => {
    ({ h, app, admin } = s);
    dflt = await startHarness({ db: kind, env: { DEFAULT_TIME_ZONE: 'Europe/Berlin' } });
  });
  afterAll(() => dflt?.close());

  const venueCount = async () => Number((await h.db.query<{ n: number }>('SELECT count(*)::int AS n FROM venues')).rows[0]!.n);

  async function showAt(venueId: string, areaId: string, token = admin, a: FastifyInstance = app): Promise<{ eventId: string; showId: string }> {
    const e = await call(a, 'POST', '/api/admin/events', { token, body: { title: 'Zone Night', artist: 'Clocks' } });
    const s = await call(a, 'POST', '/api/admin/shows', {
      token,
      body: {
        eventId: e.body.event.id,
        venueId,
        startsAt: '2030-03-14T11:30:00.000Z',
        onSaleAt: '2030-03-01T02:00:00.000Z',
        prices: [{ areaId, price: 800 }],
      },
    });
    expect(s.status, JSON.stringify(s.body)).toBe(201);
    return { eventId: e.body.event.id, showId: s.body.show.id };
  }

  it('when a venue is created with an IANA zone, then the venue, its show and its event carry it', async () => {
    const r = await call(app, 'POST', '/api/admin/venues', {
      token: admin,
      body: { name: 'Zone Hall', city: 'Taipei', address: '1 Clock Rd', timeZone: 'Asia/Taipei', areas: AREAS },
    });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect(r.body.venue).toMatchObject({ name: 'Zone Hall', city: 'Taipei', address: '1 Clock Rd', timeZone: 'Asia/Taipei' });
    const { eventId, showId } = await showAt(r.body.venue.id, r.body.venue.areas[0].id);

    const show = (await call(app, 'GET', `/api/shows/${showId}`)).body.show;
    expect(show.venue).toEqual({ id: r.body.venue.id, name: 'Zone Hall', city: 'Taipei', address: '1 Clock Rd', timeZone: 'Asia/Taipei' });
    // Timestamps stay UTC in the API; the zone is what the web shows them in.
    expect(show.startsAt).toBe('2030-03-14T11:30:00.000Z');
    const event = (await call(app, 'GET', `/api/events/${eventId}`)).body.event;
    expect(event.shows[0].venue.timeZone).toBe('Asia/Taipei');
    const list = (await call(app, 'GET', '/api/events?q=Zone%20Night')).body.events;
    expect(list.find((e: { id: string }) => e.id === eventId).firstShowTimeZone).toBe('Asia/Taipei');
    const venues = (await call(app, 'GET', '/api/admin/venues', { token: admin })).body.venues;
    expect(venues.find((v: { id: string }) => v.id === r.body.venue.id).timeZone).toBe('Asia/Taipei');
  });

  it('when the zone is spelled in another case, then it is stored in its canonical spelling', async () => {
    const r = await call(app, 'POST', '/api/admin/venues', {
      token: admin,
      body: { name: 'Lower Case Hall', city: 'Berlin', timeZone: 'europe/berlin', areas: AREAS },
    });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect(r.body.venue.timeZone).toBe('Europe/Berlin');
  });

  it('when no zone is given, then the venue gets DEFAULT_TIME_ZONE (UTC unless configured)', async () => {
    const r = await call(app, 'POST', '/api/admin/venues', { token: admin, body: { name: 'Plain Hall', city: 'Nowhere', areas: AREAS } });
    expect(r.status).toBe(201);
    expect(r.body.venue.timeZone).toBe('UTC');

    const otherAdmin = await newAdmin(dflt.ticketClub, dflt.ticketClub.app);
    const b = await call(dflt.ticketClub.app, 'POST', '/api/admin/venues', { token: otherAdmin, body: { name: 'Berlin Hall', city: 'Berlin', areas: AREAS } });
    expect(b.status).toBe(201);
    expect(b.body.venue.timeZone).toBe('Europe/Berlin');
    const { showId } = await showAt(b.body.venue.id, b.body.venue.areas[0].id, otherAdmin, dflt.ticketClub.app);
    expect((await call(dflt.ticketClub.app, 'GET', `/api/shows/${showId}`)).body.show.venue.timeZone).toBe('Europe/Berlin');
  });

  it.each([['Mars/Olympus_Mons'], ['Asia/Taipeh'], ['+08:00'], ['GMT+8:00'], [''], ['Asia/Taipei\u0000'], [8], [null]])(
    'when the zone is %j, then it answers 400 VALIDATION_FAILED and creates nothing',
    async (timeZone) => {
      const before = await venueCount();
      const r = await call(app, 'POST', '/api/admin/venues', { token: admin, body: { name: 'Bad Zone Hall', city: 'X', timeZone, areas: AREAS } });
      expectError(r, 400, 'VALIDATION_FAILED');
      expect(r.body.error.message).toMatch(/timeZone/);
      expect(await venueCount()).toBe(before);
    },
  );

  it('when an organizer changes a venue\'s zone, then its shows read the new zone and keep their instants', async () => {
    const v = (await call(app, 'POST', '/api/admin/venues', { token: admin, body: { name: 'Moving Hall', city: 'Old Town', areas: AREAS } })).body.venue;
    const { showId } = await showAt(v.id, v.areas[0].id);
    const r = await call(app, 'PATCH', `/api/admin/venues/${v.id}`, { token: admin, body: { timeZone: 'America/New_York', city: 'New York' } });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.venue).toMatchObject({ id: v.id, name: 'Moving Hall', city: 'New York', timeZone: 'America/New_York' });
    expect(r.body.venue.areas).toHaveLength(1);
    const show = (await call(app, 'GET', `/api/shows/${showId}`)).body.show;
    expect(show.venue).toMatchObject({ city: 'New York', timeZone: 'America/New_York' });
    expect(show.startsAt).toBe('2030-03-14T11:30:00.000Z');
  });

  it('when a venue change is refused (bad zone, unknown field, customer, unknown venue), then nothing changes', async () => {
    const v = (await call(app, 'POST', '/api/admin/venues', { token: admin, body: { name: 'Steady Hall', city: 'Here', timeZone: 'Asia/Tokyo', areas: AREAS } })).body.venue;
    expectError(await call(app, 'PATCH', `/api/admin/venues/${v.id}`, { token: admin, body: { timeZone: 'Nowhere/Land' } }), 400, 'VALIDATION_FAILED');
    expectError(await call(app, 'PATCH', `/api/admin/venues/${v.id}`, { token: admin, body: { areas: AREAS } }), 400, 'VALIDATION_FAILED');
    expectError(await call(app, 'PATCH', `/api/admin/venues/${v.id}`, { token: admin, body: { name: '' } }), 400, 'VALIDATION_FAILED');
    const fan = await newCustomer(app);
    expectError(await call(app, 'PATCH', `/api/admin/venues/${v.id}`, { token: fan.token, body: { timeZone: 'UTC' } }), 403, 'FORBIDDEN');
    expectError(await call(app, 'PATCH', `/api/admin/venues/${v.id}`, { body: { timeZone: 'UTC' } }), 401, 'UNAUTHENTICATED');
    expectError(await call(app, 'PATCH', `/api/admin/venues/00000000-0000-4000-8000-000000000000`, { token: admin, body: { timeZone: 'UTC' } }), 404, 'NOT_FOUND');
    const { rows } = await h.db.query<{ name: string; time_zone: string }>('SELECT name, time_zone FROM venues WHERE id = $1', [v.id]);
    expect(rows[0]).toEqual({ name: 'Steady Hall', time_zone: 'Asia/Tokyo' });
  });
});
