import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/server/platform/clock.js';
import type { EventSummary } from '../../src/shared/api.js';
import { call, type Res } from '../support/api-client.js';
import { useHarness } from '../support/api-suite.js';
import type { Harness } from '../support/harness.js';
import { describeOnEachDatabase } from '../support/needs.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const T0 = Date.parse('2030-03-01T12:00:00.000Z');

function expectError(res: Res, status: number, code: string): void {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(res.body.error.code).toBe(code);
  expect(typeof res.body.error.message).toBe('string');
}

describeOnEachDatabase('catalogue (%s)', (kind) => {
  let h: Harness;
  let app: FastifyInstance;
  let admin: string;
  const clock = new ManualClock(T0);
  let venue: { id: string; name: string; city: string; areas: { id: string; name: string; rows: number; seatsPerRow: number }[] };

  useHarness({ db: kind, clock }, async (s) => {
    ({ h, app, admin } = s);
    const v = await call(app, 'POST', '/api/admin/venues', {
      token: admin,
      body: {
        name: 'Catalogue Hall',
        city: 'Kaohsiung',
        address: '9 Harbour Rd',
        areas: [
          { name: 'Floor', rows: 2, seatsPerRow: 3 },
          { name: 'Balcony', rows: 1, seatsPerRow: 4 },
        ],
      },
    });
    expect(v.status).toBe(201);
    venue = v.body.venue;
  });

  async function createEvent(title: string, artist: string, extra: Record<string, unknown> = {}): Promise<string> {
    const r = await call(app, 'POST', '/api/admin/events', { token: admin, body: { title, artist, description: `About ${title}`, ...extra } });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    return r.body.event.id;
  }
  async function createShow(eventId: string, o: { startsAt: number; onSaleAt: number; areas?: number; [k: string]: unknown }): Promise<string> {
    const { startsAt, onSaleAt, areas = 2, ...rest } = o;
    const r = await call(app, 'POST', '/api/admin/shows', {
      token: admin,
      body: {
        eventId,
        venueId: venue.id,
        startsAt: new Date(startsAt).toISOString(),
        onSaleAt: new Date(onSaleAt).toISOString(),
        prices: venue.areas.slice(0, areas).map((a, i) => ({ areaId: a.id, price: [2800, 1200][i] })),
        ...rest,
      },
    });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    return r.body.show.id;
  }
  const search = async (q?: string) => {
    const r = await call(app, 'GET', q === undefined ? '/api/events' : `/api/events?q=${encodeURIComponent(q)}`);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    return r.body.events as EventSummary[];
  };
  const status = async (showId: string) => {
    const r = await call(app, 'GET', `/api/shows/${showId}`);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    return r.body.show.status as string;
  };

  /**
   * Marks seats of a show sold, as paid orders would: a fake buyer and a paid order own them.
   * Stands in for the purchase flow (queue, hold, checkout, pay), which is not what these tests are about.
   */
  async function sellSeats(showId: string, limit?: number): Promise<void> {
    const { rows: users } = await h.db.query<{ id: string }>(
      `INSERT INTO users (name, email, password_hash) VALUES ('Buyer', $1, 'x') RETURNING id`,
      [`buyer-${randomUUID()}@example.com`],
    );
    const { rows: orders } = await h.db.query<{ id: string }>(
      `INSERT INTO orders (user_id, show_id, status, total, expires_at, paid_at) VALUES ($1, $2, 'paid', 0, $3, $3) RETURNING id`,
      [users[0]!.id, showId, new Date(clock.now())],
    );
    await h.db.query(
      `UPDATE show_seats SET status = 'sold', holder_id = $2, order_id = $3
        WHERE show_id = $1 AND seat_id IN (SELECT seat_id FROM show_seats WHERE show_id = $1 AND status = 'available'
                                           ORDER BY seat_id LIMIT $4)`,
      [showId, users[0]!.id, orders[0]!.id, limit ?? 1_000_000],
    );
    // Written behind the app's back, so no change is heard: the show page (kept up to a second) catches up by age.
    clock.advance(1_000);
  }

  describe('searching events', () => {
    const ids: Record<string, string> = {};
    beforeAll(async () => {
      ids.jazz = await createEvent('Midnight Jazz Session', 'The Blue Quartet', { imageUrl: '/images/jazz.svg' });
      ids.rock = await createEvent('Stadium Rock Night', 'Thunder Horses');
      ids.percent = await createEvent('100% Pure Pop', 'Chart Makers');
      ids.underscore = await createEvent('Snake_Case Live', 'Under_Score');
      ids.backslash = await createEvent('Back\\slash Blues', 'Escape Artists');
      await createShow(ids.jazz, { startsAt: T0 + 10 * DAY, onSaleAt: T0 - DAY });
      await createShow(ids.jazz, { startsAt: T0 + 5 * DAY, onSaleAt: T0 + DAY });
      await createShow(ids.rock, { startsAt: T0 + 3 * DAY, onSaleAt: T0 + DAY });
    });

    it('when no q is given, then every event is listed with its summary fields', async () => {
      const events = await search();
      for (const id of Object.values(ids)) expect(events.map((e) => e.id)).toContain(id);
      const jazz = events.find((e) => e.id === ids.jazz)!;
      expect(Object.keys(jazz).sort()).toEqual(['artist', 'firstShowAt', 'firstShowTimeZone', 'id', 'imageUrl', 'nextOnSaleAt', 'onSale', 'title']);
      expect(jazz).toEqual({
        id: ids.jazz,
        title: 'Midnight Jazz Session',
        artist: 'The Blue Quartet',
        imageUrl: '/images/jazz.svg',
        firstShowAt: new Date(T0 + 5 * DAY).toISOString(),
        firstShowTimeZone: 'UTC',
        onSale: true,
        nextOnSaleAt: null,
      });
      const rock = events.find((e) => e.id === ids.rock)!;
      expect(rock.onSale).toBe(false);
      // Not on sale yet: when it will be, for the "on sale soon" badge.
      expect(rock.nextOnSaleAt).toBe(new Date(T0 + DAY).toISOString());
      expect(rock.imageUrl).toBeNull();
      expect(events.find((e) => e.id === ids.percent)!.firstShowAt).toBeNull();
    });

    it('when q matches a title in another case, then only that event is listed', async () => {
      expect((await search('mIdNiGhT jAzZ')).map((e) => e.id)).toEqual([ids.jazz]);
      expect((await search('ROCK')).map((e) => e.id)).toEqual([ids.rock]);
    });

    it('when q matches an artist in another case, then that event is listed', async () => {
      expect((await search('thunder horses')).map((e) => e.id)).toEqual([ids.rock]);
      expect((await search('QUARTET')).map((e) => e.id)).toEqual([ids.jazz]);
    });

    it('when q matches the city or the name of a venue one of its shows is at, in another case, then the event is listed', async () => {
      const elsewhere = await call(app, 'POST', '/api/admin/venues', {
        token: admin,
        body: { name: 'Riverside Dome', city: 'Tainan', areas: [{ name: 'Floor', rows: 1, seatsPerRow: 2 }] },
      });
      expect(elsewhere.status).toBe(201);
      const lights = await createEvent('Harbour Lights', 'Seagulls');
      const r = await call(app, 'POST', '/api/admin/shows', {
        token: admin,
        body: {
          eventId: lights,
          venueId: elsewhere.body.venue.id,
          startsAt: new Date(T0 + 8 * DAY).toISOString(),
          onSaleAt: new Date(T0 - DAY).toISOString(),
          prices: [{ areaId: elsewhere.body.venue.areas[0].id, price: 500 }],
        },
      });
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      expect((await search('tAiNaN')).map((e) => e.id)).toEqual([lights]);
      expect((await search('riverside dome')).map((e) => e.id)).toEqual([lights]);
      expect((await search('side do')).map((e) => e.id)).toEqual([lights]);
      // Catalogue Hall in Kaohsiung hosts the jazz and rock shows, and no other event of this suite.
      expect((await search('KAOHSIUNG')).map((e) => e.id).sort()).toEqual([ids.jazz, ids.rock].sort());
      expect((await search('catalogue hall')).map((e) => e.id).sort()).toEqual([ids.jazz, ids.rock].sort());
    });

    it('when q matches a middle part of a word, then the event is listed', async () => {
      expect((await search('idnigh')).map((e) => e.id)).toEqual([ids.jazz]);
    });

    it('when q matches nothing, then the list is empty', async () => {
      expect(await search('zzz-no-such-event')).toEqual([]);
    });

    it('when q is % or _, then it is matched literally, not as a wildcard', async () => {
      expect((await search('%')).map((e) => e.id)).toEqual([ids.percent]);
      expect((await search('_')).map((e) => e.id)).toEqual([ids.underscore]);
      expect((await search('0% P')).map((e) => e.id)).toEqual([ids.percent]);
      expect((await search('e_c')).map((e) => e.id)).toEqual([ids.underscore]);
      expect(await search('S%e')).toEqual([]);
      expect(await search('Midnight_Jazz')).toEqual([]);
    });

    it('when q is a backslash, then it is matched literally', async () => {
      expect((await search('\\')).map((e) => e.id)).toEqual([ids.backslash]);
      expect((await search('k\\s')).map((e) => e.id)).toEqual([ids.backslash]);
    });

    it('when q is empty or blank, then every event is listed', async () => {
      const all = (await search()).length;
      expect(all).toBeGreaterThanOrEqual(5);
      expect(await search('')).toHaveLength(all);
      expect(await search('   ')).toHaveLength(all);
    });

    it('when q is too long or repeated, then it answers 400 VALIDATION_FAILED', async () => {
      expectError(await call(app, 'GET', `/api/events?q=${'a'.repeat(101)}`), 400, 'VALIDATION_FAILED');
      expectError(await call(app, 'GET', '/api/events?q=a&q=b'), 400, 'VALIDATION_FAILED');
    });

    it('when some events are upcoming and some are over, then upcoming come first by date and the finished last', async () => {
      const past = await createEvent('Yesterday Once More', 'Oldies Band');
      await createShow(past, { startsAt: T0 - DAY, onSaleAt: T0 - 10 * DAY });
      const events = (await search()).filter((e) => [ids.jazz, ids.rock, past].includes(e.id));
      // rock is on T0+3d, jazz's next show on T0+5d, the past event's only show is over.
      expect(events.map((e) => e.id)).toEqual([ids.rock, ids.jazz, past]);
      expect(events[2]!.firstShowAt).toBe(new Date(T0 - DAY).toISOString());
    });
  });

  describe('event detail', () => {
    let eventId: string;
    let showIds: string[];
    beforeAll(async () => {
      eventId = await createEvent('Detail Tour', 'Detail Artist', { imageUrl: 'https://img.example.com/d.png', description: 'Two nights.' });
      // Created out of date order: the detail lists them by start time.
      const late = await createShow(eventId, { startsAt: T0 + 9 * DAY, onSaleAt: T0 - HOUR });
      const early = await createShow(eventId, { startsAt: T0 + 2 * DAY, onSaleAt: T0 + HOUR });
      showIds = [early, late];
    });

    it('when the event exists, then it answers the event with its shows in date order, each with its venue', async () => {
      const r = await call(app, 'GET', `/api/events/${eventId}`);
      expect(r.status).toBe(200);
      const e = r.body.event;
      expect(e).toMatchObject({
        id: eventId,
        title: 'Detail Tour',
        artist: 'Detail Artist',
        description: 'Two nights.',
        imageUrl: 'https://img.example.com/d.png',
      });
      expect(e.shows.map((s: { id: string }) => s.id)).toEqual(showIds);
      expect(e.shows[0]).toEqual({
        id: showIds[0],
        startsAt: new Date(T0 + 2 * DAY).toISOString(),
        onSaleAt: new Date(T0 + HOUR).toISOString(),
        queueOpensAt: new Date(T0 + HOUR - 30 * 60_000).toISOString(),
        status: 'scheduled',
        venue: { id: venue.id, name: 'Catalogue Hall', city: 'Kaohsiung', timeZone: 'UTC' },
      });
      expect(e.shows[1]).toMatchObject({ id: showIds[1], status: 'on_sale', venue: { id: venue.id } });
    });

    it('when the event has no shows, then its shows list is empty', async () => {
      const bare = await createEvent('No Shows Yet', 'Someone');
      const r = await call(app, 'GET', `/api/events/${bare}`);
      expect(r.status).toBe(200);
      expect(r.body.event.shows).toEqual([]);
    });

    it('when the id is a valid but unknown uuid, then it answers 404 NOT_FOUND', async () => {
      expectError(await call(app, 'GET', `/api/events/${randomUUID()}`), 404, 'NOT_FOUND');
    });

    it.each(['not-a-uuid', '123', `${randomUUID()}x`, "1' OR '1'='1"])('when the id is %j, then it answers 400 VALIDATION_FAILED', async (id) => {
      expectError(await call(app, 'GET', `/api/events/${encodeURIComponent(id)}`), 400, 'VALIDATION_FAILED');
    });

    it('when a show id is used as an event id, then it answers 404 NOT_FOUND', async () => {
      expectError(await call(app, 'GET', `/api/events/${showIds[0]}`), 404, 'NOT_FOUND');
    });
  });

  describe('show detail', () => {
    let eventId: string;
    let showId: string;
    beforeAll(async () => {
      eventId = await createEvent('Show Detail Night', 'Detail Band');
      showId = await createShow(eventId, {
        startsAt: T0 + 7 * DAY,
        onSaleAt: T0 - HOUR,
        pageCapacity: 7,
        purchaseWindowSeconds: 120,
        maxTicketsPerAccount: 2,
      });
    });

    it('when the show exists, then it answers its rules, venue and priced areas with seat counts', async () => {
      const r = await call(app, 'GET', `/api/shows/${showId}`);
      expect(r.status).toBe(200);
      const s = r.body.show;
      expect(s).toMatchObject({
        id: showId,
        eventId,
        startsAt: new Date(T0 + 7 * DAY).toISOString(),
        onSaleAt: new Date(T0 - HOUR).toISOString(),
        status: 'on_sale',
        pageCapacity: 7,
        purchaseWindowSeconds: 120,
        maxTicketsPerAccount: 2,
        venue: { id: venue.id, name: 'Catalogue Hall', city: 'Kaohsiung', timeZone: 'UTC' },
      });
      expect(s.areas).toEqual([
        { id: venue.areas[0]!.id, name: 'Floor', kind: 'seated', price: 2800, currency: 'TWD', seatCount: 6, availableCount: 6 },
        { id: venue.areas[1]!.id, name: 'Balcony', kind: 'seated', price: 1200, currency: 'TWD', seatCount: 4, availableCount: 4 },
      ]);
    });

    it('when only one area of the venue is priced, then only that area is listed', async () => {
      const id = await createShow(eventId, { startsAt: T0 + 8 * DAY, onSaleAt: T0 - HOUR, areas: 1 });
      const r = await call(app, 'GET', `/api/shows/${id}`);
      expect(r.body.show.areas.map((a: { name: string }) => a.name)).toEqual(['Floor']);
    });

    it('when some seats are sold or held, then availableCount drops and seatCount does not', async () => {
      const id = await createShow(eventId, { startsAt: T0 + 8 * DAY, onSaleAt: T0 - HOUR, areas: 1 });
      await sellSeats(id, 2);
      // A live hold by someone also makes a seat unavailable; an expired one does not.
      const { rows } = await h.db.query<{ id: string }>(`SELECT id FROM users LIMIT 1`);
      await h.db.query(
        `UPDATE show_seats SET status = 'selected', holder_id = $2, hold_expires_at = $3
          WHERE show_id = $1 AND seat_id = (SELECT seat_id FROM show_seats WHERE show_id = $1 AND status = 'available' ORDER BY seat_id LIMIT 1)`,
        [id, rows[0]!.id, new Date(T0 + 60_000)],
      );
      const show = async () => (await call(app, 'GET', `/api/shows/${id}`)).body.show;
      expect((await show()).areas[0]).toMatchObject({ seatCount: 6, availableCount: 3 });
      expect((await show()).status).toBe('on_sale');
      clock.advance(60_000);
      try {
        expect((await show()).areas[0]).toMatchObject({ seatCount: 6, availableCount: 4 });
      } finally {
        clock.set(T0);
      }
    });

    it('when the id is a valid but unknown uuid, then it answers 404 NOT_FOUND', async () => {
      expectError(await call(app, 'GET', `/api/shows/${randomUUID()}`), 404, 'NOT_FOUND');
    });

    it('when the id is malformed, then it answers 400 VALIDATION_FAILED', async () => {
      expectError(await call(app, 'GET', '/api/shows/not-a-uuid'), 400, 'VALIDATION_FAILED');
    });
  });

  describe('show status', () => {
    let eventId: string;
    let showId: string;
    const onSaleAt = T0 + HOUR;
    const startsAt = T0 + 2 * HOUR;
    beforeAll(async () => {
      eventId = await createEvent('Status Gig', 'Status Quo Vadis');
      showId = await createShow(eventId, { startsAt, onSaleAt });
    });
    afterAll(() => clock.set(T0));

    const onSaleFlag = async () => (await search('Status Gig')).find((e) => e.id === eventId)!.onSale;
    const eventShowStatus = async () => (await call(app, 'GET', `/api/events/${eventId}`)).body.event.shows[0].status;

    it('when the clock is before queueOpensAt, then the show is scheduled and the event is not on sale', async () => {
      clock.set(onSaleAt - 30 * 60_000 - 1);
      expect(await status(showId)).toBe('scheduled');
      expect(await eventShowStatus()).toBe('scheduled');
      expect(await onSaleFlag()).toBe(false);
    });

    it('when the clock is in the pre-queue (queueOpensAt, 30 min before onSaleAt by default), then the show is queue_open and the event is not on sale', async () => {
      clock.set(onSaleAt - 30 * 60_000);
      expect(await status(showId)).toBe('queue_open');
      clock.set(onSaleAt - 1);
      expect(await status(showId)).toBe('queue_open');
      expect(await eventShowStatus()).toBe('queue_open');
      expect(await onSaleFlag()).toBe(false);
    });

    it('when the clock reaches onSaleAt, then the show is on_sale and the event is on sale', async () => {
      clock.set(onSaleAt);
      expect(await status(showId)).toBe('on_sale');
      expect(await eventShowStatus()).toBe('on_sale');
      expect(await onSaleFlag()).toBe(true);
      clock.set(startsAt - 1);
      expect(await status(showId)).toBe('on_sale');
    });

    it('when the clock reaches startsAt, then the show has ended and the event is no longer on sale', async () => {
      clock.set(startsAt);
      expect(await status(showId)).toBe('ended');
      expect(await eventShowStatus()).toBe('ended');
      expect(await onSaleFlag()).toBe(false);
      clock.set(startsAt + DAY);
      expect(await status(showId)).toBe('ended');
    });

    it('when every seat is sold, then the show is sold_out with no seat available, and still ended after it starts', async () => {
      const id = await createShow(eventId, { startsAt: T0 + 3 * HOUR, onSaleAt: T0 - HOUR });
      clock.set(T0);
      await sellSeats(id, 9);
      // One seat left: still on sale.
      expect(await status(id)).toBe('on_sale');
      await sellSeats(id);
      const r = await call(app, 'GET', `/api/shows/${id}`);
      expect(r.body.show.status).toBe('sold_out');
      expect(r.body.show.areas.map((a: { availableCount: number }) => a.availableCount)).toEqual([0, 0]);
      expect(r.body.show.areas.map((a: { seatCount: number }) => a.seatCount)).toEqual([6, 4]);
      const detail = await call(app, 'GET', `/api/events/${eventId}`);
      expect(detail.body.event.shows.find((s: { id: string }) => s.id === id).status).toBe('sold_out');
      clock.set(T0 + 3 * HOUR);
      expect(await status(id)).toBe('ended');
    });
  });
});
