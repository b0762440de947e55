import { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { RedisClock } from '../../src/server/adapters/redis/redis-clock.js';
import type { Clock } from '../../src/server/platform/clock.js';
import { call, createShow, newAdmin, newCustomers } from '../support/api-client.js';
import { openTestDb, REDIS_URL, startHarness, uniqueName, type Harness } from '../support/harness.js';
import { admit, hold, seatIdsOf, seatRow } from './seat-helpers.js';
import { sleep } from '../support/harness-env.js';
import { connect, emitAck, nextEvent, type ClientSocket } from '../support/sockets.js';
import { describeNeeding } from '../support/needs.js';

/**
 * The line has one clock (Redis TIME), whatever the instances' clocks say. Two instances share one
 * Redis and one PostgreSQL; `ahead` runs 35 s fast, longer than both the purchase window and the
 * grace, so any decision taken on an instance's own clock would show.
 */
describeNeeding(['postgres', 'redis'], 'one clock for the line (Redis store, instances 35 s apart)', () => {
  const SKEW_MS = 35_000;
  const WINDOW_S = 5;
  let shared: Awaited<ReturnType<typeof openTestDb>>;
  let right: Harness;
  let ahead: Harness;
  /** Also 35 s fast, but on Redis's clock as a server with REDIS_URL is (main.ts). */
  let synced: Harness;
  let syncedRedis: Redis;
  let syncedClock: RedisClock;
  let admin: string;
  let aheadUrl: string;
  const sockets: ClientSocket[] = [];

  beforeAll(async () => {
    shared = await openTestDb('postgres');
    const redisPrefix = uniqueName('tcq');
    const fast: Clock = { now: () => Date.now() + SKEW_MS };
    right = await startHarness({ sharedDb: shared.db, redis: true, redisPrefix });
    ahead = await startHarness({ sharedDb: shared.db, redis: true, redisPrefix, clock: fast, storeClock: 'own' });
    syncedRedis = new Redis(REDIS_URL);
    syncedClock = new RedisClock(syncedRedis, fast);
    await syncedClock.sync();
    synced = await startHarness({ sharedDb: shared.db, redis: true, redisPrefix, clock: syncedClock, storeClock: 'own' });
    admin = await newAdmin(right.ticketClub, right.ticketClub.app);
    aheadUrl = await ahead.listen();
  });
  afterAll(async () => {
    for (const s of sockets) s.disconnect();
    await synced?.close();
    syncedRedis?.disconnect();
    await ahead?.close();
    await right?.close();
    await shared?.drop();
  });

  const queue = (h: Harness, showId: string, token: string, method: 'GET' | 'POST' = 'GET') =>
    call(h.ticketClub.app, method, `/api/shows/${showId}/queue`, { token });

  it('when one instance runs 35 s ahead, then it neither expires nor removes early what the other admitted, and both report the same times', async () => {
    const show = await createShow(right.ticketClub.app, admin, { pageCapacity: 1, purchaseWindowSeconds: WINDOW_S });
    const [first, second, third] = await newCustomers(right.ticketClub.app, admin, 3);

    const before = Date.now();
    const a = await queue(right, show.id, first!.token, 'POST');
    const after = Date.now();
    expect(a.body.state).toBe('admitted');
    const admittedAt = Date.parse(a.body.admittedAt);
    // Redis's clock (this machine's), not anybody's skewed one.
    expect(admittedAt).toBeGreaterThanOrEqual(before - 50);
    expect(admittedAt).toBeLessThanOrEqual(after + 50);
    expect(Date.parse(a.body.expiresAt) - admittedAt).toBe(WINDOW_S * 1000);

    // The fast instance sees the same admission, and lets the account use it.
    expect((await queue(ahead, show.id, first!.token)).body).toEqual(a.body);
    expect((await call(ahead.ticketClub.app, 'GET', `/api/shows/${show.id}/seats`, { token: first!.token })).status).toBe(200);

    // A waiter joining through the fast instance, one through the other: the same line on both.
    expect((await queue(ahead, show.id, second!.token, 'POST')).body).toMatchObject({ state: 'waiting', position: 1 });
    expect((await queue(right, show.id, third!.token, 'POST')).body).toMatchObject({ state: 'waiting', position: 2 });
    // Its live status, from the fast instance, carries the line's time: clients count down from it.
    const tab = await connect(aheadUrl, second!.token);
    sockets.push(tab);
    const status = nextEvent(tab, 'queue:status', (e) => e.showId === show.id);
    expect(await emitAck(tab, 'queue:watch', show.id)).toEqual({ ok: true });
    expect((await status).state).toBe('waiting');
    expect(Math.abs(Date.parse((await status).at) - Date.now())).toBeLessThan(1_000);
    expect((await queue(right, show.id, second!.token)).body).toMatchObject({ state: 'waiting', position: 1 });
    expect((await queue(ahead, show.id, third!.token)).body).toMatchObject({ state: 'waiting', position: 2 });
    // Its worst-case estimate counts from the line's clock too: about the first window's rest + 10 s.
    const eta = (await queue(ahead, show.id, second!.token)).body.etaSeconds as number;
    expect(eta).toBeGreaterThan(WINDOW_S);
    expect(eta).toBeLessThanOrEqual(WINDOW_S + 10);

    // The fast instance's sweep (its clock already past the window and the grace) ends nothing.
    expect(await ahead.ticketClub.services.queue.sweep(show.id)).toEqual({ ended: [], admitted: [] });
    expect((await queue(ahead, show.id, first!.token)).body.state).toBe('admitted');
    expect((await queue(right, show.id, second!.token)).body).toMatchObject({ state: 'waiting', position: 1 });

    // When the window really ends, either instance's sweep ends it and admits the next on the same clock.
    await sleep(Math.max(0, Date.parse(a.body.expiresAt) - Date.now()) + 20);
    const told = nextEvent(tab, 'queue:admitted', (e) => e.showId === show.id);
    const changes = await ahead.ticketClub.services.queue.sweep(show.id);
    expect(changes.ended).toMatchObject([{ userId: first!.id, reason: 'expired' }]);
    expect(changes.admitted.map((x) => x.userId)).toEqual([second!.id]);
    const b = (await queue(right, show.id, second!.token)).body;
    expect(b.state).toBe('admitted');
    expect(Math.abs(Date.parse(b.admittedAt) - Date.now())).toBeLessThan(1_000);
    expect((await queue(ahead, show.id, second!.token)).body).toEqual(b);
    expect(await told).toEqual({ showId: show.id, admittedAt: b.admittedAt, expiresAt: b.expiresAt });
    expect((await queue(ahead, show.id, first!.token)).body).toMatchObject({ state: 'none' });
  }, 30_000);

  it('when an instance 35 s fast counts on Redis\'s clock, then it neither takes nor frees a live hold early', async () => {
    // The offset is measured: the fast clock reads Redis's time again (same machine: within a few ms).
    expect(Math.abs(syncedClock.now() - Date.now())).toBeLessThan(100);

    const show = await createShow(right.ticketClub.app, admin, { pageCapacity: 2, purchaseWindowSeconds: WINDOW_S });
    const [seat] = await seatIdsOf(shared.db, show.id);
    const [holder, other] = await newCustomers(right.ticketClub.app, admin, 2);
    await admit(right.ticketClub.app, show.id, holder!.token);
    expect((await hold(right.ticketClub.app, show.id, seat!, holder!.token)).status).toBe(200);
    await admit(synced.ticketClub.app, show.id, other!.token);

    // By the fast instance's own clock this hold ran out 30 s ago; by the line's it has seconds left.
    const taken = await hold(synced.ticketClub.app, show.id, seat!, other!.token);
    expect([taken.status, taken.body.error?.code]).toEqual([409, 'SEAT_UNAVAILABLE']);
    await synced.ticketClub.services.orders.releaseExpired();
    expect(await seatRow(shared.db, show.id, seat!)).toMatchObject({ status: 'selected', holder_id: holder!.id });
    const map = await call(synced.ticketClub.app, 'GET', `/api/shows/${show.id}/seats`, { token: other!.token });
    expect(map.body.seats.find((x: { id: string }) => x.id === seat)).toMatchObject({ status: 'selected', mine: false });
  });
});
