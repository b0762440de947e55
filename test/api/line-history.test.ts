/**
 * The dashboard's history of the line: every instance samples the live lines into line_minutes,
 * one row per show and minute, and GET .../stats/history serves them beside the sales.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ManualClock } from '../../src/server/platform/clock.js';
import { call, createShow, newAdmin, newCustomer } from '../support/api-client.js';
import { startHarness, uniqueName, type Harness } from '../support/harness.js';
import { describeOnEachDatabase } from '../support/needs.js';
import { checkout, hold, pay, seatIdsOf } from './seat-helpers.js';

const T0 = Date.parse('2030-01-01T10:00:00.000Z');

// On PostgreSQL the waiting room is in Redis, shared by two instances (one prefix, one database).
describeOnEachDatabase('the line in the dashboard history (%s)', (kind) => {
  const clock = new ManualClock(T0);
  let a: Harness;
  let b: Harness;
  let app: FastifyInstance;
  let admin: string;

  beforeAll(async () => {
    const redisPrefix = uniqueName('tcq');
    a = await startHarness({ db: kind, redis: kind === 'postgres', redisPrefix, clock });
    b = kind === 'postgres' ? await startHarness({ sharedDb: a.db, redis: true, redisPrefix, clock }) : a;
    app = a.ticketClub.app;
    admin = await newAdmin(a.ticketClub, app);
  }, 180_000);
  afterAll(async () => {
    if (b && b !== a) await b.ticketClub.close();
    await a?.close();
  }, 120_000);

  const join = async (showId: string, token: string) => (await call(app, 'POST', `/api/shows/${showId}/queue`, { token })).body.state as string;
  const leave = async (showId: string, token: string) => expect((await call(app, 'DELETE', `/api/shows/${showId}/queue`, { token })).status).toBe(204);
  const history = async (showId: string) =>
    (await call(app, 'GET', `/api/admin/shows/${showId}/stats/history?minutes=3`, { token: admin })).body.points as Record<string, number | string>[];
  const rowsOf = async (showId: string) =>
    (await a.db.query<{ minute: Date; admissions: number }>(`SELECT minute, admissions FROM line_minutes WHERE show_id = $1 ORDER BY minute`, [showId])).rows;

  it("when the line moves and a fan buys, then each minute has the line's last figures and all its admissions, also those after its last sample", async () => {
    clock.set(T0 + 5_000);
    const show = await createShow(app, admin, { now: clock.now(), pageCapacity: 1 });
    const fans = await Promise.all([1, 2, 3, 4].map(() => newCustomer(app)));
    expect(await join(show.id, fans[0]!.token)).toBe('admitted'); // walks in: the line did not move
    for (const f of fans.slice(1)) expect(await join(show.id, f.token)).toBe('waiting');

    clock.set(T0 + 10_000);
    await a.ticketClub.services.lineHistory.record();
    clock.set(T0 + 50_000);
    await leave(show.id, fans[0]!.token); // the second is admitted from the line
    await a.ticketClub.services.lineHistory.record();
    clock.set(T0 + 55_000);
    await leave(show.id, fans[1]!.token); // the third, after 10:00's last sample

    clock.set(T0 + 65_000);
    const third = fans[2]!;
    const seat = (await seatIdsOf(a.db, show.id))[0]!;
    expect((await hold(app, show.id, seat, third.token)).status).toBe(200);
    const order = (await checkout(app, show.id, [seat], third.token)).body.order;
    expect((await call(app, 'POST', `/api/orders/${order.id}/pay`, { token: third.token, body: pay() })).status).toBe(200); // the fourth is admitted
    clock.set(T0 + 70_000);
    await b.ticketClub.services.lineHistory.record();

    const points = await history(show.id);
    expect(points.map((p) => p.at)).toEqual(['2030-01-01T09:59:00.000Z', '2030-01-01T10:00:00.000Z', '2030-01-01T10:01:00.000Z']);
    expect(points.map(({ waiting, early, admitted, admissions }) => ({ waiting, early, admitted, admissions }))).toEqual([
      { waiting: 0, early: 0, admitted: 0, admissions: 0 },
      { waiting: 2, early: 0, admitted: 1, admissions: 2 }, // as sampled at 10:00:50; its admissions counted at 10:01:10
      { waiting: 0, early: 0, admitted: 1, admissions: 1 },
    ]);
    expect(points.reduce((n, p) => n + Number(p.sold), 0)).toBe(1);
    expect(points.reduce((n, p) => n + Number(p.admissions), 0)).toBe((await a.store.counts(show.id)).admissionsInPeriod);
  });

  it('when instances sample the same minutes at once, again and again, then each minute is one row with the store\'s count, never a sum', async () => {
    clock.set(T0 + 3 * 60_000 + 5_000);
    const show = await createShow(app, admin, { now: clock.now(), pageCapacity: 1 });
    const fans = await Promise.all([1, 2, 3, 4].map(() => newCustomer(app)));
    for (const f of fans) await join(show.id, f.token);
    clock.advance(10_000);
    await leave(show.id, fans[0]!.token);
    await leave(show.id, fans[1]!.token);
    clock.advance(60_000);
    await leave(show.id, fans[2]!.token);

    const sample = () => Promise.all([a, b, a, b].map((h) => h.ticketClub.services.lineHistory.record()));
    await sample();
    clock.advance(1_000);
    await sample();

    const rows = await rowsOf(show.id);
    // 10:03 had no sample of its own: its admissions still land in it (with the gauges of the sample that found them).
    expect(rows.map((r) => [r.minute.toISOString(), r.admissions])).toEqual([
      ['2030-01-01T10:03:00.000Z', 2],
      ['2030-01-01T10:04:00.000Z', 1],
    ]);
    expect((await a.store.counts(show.id)).byMinute).toEqual([
      { minute: Date.parse('2030-01-01T10:03:00.000Z'), admissions: 2 },
      { minute: Date.parse('2030-01-01T10:04:00.000Z'), admissions: 1 },
    ]);
    const points = await history(show.id);
    expect(points.map((p) => [p.waiting, p.admitted, p.admissions])).toEqual([[0, 0, 0], [0, 1, 2], [0, 1, 1]]);
  });

  it('when fans enter a pre-queue, then its minutes count them as early (no line yet)', async () => {
    clock.set(T0 + 10 * 60_000 + 5_000);
    const show = await createShow(app, admin, { now: clock.now(), queueOpensAt: new Date(clock.now() - 60_000).toISOString(), onSaleAt: new Date(clock.now() + 600_000).toISOString() });
    for (const f of await Promise.all([1, 2, 3].map(() => newCustomer(app)))) expect(await join(show.id, f.token)).toBe('early');
    await a.ticketClub.services.lineHistory.record();
    expect((await history(show.id)).at(-1)).toMatchObject({ at: '2030-01-01T10:10:00.000Z', waiting: 0, early: 3, admitted: 0, admissions: 0 });
  });

  it('when a minute has just begun and no sample has recorded it yet, then its point is the line now, not an empty minute', async () => {
    clock.set(T0 + 20 * 60_000 + 50_000);
    const show = await createShow(app, admin, { now: clock.now(), pageCapacity: 1 });
    const fans = await Promise.all([1, 2, 3].map(() => newCustomer(app)));
    for (const f of fans) await join(show.id, f.token);
    await a.ticketClub.services.lineHistory.record();
    clock.set(T0 + 21 * 60_000 + 1_000); // 10:21:01: the job has not sampled 10:21
    await leave(show.id, fans[0]!.token);
    expect((await rowsOf(show.id)).map((r) => r.minute.toISOString())).toEqual(['2030-01-01T10:20:00.000Z']);
    const points = await history(show.id);
    expect(points.slice(-2).map(({ at, waiting, admitted, admissions }) => ({ at, waiting, admitted, admissions }))).toEqual([
      { at: '2030-01-01T10:20:00.000Z', waiting: 2, admitted: 1, admissions: 0 }, // the first walked in
      { at: '2030-01-01T10:21:00.000Z', waiting: 1, admitted: 1, admissions: 1 },
    ]);
    await a.ticketClub.services.lineHistory.record();
    expect((await history(show.id)).slice(-2)).toEqual(points.slice(-2)); // the row the job writes says the same
  });
});
