import { createAdapter } from '@socket.io/redis-adapter';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { memoryLimiters } from '../../src/server/adapters/memory/memory-limiter.js';
import { RedisQueueStore } from '../../src/server/adapters/redis/redis-queue-store.js';
import { buildApp, type TicketClub } from '../../src/server/app.js';
import { loadConfig } from '../../src/server/platform/config.js';
import type { Database } from '../../src/server/platform/database.js';
import { call, createShow, newAdmin } from '../support/api-client.js';
import { openTestDb, REDIS_URL, uniqueName } from '../support/harness.js';
import { describeNeeding } from '../support/needs.js';

/**
 * Messages between instances come from whatever else publishes on the channel: during a rolling
 * deploy, an instance of another version. One it does not understand must change nothing, and
 * above all must not take the process down.
 */
describeNeeding(['postgres', 'redis'], 'messages between instances that this version does not understand', () => {
  const key = uniqueName('sse');
  const conns: Redis[] = [];
  let db: Database;
  let drop: () => Promise<void>;
  let a: TicketClub;
  let b: TicketClub;

  beforeAll(async () => {
    ({ db, drop } = await openTestDb('postgres'));
    const start = async () => {
      const pub = new Redis(REDIS_URL);
      const sub = pub.duplicate();
      conns.push(pub, sub);
      const tc = await buildApp({
        config: loadConfig({ DATA_DIR: '/tmp/unused', WEB_DIST: '/nonexistent' }),
        db,
        queueStore: new RedisQueueStore(pub, key),
        limiters: memoryLimiters,
        configureIo: (io) => io.adapter(createAdapter(pub, sub, { key })),
      });
      await tc.app.ready();
      return tc;
    };
    a = await start();
    b = await start();
  }, 60_000);
  afterAll(async () => {
    await a?.close();
    await b?.close();
    for (const c of conns) c.disconnect();
    await drop?.();
  });

  it('when another instance sends session:revoked or shows:changed of another shape, then this one keeps serving', async () => {
    const admin = await newAdmin(b, b.app);
    const show = await createShow(b.app, admin);
    const send = a.io.serverSideEmit.bind(a.io) as (event: string, ...args: unknown[]) => boolean;
    send('session:revoked', 'not-a-list');
    send('session:revoked', { tokenHashes: ['x'] });
    send('shows:changed', 42);
    send('shows:changed', [7, null, show.id]);
    await new Promise((r) => setTimeout(r, 300));
    expect((await call(b.app, 'GET', '/api/me', { token: admin })).status).toBe(200);
    expect((await call(b.app, 'GET', `/api/shows/${show.id}`)).status).toBe(200);
  });
});
