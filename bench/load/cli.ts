/**
 * npm run load -- <scenario> [options]
 *
 *   connections --target N [--instances K] [--clients P] [--rate R] [--hold S] [--move-rate A]
 *   sale --buyers N --seats M [--workers K] [--burst R] [--capacity C] [--window S] [--abandon F] [--kill-one]
 *
 * Starts K server instances itself (fresh PostgreSQL schema, shared Redis, ENABLE_LOAD_TEST_API=1)
 * unless --url a,b,c names running ones; creates a show and its fans through the admin API; runs
 * the scenario from P forked client processes bound to loopback source addresses 127.0.0.2, ...;
 * writes bench-results/<scenario>-<timestamp>.{json,md} and SVG charts (ignored by git);
 * cleans up. Every phase is bounded by --max-seconds. `npm run load -- --help` lists the options.
 */
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { serverEnv, type CommonOptions, type Context } from './context.js';
import { JsonClient } from './http.js';
import { DEFAULT_PER_ADDRESS } from './pool.js';
import { Progress } from './progress.js';
import { RESULTS_DIR, type ReportFiles } from './report.js';
import { MAX_SOCKETS_PER_CLIENT, runConnections } from './scenarios/connections.js';
import { MAX_BUYERS_PER_CLIENT, runSale } from './scenarios/sale.js';
import { ROOT, externalInstances, startInstances, stopInstances, type ServerInstance } from './servers.js';
import { adminLogin } from './setup.js';
import { isLoopbackUrl } from './util.js';

const HELP = `npm run load -- <connections|sale> [options]

Targets
  --url a,b,c            use running instances instead of starting them (loopback only)
  --instances K          instances to start (alias --workers); default: connections ceil(N/18000), sale 2
  --server-workers W     WORKERS=W for each started instance (cluster mode)
  --grace S              QUEUE_GRACE_SECONDS of started instances (default 30)
  --pg URL               PostgreSQL (default postgres://postgres@127.0.0.1:5432/test)
  --pg-pool N            DATABASE_POOL_SIZE per started server process (default: 80 shared out, 2..10)
  --schema NAME          with --url: the servers' DATABASE_SCHEMA, for the database checks
  --redis URL            Redis for started instances (default redis://127.0.0.1:6379)
  --admin-email E --admin-password P   with --url (default admin@test.com / adminadmin)
Clients
  --clients P            client processes (connections: <= ${MAX_SOCKETS_PER_CLIENT} sockets each, sale: <= ${MAX_BUYERS_PER_CLIENT} buyers each)
  --src-base A           first source address (default 127.0.0.2); each client binds its own
  --per-address N        sockets per source address (default 4000 of its ~28k ephemeral ports: see pool.ts)
Show
  --capacity C           pageCapacity (connections 100, sale 100)
  --window S             purchaseWindowSeconds (connections 600, sale 30)
connections
  --target N             waiting-room connections to hold (required)
  --rate R               new connections per second, all clients together (default 1000)
  --hold S               seconds to hold them while the line moves (default 30)
  --move-rate A          admitted accounts that leave per second during the hold (default 20)
  --in-flight N          connection attempts in progress at once, all clients (default 500)
  --watch-only F         share of the connections that watch without joining, as fans with no place (default 0)
sale
  --buyers N --seats M   (required)
  --burst R              joins per second (default 200)
  --abandon F            fraction that abandons after admission: half leave, half let the window run out (default 0.1)
  --quit F               fraction that leaves the line while waiting (default 0.02)
  --tickets T            seats per buyer = maxTicketsPerAccount (default 1)
  --think MS             pause between a buyer's steps (default 0)
  --connect-rate R       buyers coming online per second before the sale (default 2000)
  --kill-one             SIGKILL the last instance mid-sale (at --kill-at S, else at 30% sold)
  --fifo-tolerance MS    admission-time skew tolerated between instances (default 250)
Run
  --out DIR              report directory (default bench-results, ignored by git)
  --max-seconds S        hard bound on the whole run
  --seed N               random choices (default 1)
  --keep                 keep the database schema of started instances
`;

function num(v: string | undefined, name: string, dflt?: number): number {
  if (v === undefined) {
    if (dflt === undefined) throw new Error(`--${name} is required`);
    return dflt;
  }
  const n = Number(v);
  if (!Number.isFinite(n)) throw new Error(`--${name}: not a number: ${v}`);
  return n;
}

function intIn(v: string | undefined, name: string, min: number, max: number, dflt?: number): number {
  const n = num(v, name, dflt);
  if (!Number.isInteger(n) || n < min || n > max) throw new Error(`--${name} must be an integer in ${min}..${max}, got ${n}`);
  return n;
}

function fraction(v: string | undefined, name: string, dflt: number): number {
  const n = num(v, name, dflt);
  if (n < 0 || n > 1) throw new Error(`--${name} must be between 0 and 1`);
  return n;
}

