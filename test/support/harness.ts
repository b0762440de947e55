import type { AddressInfo } from 'node:net';
import { openPglite } from '../../src/server/adapters/pglite/pglite-database.js';
import { openPostgres } from '../../src/server/adapters/postgres/postgres-database.js';
import { memoryLimiters } from '../../src/server/adapters/memory/memory-limiter.js';
import { MemoryQueueStore } from '../../src/server/adapters/memory/memory-queue-store.js';
import { connectRedis } from '../../src/server/adapters/redis/redis-connection.js';
import { mailTransportOf } from '../../src/server/adapters/mail/mail-transports.js';
import { buildApp, type AppDeps, type TicketClub } from '../../src/server/app.js';
import type { Clock } from '../../src/server/platform/clock.js';
import { loadConfig } from '../../src/server/platform/config.js';
import { migrate, type Database } from '../../src/server/platform/database.js';
import type { QueueStore } from '../../src/server/modules/queue/queue-store.js';
import type { TestHooks } from '../../src/server/platform/test-hooks.js';

import { PG_URL, REDIS_URL, uniqueName } from './harness-env.js';

export { PG_URL, REDIS_URL, uniqueName };

export type DbKind = 'pglite' | 'postgres';
/** The databases the API suites run against; TEST_DB=pglite or TEST_DB=postgres narrows it. */
export const DB_KINDS: DbKind[] = process.env.TEST_DB ? [process.env.TEST_DB as DbKind] : ['pglite', 'postgres'];


/** A fresh database: in-memory PGlite, or a schema of its own on the real PostgreSQL. */
export async function openTestDb(kind: DbKind, schema = uniqueName('t')): Promise<{ db: Database; drop(): Promise<void> }> {
  if (kind === 'pglite') {
    const db = await openPglite();
    await migrate(db);
    return { db, drop: () => db.close() };
  }
  const db = await openPostgres({ url: PG_URL, schema, max: 30 });
  await migrate(db);
  return {
    db,
    async drop() {
      await db.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await db.close();
    },
  };
}

export interface Harness {
  /** The app under test: its Fastify instance, Socket.IO server and services. */
  ticketClub: TicketClub;
  db: Database;
  store: QueueStore;
  /** Listens on a random loopback port; returns the base URL. */
  listen(): Promise<string>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  db?: DbKind;
  /** Share an existing database (several instances on one PostgreSQL). */
  sharedDb?: Database;
  redis?: boolean;
  /** Redis key prefix: instances that share it share the waiting room. */
  redisPrefix?: string;
  /** The app's clock. The waiting room counts on it too, unless `storeClock` is 'own'. */
  clock?: Clock;
  /** 'own': the Redis store keeps Redis TIME whatever the app's clock says (the one-clock tests). */
  storeClock?: 'app' | 'own';
  /** Delay or pause points that widen a race window (see platform/test-hooks.ts). */
  testHooks?: TestHooks;
  env?: Record<string, string>;
  /** Run the background jobs (sweeps, presence heartbeats, status updates) as a server does. */
  jobs?: boolean;
  /** Rate limits in Redis (under a prefix of this harness's own) instead of in process; needs `redis`. */
  redisLimiters?: boolean;
  loginDelay?: AppDeps['loginDelay'];
}

export async function startHarness(opts: HarnessOptions = {}): Promise<Harness> {
  const owned = opts.sharedDb ? undefined : await openTestDb(opts.db ?? 'pglite');
  const db = opts.sharedDb ?? owned!.db;
  const testClock = opts.storeClock === 'own' ? undefined : opts.clock;
  const redis = opts.redis
    ? connectRedis(REDIS_URL, { queuePrefix: opts.redisPrefix ?? uniqueName('tcq'), limiterPrefix: uniqueName('tcrl'), maxRetriesPerRequest: 20, store: { testClock } })
    : undefined;
  const store = redis?.queueStore ?? new MemoryQueueStore(opts.clock);
  // TRUST_PROXY: the suites play several client addresses through X-Forwarded-For, as behind a proxy.
  const config = loadConfig({
    DATA_DIR: '/tmp/unused',
    QUEUE_GRACE_SECONDS: '30',
    ADMITTED_GRACE_SECONDS: '30',
    ENABLE_LOAD_TEST_API: '1',
    WEB_DIST: '/nonexistent',
    TRUST_PROXY: '1',
    ...opts.env,
  });
  const tc = await buildApp({
    config,
    db,
    queueStore: store,
    limiters: redis && opts.redisLimiters ? redis.limiters : memoryLimiters,
    clock: opts.clock,
    loginDelay: opts.loginDelay,
    configureIo: redis?.configureIo,
    testHooks: opts.testHooks,
    mailTransport: mailTransportOf(config),
  });
  await tc.app.ready();
  if (opts.jobs) tc.startJobs();
  return {
    ticketClub: tc,
    db,
    store,
    async listen() {
      await tc.app.listen({ port: 0, host: '127.0.0.1' });
      const a = tc.app.server.address() as AddressInfo;
      return `http://127.0.0.1:${a.port}`;
    },
    async close() {
      await tc.close();
      redis?.disconnect();
      await owned?.drop();
    },
  };
}
