import { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { memoryLimiters } from '../../src/server/adapters/memory/memory-limiter.js';
import { MemoryQueueStore } from '../../src/server/adapters/memory/memory-queue-store.js';
import { RedisQueueStore } from '../../src/server/adapters/redis/redis-queue-store.js';
import { buildApp, type TicketClub } from '../../src/server/app.js';
import { ManualClock } from '../../src/server/platform/clock.js';
import { loadConfig } from '../../src/server/platform/config.js';
import type { Database } from '../../src/server/platform/database.js';
import type { QueueStore } from '../../src/server/modules/queue/queue-store.js';
import { call } from '../support/api-client.js';
import { openTestDb, REDIS_URL, uniqueName, type DbKind } from '../support/harness.js';
import { describeNeeding } from '../support/needs.js';

/** Faults the test switches on: the database or the store refuses, or hangs. */
interface Faults {
  db: 'up' | 'refuses' | 'hangs';
  store: 'up' | 'refuses';
  probes: number;
}

function faultyDb(db: Database, f: Faults): Database {
  return new Proxy(db, {
    get(target, key, receiver) {
      if (key !== 'query') return Reflect.get(target, key, receiver) as unknown;
      return async (sql: string, params?: unknown[]) => {
        if (sql === 'SELECT 1') f.probes++;
        if (f.db === 'refuses') throw new Error('connect ECONNREFUSED 127.0.0.1:5432');
        if (f.db === 'hangs') return new Promise(() => undefined);
        return target.query(sql, params);
      };
    },
  });
}

function faultyStore(store: QueueStore, f: Faults): QueueStore {
  return new Proxy(store, {
    get(target, key, receiver) {
      const v = Reflect.get(target, key, receiver) as unknown;
      if (key !== 'counts' || typeof v !== 'function') return typeof v === 'function' ? v.bind(target) : v;
      return async (...args: unknown[]) => {
        if (f.store === 'refuses') throw new Error('Connection is closed.');
        return (v as (...a: unknown[]) => Promise<unknown>).apply(target, args);
      };
    },
  });
}

const SETUPS: { name: string; db: DbKind; redis: boolean }[] = [
  { name: 'PGlite + in-process store', db: 'pglite', redis: false },
  { name: 'PostgreSQL + Redis', db: 'postgres', redis: true },
];

for (const { name, db: kind, redis } of SETUPS)
  describeNeeding(redis ? ['postgres', 'redis'] : [], `GET /api/health (${name})`, () => {
  const faults: Faults = { db: 'up', store: 'up', probes: 0 };
  const clock = new ManualClock(Date.now());
  let tc: TicketClub;
  let drop: () => Promise<void>;
  let conn: Redis | undefined;
  const health = () => call(tc.app, 'GET', '/api/health');

  beforeAll(async () => {
    const opened = await openTestDb(kind);
    drop = opened.drop;
    conn = redis ? new Redis(REDIS_URL) : undefined;
    tc = await buildApp({
      config: loadConfig({ DATA_DIR: '/tmp/unused', WEB_DIST: '/nonexistent' }),
      db: faultyDb(opened.db, faults),
      queueStore: faultyStore(conn ? new RedisQueueStore(conn, uniqueName('health')) : new MemoryQueueStore(), faults),
      limiters: memoryLimiters,
      clock,
      // A timeout a loaded CI box cannot hit by accident (a thousand calls share one probe), short enough for the hang test.
      health: { maxAgeMs: 1_000, timeoutMs: 1_000 },
    });
    await tc.app.ready();
  });
  afterAll(async () => {
    await tc?.close();
    conn?.disconnect();
    await drop?.();
  });

  it('when it is called a thousand times within a second, then the database is asked once', async () => {
    clock.advance(5_000);
    faults.probes = 0;
    const answers = await Promise.all(Array.from({ length: 1_000 }, health));
    expect(answers.every((r) => r.status === 200 && r.body.status === 'ok')).toBe(true);
    clock.advance(999);
    expect((await health()).status).toBe(200);
    expect(faults.probes).toBe(1);
    clock.advance(1);
    expect((await health()).status).toBe(200);
    expect(faults.probes).toBe(2);
  });

  it('when the database stops answering, then health is 503 UNAVAILABLE a second later at most, and 200 again a second after it is back', async () => {
    clock.advance(5_000);
    expect((await health()).status).toBe(200);
    faults.db = 'refuses';
    clock.advance(1_000);
    const down = await health();
    expect(down.status).toBe(503);
    expect(down.body.error.code).toBe('UNAVAILABLE');
    expect(JSON.stringify(down.body)).not.toContain('ECONNREFUSED');
    faults.db = 'up';
    clock.advance(999);
    expect((await health()).status).toBe(503); // the failed probe's answer stands for its second
    clock.advance(1);
    expect((await health()).status).toBe(200);
  });

  it('when the database hangs, then health answers 503 once the probe times out', async () => {
    clock.advance(5_000);
    faults.db = 'hangs';
    try {
      const r = await health();
      expect(r.status).toBe(503);
    } finally {
      faults.db = 'up';
    }
  });

  it('when the waiting-room store fails, then health is 503 too', async () => {
    clock.advance(5_000);
    faults.store = 'refuses';
    try {
      expect((await health()).status).toBe(503);
    } finally {
      faults.store = 'up';
    }
    clock.advance(1_000);
    expect((await health()).status).toBe(200);
  });
});