async function main(): Promise<number> {
  const { values: a, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      help: { type: 'boolean', short: 'h' },
      url: { type: 'string' },
      instances: { type: 'string' },
      workers: { type: 'string' },
      'server-workers': { type: 'string' },
      clients: { type: 'string' },
      grace: { type: 'string' },
      capacity: { type: 'string' },
      window: { type: 'string' },
      pg: { type: 'string' },
      'pg-pool': { type: 'string' },
      schema: { type: 'string' },
      redis: { type: 'string' },
      'admin-email': { type: 'string' },
      'admin-password': { type: 'string' },
      'src-base': { type: 'string' },
      'per-address': { type: 'string' },
      out: { type: 'string' },
      'max-seconds': { type: 'string' },
      seed: { type: 'string' },
      keep: { type: 'boolean' },
      target: { type: 'string' },
      rate: { type: 'string' },
      hold: { type: 'string' },
      'move-rate': { type: 'string' },
      'in-flight': { type: 'string' },
      'watch-only': { type: 'string' },
      buyers: { type: 'string' },
      seats: { type: 'string' },
      burst: { type: 'string' },
      abandon: { type: 'string' },
      quit: { type: 'string' },
      tickets: { type: 'string' },
      think: { type: 'string' },
      'connect-rate': { type: 'string' },
      'kill-one': { type: 'boolean' },
      'kill-at': { type: 'string' },
      'fifo-tolerance': { type: 'string' },
    },
  });
  const scenario = positionals[0];
  if (a.help || !scenario) {
    process.stdout.write(HELP);
    return a.help ? 0 : 2;
  }
  if (scenario !== 'connections' && scenario !== 'sale') throw new Error(`unknown scenario ${scenario}: connections or sale`);

  const urls = a.url
    ?.split(',')
    .map((u) => u.trim().replace(/\/+$/, ''))
    .filter(Boolean);
  for (const u of urls ?? []) if (!isLoopbackUrl(u)) throw new Error(`--url ${u}: only loopback targets (127.0.0.0/8, localhost, ::1) are allowed`);

  const target = scenario === 'connections' ? intIn(a.target, 'target', 1, 2_000_000) : 0;
  const buyersN = scenario === 'sale' ? intIn(a.buyers, 'buyers', 1, 2_000_000) : 0;
  const defaultInstances = scenario === 'connections' ? Math.max(1, Math.ceil(target / 18_000)) : 2;
  const instances = urls ? urls.length : intIn(a.instances ?? a.workers, 'instances', 1, 64, defaultInstances);
  const common: CommonOptions = {
    urls,
    instances,
    serverWorkers: a['server-workers'] !== undefined ? intIn(a['server-workers'], 'server-workers', 1, 64) : undefined,
    grace: intIn(a.grace, 'grace', 1, 3600, 30),
    pg: a.pg ?? 'postgres://postgres@127.0.0.1:5432/test',
    pgPool: a['pg-pool'] === undefined ? undefined : intIn(a['pg-pool'], 'pg-pool', 1, 1000),
    schema: a.schema,
    redis: a.redis ?? 'redis://127.0.0.1:6379',
    adminEmail: a['admin-email'],
    adminPassword: a['admin-password'],
    srcBase: a['src-base'] ?? '127.0.0.2',
    perAddress: intIn(a['per-address'], 'per-address', 100, 28_000, DEFAULT_PER_ADDRESS),
    out: path.resolve(ROOT, a.out ?? RESULTS_DIR),
    seed: intIn(a.seed, 'seed', 0, 2 ** 31, 1),
    keep: a.keep ?? false,
  };
  for (const u of [common.pg, common.redis]) {
    const h = new URL(u).hostname;
    if (!['127.0.0.1', 'localhost', '::1', '[::1]'].includes(h)) throw new Error(`${u}: the load tool only talks to services on this machine`);
  }

  const started = new Date();
  const runId = `lt${started.getTime().toString(36)}${randomBytes(2).toString('hex')}`;
  const progress = new Progress();
  const log = (s: string) => progress.log(`[load] ${s}`);
  let aborted = false;
  const cleanups: (() => Promise<void>)[] = [];
  let instancesList: ServerInstance[] = [];
  let schema: string | undefined;
  let mainHttp = new JsonClient([], {});

  const onSignal = () => {
    if (aborted) return;
    aborted = true;
    log('interrupted: stopping clients and servers');
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  try {
    // ---- targets
    let adminEmail = common.adminEmail ?? 'admin@test.com';
    let adminPassword = common.adminPassword ?? 'adminadmin';
    if (urls) {
      instancesList = externalInstances(urls);
      log(`targets: ${urls.join(', ')} (pids ${instancesList.map((i) => i.pid ?? '?').join(', ')})`);
    } else {
      schema = `load_${runId}`;
      adminEmail = `admin-${runId}@load.test`;
      adminPassword = randomBytes(12).toString('hex');
      log(`starting ${instances} instance(s) on ${common.pg} schema ${schema}, ${common.redis}`);
      instancesList = await startInstances(instances, serverEnv(common, schema, { email: adminEmail, password: adminPassword }), log);
    }
    mainHttp = new JsonClient(
      instancesList.map((i) => i.url),
      { maxSockets: 64 },
    );
    const adminToken = await adminLogin(mainHttp, adminEmail, adminPassword);

    const seconds = (n: number | undefined, d: number) => (a['max-seconds'] !== undefined ? num(a['max-seconds'], 'max-seconds') : (n ?? d));
    const ctx: Context = {
      runId,
      started,
      progress,
      instances: instancesList,
      http: mainHttp,
      adminToken,
      managed: !urls,
      db: urls ? (common.schema || a.pg ? { url: common.pg, schema: common.schema } : undefined) : { url: common.pg, schema },
      redisUrl: urls ? undefined : common.redis,
      common,
      deadlineAt: 0,
      aborted: () => aborted,
      log,
      onCleanup: (fn) => cleanups.push(fn),
    };

    let result: { files: ReportFiles; summary: string; ok: boolean };
    if (scenario === 'connections') {
      const rate = num(a.rate, 'rate', 1000);
      const hold = num(a.hold, 'hold', 30);
      ctx.deadlineAt = Date.now() + seconds(undefined, 600 + Math.ceil((target / rate) * 4) + hold + target / 1_000) * 1000;
      result = await runConnections(ctx, {
        target,
        clients: intIn(a.clients, 'clients', 1, 256, Math.max(1, Math.ceil(target / MAX_SOCKETS_PER_CLIENT))),
        rate,
        hold,
        moveRate: num(a['move-rate'], 'move-rate', 20),
        capacity: intIn(a.capacity, 'capacity', 1, 100_000, 100),
        window: intIn(a.window, 'window', 5, 3600, 600),
        inFlight: intIn(a['in-flight'], 'in-flight', 1, 100_000, 500),
        watchOnly: fraction(a['watch-only'], 'watch-only', 0),
      });
    } else {
      const seats = intIn(a.seats, 'seats', 1, 200_000);
      const burst = num(a.burst, 'burst', 200);
      const window = intIn(a.window, 'window', 5, 3600, 30);
      ctx.deadlineAt = Date.now() + seconds(undefined, 600 + Math.ceil((buyersN / burst) * 2) + 10 * window + buyersN / 200) * 1000;
      result = await runSale(ctx, {
        buyers: buyersN,
        seats,
        clients: intIn(a.clients, 'clients', 1, 256, Math.max(1, Math.ceil(buyersN / MAX_BUYERS_PER_CLIENT))),
        burst,
        capacity: intIn(a.capacity, 'capacity', 1, 100_000, 100),
        window,
        abandon: fraction(a.abandon, 'abandon', 0.1),
        quit: fraction(a.quit, 'quit', 0.02),
        tickets: intIn(a.tickets, 'tickets', 1, 20, 1),
        thinkMs: num(a.think, 'think', 0),
        killOne: a['kill-one'] ?? false,
        killAt: a['kill-at'] !== undefined ? num(a['kill-at'], 'kill-at') : undefined,
        fifoToleranceMs: num(a['fifo-tolerance'], 'fifo-tolerance', 250),
        connectRate: num(a['connect-rate'], 'connect-rate', 2000),
      });
    }
    progress.stop();
    for (const i of instancesList) {
      if (i.proc && !i.alive() && i.proc.signalCode !== 'SIGKILL') console.error(`instance ${i.url} died:\n${i.output().slice(-3000)}`);
    }
    console.log(`\n${result.summary}\n`);
    console.log(`report: ${path.relative(ROOT, result.files.md)} (+ .json, ${result.files.svgs.length} charts)`);
    return result.ok ? 0 : 1;
  } finally {
    progress.stop();
    for (const fn of cleanups) await fn().catch((e) => console.error(`cleanup: ${(e as Error).message}`));
    if (!urls) {
      await stopInstances(instancesList);
      if (schema && !common.keep) {
        const c = new pg.Client({ connectionString: common.pg });
        try {
          await c.connect();
          await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
        } catch (e) {
          console.error(`could not drop schema ${schema}: ${(e as Error).message}`);
        } finally {
          await c.end().catch(() => undefined);
        }
      } else if (schema) console.error(`kept schema ${schema}`);
    }
    mainHttp.close();
  }
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(`load: ${e instanceof Error ? e.message : String(e)}`);
    if (e instanceof Error && process.env.LOAD_DEBUG) console.error(e.stack);
    process.exit(1);
  },
);
