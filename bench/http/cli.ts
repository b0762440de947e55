/**
 * `npm run bench:http`: the on-sale hot path of one TicketClub instance on PostgreSQL + Redis,
 * measured from outside its process and next to a bare Fastify 5 app in the same run.
 *
 *   npm run bench:http
 *   npm run bench:http -- --seconds 5 --rounds 3 --orders 1000
 *   npm run bench:http -- --before /tmp/tc-before      # an older checkout, measured side by side
 *
 * wrk (a separate process, `apt-get install wrk`) drives GET /api/shows/:id, GET /api/me and
 * GET /api/health, alternating with the baseline (baseline → shows → baseline → me → …) so noise
 * hits both. Paid orders (join → hold → checkout → pay) come from a spawned Node driver, 50 buyers
 * at a time. CPU per request / per order is read from /proc: the server's process tree, and the
 * PostgreSQL backends of its connections (found by application_name). Loopback only; bounded by
 * --rounds × paths × --seconds and by --orders / --order-seconds / --mail-seconds (the CPU of a
 * paid order is counted until its confirmation email has gone). `--paths none`: orders only.
 * Raw wrk output and a JSON + markdown report go to bench-results/ (ignored by git).
 */
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import pg from 'pg';
import type { DriverJob, DriverResult } from './orders-driver.js';
import { CpuWindow, threadCpuMs, treeCpuMs, treeWriteCalls } from './proc-cpu.js';
import { baselineEntry, startServer, type Server } from './servers.js';
import { setUpShow, type BenchShow } from './setup.js';
import { checkWrk, runWrk, type WrkResult } from './wrk.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

const { values: args } = parseArgs({
  options: {
    seconds: { type: 'string', default: '5' },
    rounds: { type: 'string', default: '3' },
    connections: { type: 'string', default: '50' },
    threads: { type: 'string', default: '2' },
    paths: { type: 'string', default: 'shows,me,health' },
    orders: { type: 'string', default: '1000' },
    'order-concurrency': { type: 'string', default: '50' },
    'order-seconds': { type: 'string', default: '60' },
    'mail-seconds': { type: 'string', default: '180' },
    'seats-per-order': { type: 'string', default: '1' },
    before: { type: 'string' },
    'database-url': { type: 'string', default: process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test' },
    'redis-url': { type: 'string', default: process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379' },
    'log-level': { type: 'string', default: 'info' },
  },
});
const SECONDS = Number(args.seconds);
const ROUNDS = Number(args.rounds);
const CONNECTIONS = Number(args.connections);
const THREADS = Number(args.threads);
const ORDERS = Number(args.orders);
const ORDER_CONCURRENCY = Number(args['order-concurrency']);
const ORDER_SECONDS = Number(args['order-seconds']);
const SEATS_PER_ORDER = Number(args['seats-per-order']);
const MAIL_SECONDS = Number(args['mail-seconds']);
for (const [k, v] of Object.entries({ SECONDS, ROUNDS, CONNECTIONS, THREADS, ORDERS, ORDER_CONCURRENCY, ORDER_SECONDS, SEATS_PER_ORDER, MAIL_SECONDS })) {
  if (!Number.isFinite(v) || v < 0) throw new Error(`bad --${k.toLowerCase()}: ${v}`);
}
// `--paths none`: only the paid orders.
const PATHS = (args.paths === 'none' ? [] : args.paths.split(',').map((p) => p.trim())) as PathName[];
type PathName = 'shows' | 'me' | 'health';
for (const p of PATHS) if (!['shows', 'me', 'health'].includes(p)) throw new Error(`unknown path ${p} (shows, me, health)`);

checkWrk();
const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\..*/, 'Z');
const OUT = join(ROOT, 'bench-results', `http-${stamp}`);
mkdirSync(OUT, { recursive: true });
const ADMIN = { email: 'bench-admin@example.com', password: 'bench-admin-password' };

interface Product {
  label: string;
  server: Server;
  schema: string;
  appName: string;
  show: BenchShow;
}

const monitor = new pg.Client({ connectionString: args['database-url'], application_name: 'tc-bench-monitor' });
await monitor.connect();
const backendsOf = (appName: string) => async () =>
  (await monitor.query<{ pid: number }>(`SELECT pid FROM pg_stat_activity WHERE application_name = $1`, [appName])).rows.map((r) => r.pid);

async function startProduct(label: string, cwd: string): Promise<Product> {
  const schema = `bench_http_${stamp.toLowerCase()}_${label.replace(/\W/g, '_')}`;
  const appName = `tc-bench-${label}`;
  const dbUrl = new URL(args['database-url']);
  dbUrl.searchParams.set('application_name', appName);
  const server = await startServer({
    name: label,
    cwd,
    entry: 'src/server/main.ts',
    env: {
      DATABASE_URL: dbUrl.toString(),
      DATABASE_SCHEMA: schema,
      REDIS_URL: args['redis-url'],
      DEMO_DATA: '0',
      ADMIN_EMAIL: ADMIN.email,
      ADMIN_PASSWORD: ADMIN.password,
      ENABLE_LOAD_TEST_API: '1',
      LOG_LEVEL: args['log-level'],
      WEB_DIST: '/nonexistent',
      COOKIE_SECURE: '0',
    },
    logFile: join(OUT, `${label}.log`),
    readyPath: '/api/health',
  });
  try {
    const show = await setUpShow(server.url, { adminEmail: ADMIN.email, adminPassword: ADMIN.password, buyers: ORDERS, seatsPerOrder: SEATS_PER_ORDER });
    await analyze(schema);
    return { label, server, schema, appName, show };
  } catch (e) {
    // Not in `products` yet: the cleanup below would miss this one.
    await server.stop();
    await monitor.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => undefined);
    throw e;
  }
}

