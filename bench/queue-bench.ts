/**
 * npm run bench:queue — the waiting room on the Redis store (REDIS_URL, default redis://127.0.0.1:6379).
 *  1. join throughput: N accounts join one show, with many joins in flight;
 *  2. cost of one admission (an admitted account leaves, the next is admitted) with 1k, 10k, 100k waiting;
 *  3. status refresh: cost of reading the places of 500 waiters, and how stale positions get when a
 *     gateway serves 100k waiting connections (fake sockets) while the line moves.
 * Every loop is bounded in count and time. Prints markdown; `--json FILE` also writes the numbers.
 */
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { Redis } from 'ioredis';
import { RedisQueueStore } from '../src/server/adapters/redis/redis-queue-store.js';
import { QueueGateway } from '../src/server/modules/queue/queue-gateway.js';
import type { QueueService } from '../src/server/modules/queue/queue-service.js';
import type { QueueLimits } from '../src/server/modules/queue/queue-store.js';
import type { QueueStatusEvent } from '../src/shared/realtime.js';
import type { IoSocket } from '../src/server/platform/realtime.js';
import { pool } from './load/http.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const JOINS = Number(process.env.BENCH_JOINS ?? 100_000);
const IN_FLIGHT = Number(process.env.BENCH_IN_FLIGHT ?? 256);
const SIZES = (process.env.BENCH_SIZES ?? '1000,10000,100000').split(',').map(Number);
const ADMISSIONS = Number(process.env.BENCH_ADMISSIONS ?? 2_000);
const STALE_SECONDS = Number(process.env.BENCH_STALE_SECONDS ?? 30);

const prefix = `tc:bench:${Date.now().toString(36)}`;
const redis = new Redis(REDIS_URL);
const store = new RedisQueueStore(redis, prefix);
const limits: QueueLimits = { capacity: 100, windowMs: 600_000, graceMs: 3_600_000, admittedGraceMs: 3_600_000 };
const results: Record<string, unknown> = {};
const lines: string[] = [];

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? 0;
};
const ms = (n: number) => n.toFixed(3);

async function fillLine(showId: string, n: number): Promise<string[]> {
  const users = Array.from({ length: n }, () => randomUUID());
  await pool(n, IN_FLIGHT, async (i) => {
    await store.join(showId, users[i]!, limits);
  });
  return users;
}

async function joinThroughput(): Promise<void> {
  const showId = randomUUID();
  const t0 = performance.now();
  await fillLine(showId, JOINS);
  const secs = (performance.now() - t0) / 1000;
  const perSec = Math.round(JOINS / secs);
  results.joinThroughput = { joins: JOINS, inFlight: IN_FLIGHT, seconds: secs, joinsPerSecond: perSec };
  lines.push(`### Join throughput\n\n${JOINS.toLocaleString()} joins of one show, ${IN_FLIGHT} in flight, one client process: **${perSec.toLocaleString()} joins/s** (${secs.toFixed(1)} s).\n`);
}

async function redisUsecPerCall(): Promise<Map<string, number>> {
  const info = await redis.info('commandstats');
  const out = new Map<string, number>();
  for (const m of info.matchAll(/cmdstat_(\w+):calls=(\d+),usec=(\d+)/g)) out.set(m[1]!, Number(m[3]));
  return out;
}

async function admissionCost(): Promise<void> {
  lines.push('### Cost of one admission by line length\n');
  lines.push('An admitted account leaves and the first waiter is admitted (one Lua script). Client-side latency and Redis CPU per admission:\n');
  lines.push('| waiting | admissions | p50 ms | p99 ms | mean ms | Redis CPU µs/admission |');
  lines.push('|---:|---:|---:|---:|---:|---:|');
  const rows: unknown[] = [];
  for (const size of SIZES) {
    const showId = randomUUID();
    const users = await fillLine(showId, size + limits.capacity);
    const admitted = users.slice(0, limits.capacity);
    const lat: number[] = [];
    const before = await redisUsecPerCall();
    const n = Math.min(ADMISSIONS, size);
    for (let i = 0; i < n; i++) {
      const leaver = admitted.shift()!;
      const t = performance.now();
      const r = await store.leave(showId, leaver, 'purchased', limits);
      lat.push(performance.now() - t);
      admitted.push(...r.changes.admitted.map((a) => a.userId));
    }
    const after = await redisUsecPerCall();
    const usec = [...after].reduce((s, [k, v]) => s + v - (before.get(k) ?? 0), 0) / n;
    const mean = lat.reduce((a, b) => a + b, 0) / lat.length;
    rows.push({ waiting: size, admissions: n, p50: pct(lat, 50), p99: pct(lat, 99), mean, redisUsecPerAdmission: usec });
    lines.push(`| ${size.toLocaleString()} | ${n} | ${ms(pct(lat, 50))} | ${ms(pct(lat, 99))} | ${ms(mean)} | ${usec.toFixed(1)} |`);
    await redis.del(...['seq', 'wait', 'adm', 'aseq', 'info', 'exp', 'seen'].map((k) => `${prefix}:{${showId}}:${k}`));
  }
  results.admissionCost = rows;
  lines.push('');
}

