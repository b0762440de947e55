/**
 * npm run bench:draw — the pre-queue's draw of N early entries (BENCH_DRAW_ENTRIES, default 100,000)
 * into the Redis store (REDIS_URL, default redis://127.0.0.1:6379): the drawn order (HMAC-SHA256 of
 * every entry in Node, then a sort), then the order put in line in chunks of DRAW_CHUNK, one Lua
 * call each, sent back to back, as QueueService.finishDraw does. Reports the total and the longest single Redis call
 * (the longest Redis is blocked for others), and checks the line afterwards. `--json FILE` also
 * writes the numbers.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { Redis } from 'ioredis';
import { RedisQueueStore } from '../src/server/adapters/redis/redis-queue-store.js';
import { drawOrder } from '../src/server/modules/queue/draw.js';
import { DRAW_CHUNK, putInLine } from '../src/server/modules/queue/queue-service.js';
import type { QueueLimits } from '../src/server/modules/queue/queue-store.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const N = Number(process.env.BENCH_DRAW_ENTRIES ?? 100_000);
const RUNS = Number(process.env.BENCH_DRAW_RUNS ?? 3);
const prefix = `tc:bench:${Date.now().toString(36)}`;
const redis = new Redis(REDIS_URL);
const store = new RedisQueueStore(redis, prefix);
const limits: QueueLimits = { capacity: 100, windowMs: 600_000, graceMs: 3_600_000, admittedGraceMs: 3_600_000 };

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
  for (const id of [showId, again]) await redis.del(...['seq', 'wait', 'adm', 'aseq', 'info', 'exp', 'seen', 'rate', 'drawn'].map((k) => `${prefix}:{${id}}:${k}`));
  return { orderMs: t1 - t0, moveMs: t2 - t1, totalMs: t2 - t0, longestCallMs: longest, calls };
}

const runs = [];
for (let i = 0; i < RUNS; i++) runs.push(await once());
const f = (n: number) => n.toFixed(1);
console.log(`## Draw: ${N.toLocaleString('en')} early entries into Redis (chunks of ${DRAW_CHUNK})\n`);
console.log('| run | order (HMAC + sort) ms | put in line ms | total ms | longest Redis call ms | calls |');
console.log('|---|---|---|---|---|---|');
for (const [i, r] of runs.entries()) console.log(`| ${i + 1} | ${f(r.orderMs)} | ${f(r.moveMs)} | ${f(r.totalMs)} | ${f(r.longestCallMs)} | ${r.calls} |`);
const jsonAt = process.argv.indexOf('--json');
if (jsonAt > 0 && process.argv[jsonAt + 1]) writeFileSync(process.argv[jsonAt + 1]!, JSON.stringify({ entries: N, chunk: DRAW_CHUNK, runs }, null, 2));
redis.disconnect();