/**
 * Statistics on the schema's tables, as a database in service has them: the hall's seats and the
 * buyers were loaded a moment ago, and autovacuum would analyze them within a minute or so. Without
 * them PostgreSQL plans the first minute's reads (an order with its seats) as scans of whole tables.
 */
async function analyze(schema: string): Promise<void> {
  const { rows } = await monitor.query<{ tablename: string }>(`SELECT tablename FROM pg_tables WHERE schemaname = $1`, [schema]);
  for (const t of rows) await monitor.query(`ANALYZE ${schema}."${t.tablename}"`);
}

interface Sample {
  server: string;
  path: string;
  round: number;
  wrk: WrkResult;
  serverCpuMs: number;
  pgCpuMs: number;
}

const samples: Sample[] = [];
let rawLog = '';

async function measure(server: Server, appName: string | undefined, path: string, url: string, headers: Record<string, string>, round: number, seconds = SECONDS): Promise<Sample> {
  const pgWindow = appName ? new CpuWindow(backendsOf(appName)) : undefined;
  await pgWindow?.start();
  const cpu0 = treeCpuMs(server.pid);
  const threads0 = threadCpuMs(server.pid);
  const { result, raw } = await runWrk({ url, seconds, connections: CONNECTIONS, threads: THREADS, headers });
  const serverCpuMs = treeCpuMs(server.pid) - cpu0;
  const threads = threadCpuMs(server.pid);
  const mainMs = (threads.get(server.pid) ?? 0) - (threads0.get(server.pid) ?? 0);
  const requests = result.requests;
  console.log(`    ${server.name} ${path}: ${((serverCpuMs / requests) * 1000).toFixed(1)} µs CPU per request, main thread ${((mainMs / requests) * 1000).toFixed(1)}, other threads ${(((serverCpuMs - mainMs) / requests) * 1000).toFixed(1)}`);
  const pgCpuMs = (await pgWindow?.stop()) ?? 0;
  rawLog += `### ${server.name} ${path} round ${round}\n${raw}\n`;
  if (result.errors > 0) console.warn(`  ! ${server.name} ${path}: ${result.errors} errors or non-2xx answers`);
  return { server: server.name, path, round, wrk: result, serverCpuMs, pgCpuMs };
}

const targets = (p: Product): Record<PathName, { url: string; headers: Record<string, string> }> => ({
  shows: { url: `${p.server.url}/api/shows/${p.show.showId}`, headers: {} },
  me: { url: `${p.server.url}/api/me`, headers: { authorization: `Bearer ${p.show.meToken}` } },
  health: { url: `${p.server.url}/api/health`, headers: {} },
});