/** A gateway serving many waiting connections (fake sockets) while the line moves; measures status age. */
async function staleness(): Promise<void> {
  const size = Math.max(...SIZES);
  const showId = randomUUID();
  const users = await fillLine(showId, size + limits.capacity);
  const queue = {
    statuses: async (sid: string, ids: string[]) => {
      const places = await store.places(sid, ids, limits.capacity);
      const at = new Date().toISOString();
      return places.map(
        // Only the position matters to this measurement: the rest of each status is left out.
        (p) => (p.state === 'waiting' ? { showId: sid, state: 'waiting', position: p.position, at } : { showId: sid, state: p.state, at }) as QueueStatusEvent,
      );
    },
    pageCapacity: async () => limits.capacity,
    touch: (sid: string, ids: string[]) => store.touch(sid, ids),
  } as unknown as QueueService;
  const gateway = new QueueGateway(queue, { graceMs: 30_000, now: () => Date.now(), logEventError: (err) => console.error('socket event failed', err) });
  // Each fake socket remembers when it last heard its place.
  const lastHeard = new Map<string, { at: number; position: number }>();
  const gaps: { front: number[]; back: number[] } = { front: [], back: [] };
  let emits = 0;
  for (const u of users.slice(limits.capacity)) {
    const handlers = new Map<string, (...a: unknown[]) => unknown>();
    const socket = {
      data: { user: { id: u } },
      on: (ev: string, fn: (...a: unknown[]) => unknown) => handlers.set(ev, fn),
      emit: (_ev: string, s: QueueStatusEvent) => {
        emits++;
        const t = Date.now();
        const prev = lastHeard.get(u);
        // Classed by where the connection stood when it was last told (that set its refresh interval).
        if (prev !== undefined) (prev.position <= 2 * limits.capacity + 100 ? gaps.front : gaps.back).push(t - prev.at);
        lastHeard.set(u, { at: t, position: s.state === 'waiting' ? s.position : 0 });
      },
    } as unknown as IoSocket;
    gateway.attach(socket);
    await new Promise<void>((resolve) => void handlers.get('queue:watch')!({ showId }, () => resolve()));
  }
  // Measure from here: the watch phase above took a while and is not a refresh gap.
  emits = 0;
  lastHeard.clear();
  // The line moves: 20 admissions a second, while the gateway ticks every second.
  const admitted = users.slice(0, limits.capacity);
  const tickLat: number[] = [];
  const end = Date.now() + STALE_SECONDS * 1000;
  let moved = 0;
  while (Date.now() < end) {
    for (let i = 0; i < 20; i++) {
      const r = await store.leave(showId, admitted.shift()!, 'purchased', limits);
      admitted.push(...r.changes.admitted.map((a) => a.userId));
      moved++;
    }
    const t = performance.now();
    await gateway.tick();
    tickLat.push(performance.now() - t);
    await new Promise((r) => setTimeout(r, Math.max(0, 1000 - (performance.now() - t))));
  }
  const r = {
    waiting: size,
    seconds: STALE_SECONDS,
    admissions: moved,
    statusesSent: emits,
    statusesPerSecond: Math.round(emits / STALE_SECONDS),
    tickMsP50: pct(tickLat, 50),
    tickMsMax: Math.max(...tickLat),
    frontGapP50: pct(gaps.front, 50),
    frontGapP99: pct(gaps.front, 99),
    backGapP50: pct(gaps.back, 50),
    backGapP99: pct(gaps.back, 99),
  };
  results.staleness = r;
  lines.push(`### How stale positions get\n`);
  lines.push(
    `One gateway process serving ${size.toLocaleString()} waiting connections (in-process fake sockets, so this measures the server's scheduling and Redis reads, not the network) for ${STALE_SECONDS} s while 20 accounts a second are admitted. Time between two \`queue:status\` updates of the same connection:\n`,
  );
  lines.push('| part of the line | p50 s | p99 s |');
  lines.push('|---|---:|---:|');
  lines.push(`| front (position ≤ 2 × capacity + 100) | ${(r.frontGapP50 / 1000).toFixed(2)} | ${(r.frontGapP99 / 1000).toFixed(2)} |`);
  lines.push(`| the rest | ${(r.backGapP50 / 1000).toFixed(2)} | ${(r.backGapP99 / 1000).toFixed(2)} |`);
  lines.push(`\n${r.statusesPerSecond.toLocaleString()} status updates/s in total; one tick (all due connections) took p50 ${r.tickMsP50.toFixed(0)} ms, max ${r.tickMsMax.toFixed(0)} ms.\n`);
  await redis.del(...['seq', 'wait', 'adm', 'aseq', 'info', 'exp', 'seen'].map((k) => `${prefix}:{${showId}}:${k}`));
}

try {
  await joinThroughput();
  await admissionCost();
  await staleness();
  console.log(lines.join('\n'));
  const i = process.argv.indexOf('--json');
  if (i > 0 && process.argv[i + 1]) writeFileSync(process.argv[i + 1]!, JSON.stringify(results, null, 2));
} finally {
  const keys = await redis.keys(`${prefix}:*`);
  for (let i = 0; i < keys.length; i += 1000) await redis.del(...keys.slice(i, i + 1000));
  redis.disconnect();
}
