import { createAdapter } from '@socket.io/redis-adapter';
import { Redis } from 'ioredis';
import { openPglite } from './adapters/pglite/pglite-database.js';
import { openPostgres } from './adapters/postgres/postgres-database.js';
import { memoryLimiters } from './adapters/memory/memory-limiter.js';
import { MemoryQueueStore } from './adapters/memory/memory-queue-store.js';
import { redisLimiters } from './adapters/redis/redis-limiter.js';
import { RedisQueueStore } from './adapters/redis/redis-queue-store.js';
import { buildApp } from './app.js';
import { isEmpty, loadDemoData } from './demo/demo-data.js';
import { systemClock } from './platform/clock.js';
import { ConfigError, loadConfig, type Config } from './platform/config.js';
import { migrate } from './platform/database.js';

async function main(config: Config): Promise<void> {
  if (config.WORKERS > 1 && !(config.DATABASE_URL && config.REDIS_URL)) {
    throw new ConfigError('Invalid configuration:\n  WORKERS: more than one worker needs DATABASE_URL and REDIS_URL (the embedded store lives in one process)');
  }
  const db = config.DATABASE_URL
    ? await openPostgres({ url: config.DATABASE_URL, schema: config.DATABASE_SCHEMA })
    : await openPglite(config.DATA_DIR);
  await migrate(db);

  const redis = config.REDIS_URL ? new Redis(config.REDIS_URL, { maxRetriesPerRequest: 3 }) : undefined;
  const sub = redis?.duplicate();
  const tc = await buildApp({
    config,
    db,
    queueStore: redis ? new RedisQueueStore(redis) : new MemoryQueueStore(),
    limiters: redis ? redisLimiters(redis) : memoryLimiters,
    logger: { level: config.LOG_LEVEL },
    configureIo: redis && sub ? (io) => io.adapter(createAdapter(redis, sub)) : undefined,
  });
  const log = tc.app.log;

  const { admin, auth } = tc.services;
  if (config.demoData && (await isEmpty(db))) {
    await loadDemoData({ db, admin, auth, clock: systemClock });
    log.info('loaded demo data: demo@test.com / demodemo, admin@test.com / adminadmin');
  }
  if (config.ADMIN_EMAIL && config.ADMIN_PASSWORD) {
    await auth.ensureAccount({ name: 'Admin', email: config.ADMIN_EMAIL, password: config.ADMIN_PASSWORD, role: 'admin' });
  }

  // Refuse connections past the open-files limit instead of crashing on EMFILE.
  tc.app.server.maxConnections = config.MAX_CONNECTIONS;
  await tc.app.listen({ port: config.PORT, host: config.HOST });
  tc.startJobs();
  log.info(`TicketClub on http://localhost:${config.PORT} (${db.kind}, ${redis ? 'redis' : 'in-process'} waiting room)`);

  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    log.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    try {
      await tc.close();
      await db.close();
      redis?.disconnect();
      sub?.disconnect();
    } finally {
      process.exit(0);
    }
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

try {
  await main(loadConfig());
} catch (e) {
  if (e instanceof ConfigError) {
    console.error(e.message);
    process.exit(1);
  }
  throw e;
}
