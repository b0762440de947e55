import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/server/platform/clock.js';
import { call, createShow, newAdmin, newCustomers } from '../support/api-client.js';
import { startHarness, type Harness } from '../support/harness.js';
import { connect, emitAck, nextEvent } from '../support/sockets.js';
import { admit, hold, seatIdsOf } from './seat-helpers.js';

/** What the organizer console needs from the API: lists, show editing, live stats. */
describe('organizer console API', () => {
  let h: Harness;
  let clock: ManualClock;
  let admin: string;

  beforeAll(async () => {
    clock = new ManualClock(Date.parse('2030-05-01T10:00:00.000Z'));
    h = await startHarness({ clock });
    admin = await newAdmin(h.ticketClub, h.ticketClub.app);
  }, 120_000);
  afterAll(async () => h?.close());

  it('tells the web app whether it runs in demo mode', async () => {
    const r = await call(h.ticketClub.app, 'GET', '/api/config');
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ demo: true, currency: 'TWD', defaultTimeZone: 'UTC' });
  });

  it('lists every event with its shows and their sale rules, for admins only', async () => {
    const show = await createShow(h.ticketClub.app, admin, { now: clock.now(), pageCapacity: 7 });
    const r = await call(h.ticketClub.app, 'GET', '/api/admin/events', { token: admin });
    expect(r.status).toBe(200);
    const found = r.body.events.flatMap((e: { shows: { id: string }[] }) => e.shows).find((s: { id: string }) => s.id === show.id);
    expect(found).toMatchObject({ pageCapacity: 7, purchaseWindowSeconds: 600, maxTicketsPerAccount: 4 });
    expect(found.areas).toHaveLength(2);
    const [fan] = await newCustomers(h.ticketClub.app, admin, 1);
    expect((await call(h.ticketClub.app, 'GET', '/api/admin/events', { token: fan!.token })).status).toBe(403);
  });

  it('when an admin edits a show, then its rules change; bad times are refused', async () => {
    const show = await createShow(h.ticketClub.app, admin, { now: clock.now() });
    const r = await call(h.ticketClub.app, 'PATCH', `/api/admin/shows/${show.id}`, { token: admin, body: { pageCapacity: 2, maxTicketsPerAccount: 6 } });
    expect(r.status).toBe(200);
    expect(r.body.show).toMatchObject({ id: show.id, pageCapacity: 2, maxTicketsPerAccount: 6, startsAt: show.startsAt });
    const bad = await call(h.ticketClub.app, 'PATCH', `/api/admin/shows/${show.id}`, {
      token: admin,
      body: { onSaleAt: new Date(Date.parse(show.startsAt) + 1000).toISOString() },
    });
    expect([bad.status, bad.body.error.code]).toEqual([400, 'VALIDATION_FAILED']);
    expect((await call(h.ticketClub.app, 'PATCH', `/api/admin/shows/${show.id}`, { token: admin, body: { pageCapacity: 0 } })).status).toBe(400);
    expect((await call(h.ticketClub.app, 'PATCH', `/api/admin/shows/00000000-0000-4000-8000-000000000000`, { token: admin, body: {} })).status).toBe(404);
    const [fan] = await newCustomers(h.ticketClub.app, admin, 1);
    expect((await call(h.ticketClub.app, 'PATCH', `/api/admin/shows/${show.id}`, { token: fan!.token, body: {} })).status).toBe(403);
  });

  it('when an area has a held seat, then it cannot be taken off sale; a free area can, and can come back', async () => {
    const show = await createShow(h.ticketClub.app, admin, { now: clock.now() });
    const [a, b] = show.areas;
    const [fan] = await newCustomers(h.ticketClub.app, admin, 1);
    await admit(h.ticketClub.app, show.id, fan!.token);
    const seatInA = (await seatIdsOf(h.db, show.id))[0]!;
    expect((await hold(h.ticketClub.app, show.id, seatInA, fan!.token)).status).toBe(200);

    const refused = await call(h.ticketClub.app, 'PATCH', `/api/admin/shows/${show.id}`, { token: admin, body: { prices: [{ areaId: b!.id, price: 500 }] } });
    expect([refused.status, refused.body.error.code]).toEqual([409, 'CONFLICT']);
    const count = async () => Number((await h.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM show_seats WHERE show_id = $1`, [show.id])).rows[0]!.n);
    expect(await count()).toBe(a!.seatCount + b!.seatCount);

    const ok = await call(h.ticketClub.app, 'PATCH', `/api/admin/shows/${show.id}`, { token: admin, body: { prices: [{ areaId: a!.id, price: 4321 }] } });
    expect(ok.status).toBe(200);
    expect(ok.body.show.areas).toEqual([expect.objectContaining({ id: a!.id, price: 4321 })]);
    expect(await count()).toBe(a!.seatCount);

    const back = await call(h.ticketClub.app, 'PATCH', `/api/admin/shows/${show.id}`, {
      token: admin,
      body: { prices: [{ areaId: a!.id, price: 4321 }, { areaId: b!.id, price: 100 }] },
    });
    expect(back.status).toBe(200);
    expect(await count()).toBe(a!.seatCount + b!.seatCount);
    // The held seat survived every edit.
    const mine = await call(h.ticketClub.app, 'GET', `/api/shows/${show.id}/seats?mine=true`, { token: fan!.token });
    expect(mine.body.seats).toEqual([expect.objectContaining({ id: seatInA, status: 'selected', mine: true })]);
  });

  it('when fans wait and are admitted, then the stats give their actual waits and the estimate errors', async () => {
    const show = await createShow(h.ticketClub.app, admin, { now: clock.now(), pageCapacity: 1, purchaseWindowSeconds: 600 });
    const fans = await newCustomers(h.ticketClub.app, admin, 2);
    await admit(h.ticketClub.app, show.id, fans[0]!.token);
    const waiting = await call(h.ticketClub.app, 'POST', `/api/shows/${show.id}/queue`, { token: fans[1]!.token });
    expect(waiting.body).toMatchObject({ state: 'waiting', position: 1, etaSeconds: 610 });
    clock.advance(100_000);
    expect((await call(h.ticketClub.app, 'DELETE', `/api/shows/${show.id}/queue`, { token: fans[0]!.token })).status).toBe(204);
    const stats = await call(h.ticketClub.app, 'GET', `/api/admin/shows/${show.id}/stats`, { token: admin });
    expect(stats.body).toMatchObject({
      waiting: 0,
      admitted: 1,
      waitSamples: 1,
      meanWaitSeconds: 100,
      p90WaitSeconds: 100,
      etaErrorSeconds: 510,
    });
  });
});

describe('live sale dashboard over realtime', () => {
  let h: Harness;
  let url: string;
  let admin: string;

  beforeAll(async () => {
    h = await startHarness({ jobs: true });
    url = await h.listen();
    admin = await newAdmin(h.ticketClub, h.ticketClub.app);
  }, 120_000);
  afterAll(async () => h?.close());

  it("when an admin watches a show, then stats arrive with the current minute of the line's history and follow the line; customers are refused", async () => {
    const show = await createShow(h.ticketClub.app, admin, { pageCapacity: 1 });
    const s = await connect(url, admin);
    const first = nextEvent(s, 'stats:update', (e) => e.showId === show.id);
    expect(await emitAck(s, 'stats:watch', show.id)).toEqual({ ok: true });
    const e = await first;
    expect(e).toMatchObject({ showId: show.id, waiting: 0, admitted: 0, pageCapacity: 1, minute: { waiting: 0, early: 0, admitted: 0, admissions: 0 } });
    expect(Date.parse(e.minute.at) % 60_000).toBe(0);
    expect(e).not.toHaveProperty('history');

    const fans = await newCustomers(h.ticketClub.app, admin, 2);
    for (const f of fans) await call(h.ticketClub.app, 'POST', `/api/shows/${show.id}/queue`, { token: f.token });
    expect(await nextEvent(s, 'stats:update', (e) => e.showId === show.id && e.waiting === 1, 6_000)).toMatchObject({ admitted: 1, minute: { waiting: 1, admitted: 1 } });

    const fanSocket = await connect(url, fans[0]!.token);
    expect(await emitAck(fanSocket, 'stats:watch', show.id)).toMatchObject({ error: { code: 'FORBIDDEN' } });
    s.disconnect();
    fanSocket.disconnect();
  });
});
