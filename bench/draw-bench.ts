/**
 * npm run bench:draw — the pre-queue's draw of N early entries (BENCH_DRAW_ENTRIES, default 100,000)
 * into the Redis store (REDIS_URL, default redis://127.0.0.1:6379): the drawn order (HMAC-SHA256 of
 * every entry in Node, then a sort), then the order put in line in chunks of DRAW_CHUNK, one Lua
 * call each, sent back to back, as QueueService.finishDraw does. Reports the total and the longest single Redis call
 * (the longest Redis is blocked for others), and checks the line afterwards. Then, where PostgreSQL
 * is reachable (BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/test), the whole draw
 * as an instance makes it at onSaleAt: DrawStore.claim on a show with N entries (lock the draw, read
 * the entries, order them, write the frozen order) and the order put in line, on a schema of its own
 * that is dropped afterwards. `--json FILE` also writes the numbers.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { Redis } from 'ioredis';
import { openPostgres } from '../src/server/adapters/postgres/postgres-database.js';
import { RedisQueueStore } from '../src/server/adapters/redis/redis-queue-store.js';
import { DrawStore, drawOrder } from '../src/server/modules/queue/draw.js';
import { migrate, type Database } from '../src/server/platform/database.js';
import { DRAW_CHUNK, putInLine } from '../src/server/modules/queue/queue-service.js';
import type { QueueLimits } from '../src/server/modules/queue/queue-store.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const PG_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const N = Number(process.env.BENCH_DRAW_ENTRIES ?? 100_000);
const RUNS = Number(process.env.BENCH_DRAW_RUNS ?? 3);
const prefix = `tc:bench:${Date.now().toString(36)}`;
const redis = new Redis(REDIS_URL);
const store = new RedisQueueStore(redis, prefix);
const limits: QueueLimits = { capacity: 100, windowMs: 600_000, graceMs: 3_600_000, admittedGraceMs: 3_600_000 };

/** Deletes a show's line from Redis (the bench's own prefix). */
const dropLine = (showId: string) => redis.del(...['seq', 'wait', 'adm', 'aseq', 'info', 'exp', 'seen', 'rate', 'drawn'].map((k) => `${prefix}:{${showId}}:${k}`));

async function once(): Promise<{ orderMs: number; moveMs: number; totalMs: number; longestCallMs: number; calls: number }> {
  const showId = randomUUID();
  const seed = randomBytes(32);
  const entryOf = new Map<string, string>();
  for (let i = 0; i < N; i++) entryOf.set(randomBytes(16).toString('base64url'), randomUUID());
  const t0 = performance.now();
  const users = drawOrder(seed, [...entryOf.keys()]).map((e) => entryOf.get(e)!);
  const t1 = performance.now();
  await putInLine(store, showId, users, limits);
  const t2 = performance.now();
  const counts = await store.counts(showId);
  // The longest single call, one at a time (an upper bound of how long Redis is blocked by one).
  let longest = 0;
  const again = randomUUID();
  for (let pos = 0; pos < users.length; pos += DRAW_CHUNK) {
    const c0 = performance.now();
    await store.putDrawn(again, pos, users.slice(pos, pos + DRAW_CHUNK), limits);
    longest = Math.max(longest, performance.now() - c0);
  }
  const calls = Math.ceil(users.length / DRAW_CHUNK);
  if (counts.admitted !== limits.capacity || counts.waiting !== N - limits.capacity) throw new Error(`line is wrong: ${JSON.stringify(counts)}`);
  const [p] = await store.places(showId, [users[N - 1]!], limits.capacity);
  if (p?.state !== 'waiting' || p.position !== N - limits.capacity) throw new Error('the last drawn entry is not last in line');
  for (const id of [showId, again]) await dropLine(id);
  return { orderMs: t1 - t0, moveMs: t2 - t1, totalMs: t2 - t0, longestCallMs: longest, calls };
}

