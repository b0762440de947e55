import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { isEmpty, loadDemoData } from '../../src/server/demo/demo-data.js';
import { ManualClock } from '../../src/server/platform/clock.js';
import { call } from '../support/api-client.js';
import { startHarness, type Harness } from '../support/harness.js';
import { describeOnEachDatabase } from '../support/needs.js';

/** Starting PGlite and hashing passwords take a while on a busy shared machine. */
const SETUP_TIMEOUT = 180_000;

interface ShowSummary {
  id: string;
  startsAt: string;
  onSaleAt: string;
  status: string;
}

// Demo data is loaded into the embedded database by default; it also loads into PostgreSQL with DEMO_DATA=1.
describeOnEachDatabase('demo data (%s)', (kind) => {
  let h: Harness;
  let app: FastifyInstance;
  const clock = new ManualClock(Date.parse('2030-06-15T08:00:00.000Z'));
  let shows: ShowSummary[];
  let emptyBefore: boolean;

  beforeAll(async () => {
    h = await startHarness({ db: kind, clock });
    app = h.ticketClub.app;
    emptyBefore = await isEmpty(h.db);
    await loadDemoData({ db: h.db, admin: h.ticketClub.services.admin, auth: h.ticketClub.services.auth, clock });
    const events = (await call(app, 'GET', '/api/events')).body.events as { id: string }[];
    shows = [];
    for (const e of events) shows.push(...(await call(app, 'GET', `/api/events/${e.id}`)).body.event.shows);
  }, SETUP_TIMEOUT);
  afterAll(async () => {
    await h?.close();
  });

  it('when the database is new, then it counts as empty, and once loaded it does not', async () => {
    expect(emptyBefore).toBe(true);
    expect(await isEmpty(h.db)).toBe(false);
  });

  it('when loaded, then there are 8 events with 11 shows, every event with at least one show', async () => {
    const events = (await call(app, 'GET', '/api/events')).body.events;
    expect(events).toHaveLength(8);
    expect(shows).toHaveLength(11);
    for (const e of events) {
      expect(e.title.length).toBeGreaterThan(0);
      expect(e.artist.length).toBeGreaterThan(0);
      expect(e.imageUrl).toMatch(/^\/images\/.+\.svg$/);
      expect(e.firstShowAt).not.toBeNull();
    }
  });

  it('when loaded, then the one venue has 9 seated areas of 9 rows by 9 seats (81 each) and a standing floor of 300', async () => {
    const { rows } = await h.db.query<{ venues: number; areas: number; seats: number; min_seats: number; max_seats: number }>(
      `SELECT (SELECT count(*) FROM venues)::int AS venues, count(*)::int AS areas,
              sum(n)::int AS seats, min(n)::int AS min_seats, max(n)::int AS max_seats
         FROM (SELECT a.id, count(s.id) AS n FROM areas a JOIN seats s ON s.area_id = a.id
                WHERE a.rows = 9 AND a.seats_per_row = 9 GROUP BY a.id) x`,
    );
    expect(rows[0]).toEqual({ venues: 1, areas: 9, seats: 729, min_seats: 81, max_seats: 81 });
    const { rows: standing } = await h.db.query<{ kind: string; capacity: number; places: number }>(
      `SELECT a.kind, a.capacity, (SELECT count(*)::int FROM seats s WHERE s.area_id = a.id) AS places FROM areas a WHERE a.kind = 'standing'`,
    );
    expect(standing).toEqual([{ kind: 'standing', capacity: 300, places: 300 }]);
    expect(Number((await h.db.query<{ n: number }>('SELECT count(*)::int AS n FROM areas')).rows[0]!.n)).toBe(10);
  });

  it('when loaded, then the ground floor has wheelchair places marked, two per block', async () => {
    const { rows } = await h.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM seats WHERE accessible`);
    expect(rows[0]!.n).toBe(6);
  });

  it('when a show is read, then its 9 seated areas cost 3000, 2000 and 1000 TWD (three each), all 81 seats available, and standing 1800', async () => {
    const upcoming = shows.find((s) => s.status === 'on_sale')!;
    const show = (await call(app, 'GET', `/api/shows/${upcoming.id}`)).body.show;
    expect(show.areas).toHaveLength(10);
    expect(show.areas.map((a: { price: number }) => a.price)).toEqual([3000, 3000, 3000, 2000, 2000, 2000, 1000, 1000, 1000, 1800]);
    for (const a of show.areas.slice(0, 9)) expect(a).toMatchObject({ kind: 'seated', currency: 'TWD', seatCount: 81, availableCount: 81 });
    expect(show.areas[9]).toMatchObject({ name: 'Standing floor', kind: 'standing', seatCount: 300, availableCount: 300 });
    expect(show).toMatchObject({ purchaseWindowSeconds: 600, maxTicketsPerAccount: 4 });
  });

  it('when loaded, then every show has one seat row per seat of the venue', async () => {
    const { rows } = await h.db.query<{ shows: number; min: number; max: number }>(
      `SELECT count(*)::int AS shows, min(n)::int AS min, max(n)::int AS max
         FROM (SELECT show_id, count(*) AS n FROM show_seats GROUP BY show_id) x`,
    );
    expect(rows[0]).toEqual({ shows: 11, min: 1029, max: 1029 });
  });

  it('when loaded, then at least one show is scheduled, one has ended and most are on sale', () => {
    const byStatus = (s: string) => shows.filter((x) => x.status === s).length;
    expect(byStatus('scheduled')).toBeGreaterThanOrEqual(1);
    expect(byStatus('ended')).toBeGreaterThanOrEqual(1);
    expect(byStatus('on_sale')).toBeGreaterThanOrEqual(5);
    expect(byStatus('sold_out')).toBe(0);
    const ended = shows.find((x) => x.status === 'ended')!;
    expect(Date.parse(ended.startsAt)).toBeLessThanOrEqual(clock.now());
    const scheduled = shows.find((x) => x.status === 'scheduled')!;
    expect(Date.parse(scheduled.onSaleAt)).toBeGreaterThan(clock.now());
  });

  it('when loaded, then exactly one show has a selling page of 3 and the rest of 100', async () => {
    const capacities: number[] = [];
    for (const s of shows) capacities.push((await call(app, 'GET', `/api/shows/${s.id}`)).body.show.pageCapacity);
    expect(capacities.filter((c) => c === 3)).toHaveLength(1);
    expect(capacities.filter((c) => c === 100)).toHaveLength(10);
  });

  it('when loaded, then the venue is in Asia/Taipei and every show starts at 19:30 on its clock', async () => {
    for (const s of shows) {
      const show = (await call(app, 'GET', `/api/shows/${s.id}`)).body.show;
      expect(show.venue.timeZone).toBe('Asia/Taipei');
      // Taipei is UTC+8 all year: 19:30 there is 11:30 UTC.
      expect(new Date(show.startsAt).toISOString().slice(11, 16)).toBe('11:30');
    }
  });

  it('when loaded, then the four footer pages have the organizer\'s text, not the placeholder', async () => {
    for (const slug of ['help', 'terms', 'privacy', 'contact']) {
      const res = await call(app, 'GET', `/api/pages/${slug}`);
      expect(res.status).toBe(200);
      expect(res.body.page.title.length).toBeGreaterThan(0);
      expect(res.body.page.body).not.toMatch(/not written this page/);
      expect(res.body.page.body.length).toBeGreaterThan(100);
    }
  });

  it('when demo@test.com logs in with demodemo, then it is a customer', async () => {
    const res = await call(app, 'POST', '/api/auth/login', { body: { email: 'demo@test.com', password: 'demodemo' } });
    expect(res.status).toBe(200);
    expect(res.body.user).toMatchObject({ email: 'demo@test.com', role: 'customer' });
    expect((await call(app, 'GET', '/api/admin/venues', { token: res.body.token })).status).toBe(403);
  });

  it('when admin@test.com logs in with adminadmin, then it is an admin and can use the admin API', async () => {
    const res = await call(app, 'POST', '/api/auth/login', { body: { email: 'admin@test.com', password: 'adminadmin' } });
    expect(res.status).toBe(200);
    expect(res.body.user).toMatchObject({ email: 'admin@test.com', role: 'admin' });
    const venues = await call(app, 'GET', '/api/admin/venues', { token: res.body.token });
    expect(venues.status).toBe(200);
    expect(venues.body.venues).toHaveLength(1);
  });

  it('when a demo account uses a wrong password, then it is refused', async () => {
    const res = await call(app, 'POST', '/api/auth/login', { body: { email: 'demo@test.com', password: 'adminadmin' } });
    expect(res.status).toBe(401);
  });
});
