import { createAdapter } from '@socket.io/redis-adapter';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { memoryLimiters } from '../../src/server/adapters/memory/memory-limiter.js';
import { MemoryQueueStore } from '../../src/server/adapters/memory/memory-queue-store.js';
import { RedisQueueStore } from '../../src/server/adapters/redis/redis-queue-store.js';
import { buildApp, type TicketClub } from '../../src/server/app.js';
import { ManualClock } from '../../src/server/platform/clock.js';
import { loadConfig } from '../../src/server/platform/config.js';
import type { Database } from '../../src/server/platform/database.js';
import { call, createShow, newAdmin, newCustomers } from '../support/api-client.js';
import { openTestDb, REDIS_URL, startHarness, uniqueName, type DbKind } from '../support/harness.js';
import { admit, checkout, hold, pay, seatIdsOf } from './seat-helpers.js';
import { describeNeeding, describeOnEachDatabase } from '../support/needs.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const available = (show: { areas: { availableCount: number }[] }) => show.areas.reduce((n, a) => n + a.availableCount, 0);

/** Polls GET /api/shows/:id until `ok` holds; fails if it does not within a second. */
async function within1s(tc: TicketClub, showId: string, ok: (show: any) => boolean): Promise<any> {
  const deadline = Date.now() + 1_000;
  for (;;) {
    const r = await call(tc.app, 'GET', `/api/shows/${showId}`);
    expect(r.status).toBe(200);
    if (ok(r.body.show)) return r.body.show;
    if (Date.now() > deadline) throw new Error(`not within 1 s: ${JSON.stringify(r.body.show.areas)} status ${r.body.show.status}`);
    await sleep(20);
  }
}

/**
 * Instances of one deployment: one database, and with `redis` one waiting room and one Socket.IO
 * channel of their own. Pages are kept for a minute, far longer than any wait below: only the
 * change messages can make the pages catch up in time.
 */
async function instances(db: Database, count: number, redis: boolean): Promise<{ apps: TicketClub[]; close(): Promise<void> }> {
  const prefix = uniqueName('showpages');
  const conns: Redis[] = [];
  const apps: TicketClub[] = [];
  for (let i = 0; i < count; i++) {
    const pub = redis ? new Redis(REDIS_URL) : undefined;
    const sub = pub?.duplicate();
    if (pub && sub) conns.push(pub, sub);
    const tc = await buildApp({
      config: loadConfig({ DATA_DIR: '/tmp/unused', ENABLE_LOAD_TEST_API: '1', WEB_DIST: '/nonexistent' }),
      db,
      queueStore: pub ? new RedisQueueStore(pub, prefix) : new MemoryQueueStore(),
      limiters: memoryLimiters,
      configureIo: pub && sub ? (io) => io.adapter(createAdapter(pub, sub, { key: prefix })) : undefined,
      showPages: { maxAgeMs: 60_000 },
    });
    await tc.app.ready();
    apps.push(tc);
  }
  return {
    apps,
    async close() {
      for (const tc of apps) await tc.close();
      for (const c of conns) c.disconnect();
    },
  };
}

const SETUPS: { name: string; db: DbKind; redis: boolean; count: number }[] = [
  { name: 'one instance, PGlite, in-process store', db: 'pglite', redis: false, count: 1 },
  { name: 'two instances, PostgreSQL + Redis', db: 'postgres', redis: true, count: 2 },
];