/** A show on sale since a second ago whose pre-queue has N entries, one per account (made by SQL: no API, no password hashes). */
async function showWithEntries(db: Database): Promise<string> {
  const { rows } = await db.query<{ id: string }>(
    `WITH v AS (INSERT INTO venues (name, city) VALUES ('Draw Hall', 'Taipei') RETURNING id),
          e AS (INSERT INTO events (title, artist) VALUES ('Draw', 'Bench') RETURNING id)
     INSERT INTO shows (event_id, venue_id, starts_at, on_sale_at, queue_opens_at)
     SELECT e.id, v.id, now() + interval '1 day', now() - interval '1 second', now() - interval '30 minutes' FROM v, e RETURNING id`,
  );
  const showId = rows[0]!.id;
  await db.query(`INSERT INTO draw_entries (show_id, user_id, entry_id) SELECT $1, id, md5(random()::text || id::text) FROM users`, [showId]);
  await db.query('ANALYZE draw_entries');
  return showId;
}

async function wholeDraws(): Promise<{ claimMs: number; moveMs: number; totalMs: number }[] | null> {
  const schema = `bench_draw_${Date.now().toString(36)}`;
  let db: Database;
  try {
    db = await openPostgres({ url: PG_URL, schema, max: 4 });
  } catch (e) {
    console.log(`\n(no PostgreSQL at ${PG_URL}: the whole draw is not measured: ${(e as Error).message})`);
    return null;
  }
  try {
    await migrate(db);
    await db.query(`INSERT INTO users (name, email, password_hash) SELECT 'Fan', 'fan' || g || '@draw.test', 'x' FROM generate_series(1, $1::int) g`, [N]);
    const draws = new DrawStore(db);
    const out = [];
    for (let i = 0; i < RUNS; i++) {
      const showId = await showWithEntries(db);
      const t0 = performance.now();
      const claimed = await draws.claim(showId, Date.now(), true);
      const t1 = performance.now();
      if (claimed?.users.length !== N) throw new Error(`claimed ${claimed?.users.length} of ${N}`);
      await putInLine(store, showId, claimed.users, limits);
      const t2 = performance.now();
      const counts = await store.counts(showId);
      if (counts.admitted + counts.waiting !== N) throw new Error(`line is wrong: ${JSON.stringify(counts)}`);
      await dropLine(showId);
      out.push({ claimMs: t1 - t0, moveMs: t2 - t1, totalMs: t2 - t0 });
    }
    return out;
  } finally {
    await db.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => undefined);
    await db.close();
  }
}

const runs = [];
for (let i = 0; i < RUNS; i++) runs.push(await once());
const f = (n: number) => n.toFixed(1);
console.log(`## Draw: ${N.toLocaleString('en')} early entries into Redis (chunks of ${DRAW_CHUNK})\n`);
console.log('| run | order (HMAC + sort) ms | put in line ms | total ms | longest Redis call ms | calls |');
console.log('|---|---|---|---|---|---|');
for (const [i, r] of runs.entries()) console.log(`| ${i + 1} | ${f(r.orderMs)} | ${f(r.moveMs)} | ${f(r.totalMs)} | ${f(r.longestCallMs)} | ${r.calls} |`);
const whole = await wholeDraws();
if (whole) {
  console.log(`\n## The whole draw: ${N.toLocaleString('en')} entries claimed in PostgreSQL, then put in line in Redis\n`);
  console.log('| run | claim (lock, read, order, write) ms | put in line ms | total ms |');
  console.log('|---|---|---|---|');
  for (const [i, r] of whole.entries()) console.log(`| ${i + 1} | ${f(r.claimMs)} | ${f(r.moveMs)} | ${f(r.totalMs)} |`);
}
const jsonAt = process.argv.indexOf('--json');
if (jsonAt > 0 && process.argv[jsonAt + 1]) writeFileSync(process.argv[jsonAt + 1]!, JSON.stringify({ entries: N, chunk: DRAW_CHUNK, runs, whole }, null, 2));
redis.disconnect();
