import { createHash } from 'node:crypto';
import { readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openPglite } from '../../src/server/adapters/pglite/pglite-database.js';
import { openPostgres } from '../../src/server/adapters/postgres/postgres-database.js';
import { memoryLimiters } from '../../src/server/adapters/memory/memory-limiter.js';
import { MemoryQueueStore } from '../../src/server/adapters/memory/memory-queue-store.js';
import { connectRedis } from '../../src/server/adapters/redis/redis-connection.js';
import { mailTransportOf } from '../../src/server/adapters/mail/mail-transports.js';
import { buildApp, type AppDeps, type TicketClub } from '../../src/server/app.js';
import type { Clock } from '../../src/server/platform/clock.js';
import { loadConfig } from '../../src/server/platform/config.js';
import { MIGRATIONS_DIR, migrate, type Database } from '../../src/server/platform/database.js';
import type { QueueStore } from '../../src/server/modules/queue/queue-store.js';
import type { TestHooks } from '../../src/server/platform/test-hooks.js';

import { PG_URL, REDIS_URL, uniqueName } from './harness-env.js';

export { PG_URL, REDIS_URL, uniqueName };

export type DbKind = 'pglite' | 'postgres';
/** The databases the API suites run against; TEST_DB=pglite or TEST_DB=postgres narrows it. */
export const DB_KINDS: DbKind[] = process.env.TEST_DB ? [process.env.TEST_DB as DbKind] : ['pglite', 'postgres'];


/**
 * The migrated empty database's files, made once per set of migrations (kept in the temp folder,
 * keyed by a hash of the migration files and of PGlite's version): a fresh PGlite that starts from
 * them takes under a second, where one that runs initdb and the migrations takes three or four.
 */
let migratedPglite: Promise<Blob> | undefined;
/** The installed PGlite's version, from the package.json above its entry point (the package does not export that file). */
async function pgliteVersion(): Promise<string> {
  let dir = path.dirname(createRequire(import.meta.url).resolve('@electric-sql/pglite'));
  for (;;) {
    try {
      const pkg = JSON.parse(await readFile(path.join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === '@electric-sql/pglite') return String(pkg.version);
    } catch {
      // not here: one folder up
    }
    const up = path.dirname(dir);
    if (up === dir) return 'unknown';
    dir = up;
  }
}
function migratedPgliteFiles(): Promise<Blob> {
  migratedPglite ??= (async () => {
    const hash = createHash('sha256');
    hash.update(await pgliteVersion());
    for (const f of (await readdir(MIGRATIONS_DIR)).sort()) hash.update(f).update(await readFile(path.join(MIGRATIONS_DIR, f)));
    const file = path.join(tmpdir(), `ticketclub-test-pglite-${hash.digest('hex').slice(0, 16)}.tar`);
    try {
      return new Blob([await readFile(file)]);
    } catch {
      const db = await openPglite();
      await migrate(db);
      const files = await db.dumpDataDir();
      await db.close();
      // Written aside, then renamed: a worker reading it never sees half a file.
      const part = `${file}.${process.pid}.part`;
      await writeFile(part, Buffer.from(await files.arrayBuffer()));
      await rename(part, file);
      return files;
    }
  })();
  return migratedPglite;
}

/** A fresh database: in-memory PGlite, or a schema of its own on the real PostgreSQL. */
export async function openTestDb(kind: DbKind, schema = uniqueName('t')): Promise<{ db: Database; drop(): Promise<void> }> {
  if (kind === 'pglite') {
    const db = await openPglite(undefined, { from: await migratedPgliteFiles() });
    // Nothing to do but check (the copy is of these migrations); what the app does at start.
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
