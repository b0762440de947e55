import { drawHooksFromEnv } from './modules/queue/draw.js';
import { openPglite } from './adapters/pglite/pglite-database.js';
import { openPostgres } from './adapters/postgres/postgres-database.js';
import { memoryLimiters } from './adapters/memory/memory-limiter.js';
import { MemoryQueueStore } from './adapters/memory/memory-queue-store.js';
import { connectRedis } from './adapters/redis/redis-connection.js';
import { mailTransportOf } from './adapters/mail/mail-transports.js';
import { buildApp, type TicketClub } from './app.js';
import { applyClusterFlag, clusterWorker, isPrimary, runPrimary } from './cluster.js';
import { isEmpty, loadDemoData } from './demo/demo-data.js';
import { paymentFaultsFromEnv } from './modules/orders/test-faults.js';
import { systemClock } from './platform/clock.js';
import { ConfigError, loadConfig, type Config } from './platform/config.js';
import { migrate, type Database } from './platform/database.js';
import type { TestHooks } from './platform/test-hooks.js';
import { handleShutdownSignals } from './platform/ops/shutdown.js';
import { stdoutLines } from './platform/ops/logging.js';

const openDatabase = (config: Config): Promise<Database> =>
  config.DATABASE_URL
    ? openPostgres({ url: config.DATABASE_URL, schema: config.DATABASE_SCHEMA, max: config.DATABASE_POOL_SIZE })
    : openPglite(config.DATA_DIR);

/**
 * The Socket.IO channel in Redis. Deployments sharing one Redis but not one database schema must
 * not hear each other's events (a seat change or a revoked session of another deployment).
 */
const adapterKey = (config: Config): string => (config.DATABASE_SCHEMA ? `socket.io:${config.DATABASE_SCHEMA}` : 'socket.io');

/** Demo data and the admin account: once per start (in cluster mode by the primary, before forking). */
async function seed(config: Config, db: Database, tc: TicketClub): Promise<void> {
  const { admin, auth } = tc.services;
  if (config.demoData && (await isEmpty(db))) {
    await loadDemoData({ db, admin, auth, clock: systemClock });
    tc.app.log.info('loaded demo data: demo@test.com / demodemo, admin@test.com / adminadmin');
  }
  if (config.ADMIN_EMAIL && config.ADMIN_PASSWORD) {
    const account = await auth.ensureAccount({ name: 'Admin', email: config.ADMIN_EMAIL, password: config.ADMIN_PASSWORD, role: 'admin' });
    if (account.roleChangedFrom) {
      // Loud on purpose: someone may have registered this email before the operator configured it.
      tc.app.log.warn(
        { userId: account.userId, previousRole: account.roleChangedFrom, revokedSessions: account.revokedSessions },
        `ADMIN_EMAIL promoted the existing ${account.roleChangedFrom} account ${config.ADMIN_EMAIL} to admin and ended all ${account.revokedSessions} of its sessions; check that this account is yours`,
      );
    } else if (account.passwordChanged) {
      tc.app.log.warn({ userId: account.userId, revokedSessions: account.revokedSessions }, `ADMIN_PASSWORD changed the password of ${config.ADMIN_EMAIL}; its ${account.revokedSessions} sessions ended`);
    }
  }
}

/** The process's log lines on stdout, batched for up to 20 ms and written out on exit (one destination per process). */
let lines: ReturnType<typeof stdoutLines> | undefined;
const logLines = () => (lines ??= stdoutLines());

/** Deployments sharing one Redis but not one database schema keep separate waiting rooms. */
const connectRedisOf = (config: Config) =>
  config.REDIS_URL
    ? connectRedis(config.REDIS_URL, { queuePrefix: config.DATABASE_SCHEMA ? `tc:q:${config.DATABASE_SCHEMA}` : 'tc:q', adapterKey: adapterKey(config) })
    : undefined;

/** Cluster primary: migrations and seeding with an app that never listens, then closed. */
async function prepareCluster(config: Config): Promise<void> {
  const db = await openDatabase(config);
  try {
    await migrate(db);
    // Through Redis, sessions the seeding ends (an ADMIN_EMAIL promotion) also end on instances still running.
    const redis = connectRedisOf(config);
    try {
      const tc = await buildApp({
        config,
        db,
        queueStore: new MemoryQueueStore(),
        limiters: memoryLimiters,
        logger: { level: config.LOG_LEVEL, stream: logLines() },
        configureIo: redis?.configureIo,
      });
      try {
        await seed(config, db, tc);
      } finally {
        await tc.close();
      }
    } finally {
      redis?.disconnect();
    }
  } finally {
    await db.close();
  }
}

async function main(config: Config): Promise<void> {
  if (config.WORKERS > 1 && !(config.DATABASE_URL && config.REDIS_URL)) {
    throw new ConfigError('Invalid configuration:\n  WORKERS: more than one worker needs DATABASE_URL and REDIS_URL (the embedded store lives in one process)');
  }
  if (config.WORKERS > 1 && isPrimary()) return runPrimary(config, () => prepareCluster(config));
  const worker = config.WORKERS > 1 ? clusterWorker() : undefined;

  const db = await openDatabase(config);
  if (!worker) await migrate(db);

  const redis = connectRedisOf(config);
  // Instances share Redis's clock, the one the waiting room counts on (see redis-clock.ts).
  const clock = redis?.newClock((err) => console.error('clock sync with Redis failed', err));
  await clock?.sync();
  clock?.start();
  const tc = await buildApp({
    config,
    db,
    clock,
    queueStore: redis?.queueStore ?? new MemoryQueueStore(),
    limiters: redis?.limiters ?? memoryLimiters,
    logger: { level: config.LOG_LEVEL, stream: logLines() },
    testHooks: testHooksFromEnv(process.env),
    configureIo: redis?.configureIo,
    mailTransport: mailTransportOf(config),
  });
  const log = tc.app.log;

  if (worker) {
    // The primary listens and hands connections over; it already migrated and seeded.
    await worker.serve(tc, config);
    tc.startJobs();
    log.info('worker ready');
  } else {
    await seed(config, db, tc);
    await tc.app.listen({ port: config.PORT, host: config.HOST });
    tc.startJobs();
    log.info(`TicketClub on http://localhost:${config.PORT} (${db.kind}, ${redis ? 'redis' : 'in-process'} waiting room)`);
    if (!config.SMTP_URL) log.info(`no SMTP_URL: every email is written to ${config.DATA_DIR}/mail (listed in the console under Mail)`);
  }

  handleShutdownSignals({
    app: tc.app,
    close: () => tc.close(),
    log,
    closeResources: async () => {
      await worker?.drain();
      await db.close();
      clock?.stop();
      redis?.disconnect();
    },
  });
}

/** The test-only hooks the environment asks for (each honoured only with NODE_ENV=test), as one object. */
function testHooksFromEnv(env: NodeJS.ProcessEnv): TestHooks | undefined {
  const payment = paymentFaultsFromEnv(env);
  const draw = drawHooksFromEnv(env);
  return payment || draw ? { ...draw, ...payment } : undefined;
}

try {
  applyClusterFlag();
  await main(loadConfig());
} catch (e) {
  if (e instanceof ConfigError) {
    console.error(e.message);
    process.exit(1);
  }
  throw e;
}