/** Confirmation emails of the product's schema not sent yet (its own client: the monitor's samples CPU meanwhile). */
const mailMonitor = new pg.Client({ connectionString: args['database-url'], application_name: 'tc-bench-mail-monitor' });
await mailMonitor.connect();
const pendingMail = async (schema: string): Promise<number> =>
  (await mailMonitor.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${schema}.mail_outbox WHERE status = 'pending'`)).rows[0]!.n;

async function runOrders(p: Product): Promise<{ label: string; result: DriverResult; serverCpuMs: number; pgCpuMs: number; writeCalls: number; mailSeconds: number; mailPending: number }> {
  const job: DriverJob = { url: p.server.url, showId: p.show.showId, buyers: p.show.buyers, concurrency: ORDER_CONCURRENCY, seconds: ORDER_SECONDS };
  const pgWindow = new CpuWindow(backendsOf(p.appName));
  await pgWindow.start();
  const cpu0 = treeCpuMs(p.server.pid);
  const writes0 = treeWriteCalls(p.server.pid);
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'bench/http/orders-driver.ts')], { cwd: ROOT, stdio: ['pipe', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stdin.end(JSON.stringify(job));
  const code = await new Promise<number | null>((r) => child.once('exit', r));
  const driven = performance.now();
  // Each paid order's confirmation email (its tickets PDF rendered) is part of its cost: the CPU
  // window stays open until the outbox has sent them all, or --mail-seconds have passed.
  const mailDeadline = driven + MAIL_SECONDS * 1000;
  let mailPending = await pendingMail(p.schema);
  while (mailPending > 0 && performance.now() < mailDeadline) {
    await new Promise((r) => setTimeout(r, 100));
    mailPending = await pendingMail(p.schema);
  }
  const mailSeconds = (performance.now() - driven) / 1000;
  const serverCpuMs = treeCpuMs(p.server.pid) - cpu0;
  const writeCalls = treeWriteCalls(p.server.pid) - writes0;
  const pgCpuMs = await pgWindow.stop();
  if (code !== 0) throw new Error(`orders driver exited with ${code}`);
  return { label: p.label, result: JSON.parse(out) as DriverResult, serverCpuMs, pgCpuMs, writeCalls, mailSeconds, mailPending };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? NaN : s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const f = (n: number, d = 0) => n.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d });

const products: Product[] = [];
let baseline: Server | undefined;
try {
  console.log(`bench:http → ${OUT}`);
  baseline = await startServer({ name: 'bare-fastify', cwd: ROOT, entry: baselineEntry(ROOT), env: {}, logFile: join(OUT, 'bare-fastify.log'), readyPath: '/api/health' });
  products.push(await startProduct('product', ROOT));
  if (args.before) products.push(await startProduct('before', args.before));

  // Warm-up: JIT, pools, caches; not reported.
  await measure(baseline, undefined, 'me', `${baseline.url}/api/me`, {}, 0, 2);
  for (const p of products) for (const path of PATHS) await measure(p.server, p.appName, path, targets(p)[path].url, targets(p)[path].headers, 0, 2);

  for (let round = 1; round <= ROUNDS; round++) {
    for (const path of PATHS) {
      for (const p of products) {
        samples.push(await measure(baseline, undefined, 'bare', `${baseline.url}/api/me`, {}, round));
        const t = targets(p)[path];
        const s = await measure(p.server, p.appName, path, t.url, t.headers, round);
        samples.push(s);
        console.log(`  round ${round} ${p.label} ${path}: ${f(s.wrk.reqPerSec)} req/s (bare ${f(samples.at(-2)!.wrk.reqPerSec)})`);
      }
    }
  }

  const orders = [];
  if (ORDERS > 0) {
    for (const p of products) {
      const o = await runOrders(p);
      orders.push(o);
      console.log(`  ${p.label} paid orders: ${o.result.paid} in ${o.result.seconds.toFixed(1)} s`);
    }
  }

  // Each product sample is compared with the baseline run just before it.
  const lines: string[] = [];
  lines.push(
    `bench:http ${stamp}: ${ROUNDS} rounds × ${SECONDS} s per run, wrk -t${THREADS} -c${CONNECTIONS}, LOG_LEVEL=${args['log-level']}, Node ${process.version}`,
    '',
    '| server | path | req/s (median) | bare Fastify req/s (median) | ratio (median) | p99 ms (median) | server CPU ms/req | PostgreSQL CPU ms/req |',
    '|---|---|---:|---:|---:|---:|---:|---:|',
  );
  const summary: Record<string, unknown>[] = [];
  for (const p of products) {
    for (const path of PATHS) {
      const mine = samples.filter((s) => s.server === p.label && s.path === path);
      const ratios = mine.map((s) => s.wrk.reqPerSec / samples[samples.indexOf(s) - 1]!.wrk.reqPerSec);
      const bare = mine.map((s) => samples[samples.indexOf(s) - 1]!.wrk.reqPerSec);
      const reqs = mine.reduce((a, s) => a + s.wrk.requests, 0);
      const row = {
        server: p.label,
        path,
        reqPerSec: median(mine.map((s) => s.wrk.reqPerSec)),
        bareReqPerSec: median(bare),
        ratio: median(ratios),
        p99Ms: median(mine.map((s) => s.wrk.p99Ms)),
        serverCpuMsPerReq: mine.reduce((a, s) => a + s.serverCpuMs, 0) / reqs,
        pgCpuMsPerReq: mine.reduce((a, s) => a + s.pgCpuMs, 0) / reqs,
        errors: mine.reduce((a, s) => a + s.wrk.errors, 0),
      };
      summary.push(row);
      lines.push(
        `| ${p.label} | ${path} | ${f(row.reqPerSec)} | ${f(row.bareReqPerSec)} | ${row.ratio.toFixed(2)}× | ${row.p99Ms.toFixed(1)} | ${row.serverCpuMsPerReq.toFixed(3)} | ${row.pgCpuMsPerReq.toFixed(3)} |`,
      );
    }
  }
  const bare = samples.filter((s) => s.path === 'bare');
  const bareReqs = bare.reduce((a, s) => a + s.wrk.requests, 0);
  if (PATHS.length > 0) lines.push(
    `| bare Fastify | GET /api/me (a constant user) | ${f(median(bare.map((s) => s.wrk.reqPerSec)))} | | 1.00× | ${median(bare.map((s) => s.wrk.p99Ms)).toFixed(1)} | ${(bare.reduce((a, s) => a + s.serverCpuMs, 0) / bareReqs).toFixed(3)} | |`,
  );
  if (orders.length > 0) {
    lines.push(
      '',
      `Paid orders (join → hold ×${SEATS_PER_ORDER} → checkout → pay), ${ORDER_CONCURRENCY} buyers at a time, up to ${ORDERS} buyers or ${ORDER_SECONDS} s;`,
      `CPU counted until every confirmation email was sent (at most ${MAIL_SECONDS} s after the last order):`,
      '',
      '| server | paid | failed | orders/s | order p50 ms | order p99 ms | mail sent after s | mail unsent | server CPU ms/order | PostgreSQL CPU ms/order | server write calls/order |',
      '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    );
    for (const o of orders) {
      const r = o.result;
      lines.push(
        `| ${o.label} | ${r.paid} | ${r.failed} | ${f(r.paid / r.seconds, 1)} | ${r.orderP50Ms.toFixed(1)} | ${r.orderP99Ms.toFixed(1)} | ${o.mailSeconds.toFixed(1)} | ${o.mailPending} | ${(o.serverCpuMs / Math.max(1, r.paid)).toFixed(2)} | ${(o.pgCpuMs / Math.max(1, r.paid)).toFixed(2)} | ${f(o.writeCalls / Math.max(1, r.paid), 1)} |`,
      );
      if (Object.keys(r.failures).length > 0) lines.push(`|   failures: ${JSON.stringify(r.failures)} |||||||||||`);
    }
  }
  const report = lines.join('\n');
  console.log(`\n${report}\n`);
  writeFileSync(join(OUT, 'report.md'), `${report}\n`);
  writeFileSync(join(OUT, 'wrk.txt'), rawLog);
  writeFileSync(join(OUT, 'report.json'), JSON.stringify({ stamp, args, summary, samples, orders }, null, 2));
} finally {
  await Promise.all([baseline?.stop(), ...products.map((p) => p.server.stop())]);
  for (const p of products) await monitor.query(`DROP SCHEMA IF EXISTS ${p.schema} CASCADE`).catch(() => undefined);
  await monitor.end();
  await mailMonitor.end();
  // The instances kept their waiting rooms and limits under tc:q:<schema> (main.ts): gone with the schema.
  const redis = new Redis(args['redis-url'], { maxRetriesPerRequest: 1 });
  try {
    for (const p of products) {
      for await (const keys of redis.scanStream({ match: `tc:q:${p.schema}*`, count: 1000 }) as AsyncIterable<string[]>) {
        if (keys.length > 0) await redis.del(...keys);
      }
    }
  } catch {
    // Leftover keys only cost memory; the next run uses new names.
  } finally {
    redis.disconnect();
  }
}