for (const { name, db: kind, redis, count } of SETUPS)
  describeNeeding(redis ? ['postgres', 'redis'] : [], `show page from memory: ${name}`, () => {
  let drop: () => Promise<void>;
  let db: Database;
  let run: Awaited<ReturnType<typeof instances>>;
  let a: TicketClub;
  let b: TicketClub;
  let adminToken: string;

  beforeAll(async () => {
    ({ db, drop } = await openTestDb(kind));
    run = await instances(db, count, redis);
    a = run.apps[0]!;
    b = run.apps[count - 1]!;
    adminToken = await newAdmin(a, a.app);
  }, 60_000);
  afterAll(async () => {
    await run?.close();
    await drop?.();
  });

  it('when a seat is held, released and sold on one instance, then every instance shows it within a second', async () => {
    const show = await createShow(a.app, adminToken, { areas: [{ name: 'A', rows: 1, seatsPerRow: 3 }] });
    const [buyer] = await newCustomers(a.app, adminToken, 1);
    const seats = await seatIdsOf(db, show.id);
    // Both instances hold a copy before anything changes.
    for (const tc of run.apps) expect(available((await call(tc.app, 'GET', `/api/shows/${show.id}`)).body.show)).toBe(3);

    await admit(a.app, show.id, buyer!.token);
    expect((await hold(a.app, show.id, seats[0]!, buyer!.token)).status).toBe(200);
    for (const tc of run.apps) await within1s(tc, show.id, (s) => available(s) === 2);

    expect((await call(a.app, 'DELETE', `/api/shows/${show.id}/seats/${seats[0]}/hold`, { token: buyer!.token })).status).toBe(204);
    for (const tc of run.apps) await within1s(tc, show.id, (s) => available(s) === 3);

    for (const seat of seats) expect((await hold(a.app, show.id, seat, buyer!.token)).status).toBe(200);
    const order = await checkout(a.app, show.id, seats, buyer!.token);
    expect(order.status).toBe(201);
    expect((await call(a.app, 'POST', `/api/orders/${order.body.order.id}/pay`, { token: buyer!.token, body: pay() })).status).toBe(200);
    for (const tc of run.apps) await within1s(tc, show.id, (s) => available(s) === 0 && s.status === 'sold_out');
  });

  it('when an admin changes the prices on one instance, then every instance shows the new prices within a second', async () => {
    const show = await createShow(a.app, adminToken);
    for (const tc of run.apps) await call(tc.app, 'GET', `/api/shows/${show.id}`);
    const r = await call(a.app, 'PATCH', `/api/admin/shows/${show.id}`, {
      token: adminToken,
      body: {
        startsAt: show.startsAt,
        onSaleAt: show.onSaleAt,
        pageCapacity: show.pageCapacity,
        purchaseWindowSeconds: show.purchaseWindowSeconds,
        maxTicketsPerAccount: show.maxTicketsPerAccount,
        prices: show.areas.map((ar) => ({ areaId: ar.id, price: 4321 })),
      },
    });
    expect(r.status).toBe(200);
    for (const tc of [b, a]) await within1s(tc, show.id, (s) => s.areas.every((ar: { price: number }) => ar.price === 4321));
  });

  it('when the show is unknown or the id is not one, then 404 and 400 as before', async () => {
    expect((await call(b.app, 'GET', '/api/shows/00000000-0000-4000-8000-000000000000')).status).toBe(404);
    expect((await call(b.app, 'GET', '/api/shows/not-an-id')).status).toBe(400);
  });
});

describeOnEachDatabase('show page age (%s)', (kind) => {
  it('when a hold runs out by the clock alone, then the page shows the seat free once its copy is a second old', async () => {
    const clock = new ManualClock(Date.now());
    const h = await startHarness({ db: kind, clock });
    try {
      const adminToken = await newAdmin(h.ticketClub, h.ticketClub.app);
      const show = await createShow(h.ticketClub.app, adminToken, { now: clock.now(), areas: [{ name: 'A', rows: 1, seatsPerRow: 2 }] });
      const [buyer] = await newCustomers(h.ticketClub.app, adminToken, 1);
      await admit(h.ticketClub.app, show.id, buyer!.token);
      const held = await hold(h.ticketClub.app, show.id, (await seatIdsOf(h.db, show.id))[0]!, buyer!.token);
      expect(held.status).toBe(200);
      const page = async () => {
        const r = await call(h.ticketClub.app, 'GET', `/api/shows/${show.id}`);
        expect(r.status, JSON.stringify(r.body)).toBe(200);
        return available(r.body.show);
      };
      expect(await page()).toBe(1);
      // The hold ends with the purchase window (the manual clock has not moved since the join).
      // Nothing changes in the database then and nothing is published: only the copy's age can tell.
      const holdEnds = clock.now() + show.purchaseWindowSeconds * 1000;
      clock.set(holdEnds - 500);
      expect(await page()).toBe(1); // read again (the copy was minutes old): still held
      clock.set(holdEnds + 499);
      expect(await page()).toBe(1); // that copy is 999 ms old: served
      clock.set(holdEnds + 500);
      expect(await page()).toBe(2); // a second old: read again, and the seat is free
    } finally {
      await h.close();
    }
  });
});
