import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { PG_URL, REDIS_URL, sleep } from './harness-env.js';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface Instance {
  url: string;
  proc: ChildProcess;
  pid: number | undefined;
  /** The process's output so far (the last megabyte). */
  output: () => string;
  alive(): boolean;
  /** `signal` (SIGTERM), then SIGKILL if it has not exited within `graceMs`. */
  stop(signal?: NodeJS.Signals, graceMs?: number): Promise<void>;
}

/** Drops the schema instances used (their own DATABASE_SCHEMA on the test PostgreSQL), with a connection of its own. */
export async function dropSchema(schema: string): Promise<void> {
  const c = new pg.Client({ connectionString: PG_URL });
  await c.connect();
  try {
    await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  } finally {
    await c.end();
  }
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

const OUTPUT_LIMIT = 1_000_000;

async function waitHealthy(url: string, exited: () => string | undefined, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const dead = exited();
    if (dead !== undefined) throw new Error(`instance ${url} exited during start: ${dead}`);
    try {
      const r = await fetch(`${url}/api/health`, { signal: AbortSignal.timeout(2_000) });
      if (r.ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`instance ${url} did not become healthy within ${timeoutMs / 1000} s`);
    await sleep(200);
  }
}

/**
 * Node flags for the processes a benchmark starts, from `BENCH_NODE_ARGS` (servers) or
 * `BENCH_CLIENT_NODE_ARGS` (load clients), e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`: for profiling
 * a run, not for its numbers.
 */
export const benchNodeArgs = (of: 'servers' | 'clients' = 'servers'): string[] =>
  (process.env[of === 'servers' ? 'BENCH_NODE_ARGS' : 'BENCH_CLIENT_NODE_ARGS'] ?? '').split(' ').filter(Boolean);

/**
 * Spawns `src/server/main.ts` (the real entry point) on loopback with exactly `env` over this
 * process's environment; `env.PORT` is required. `ready` settles once /api/health answers, so
 * callers can start several at once (the load tool) or one after the other (the tests).
 */
export function spawnInstance(env: Record<string, string>, o: { timeoutMs?: number; nodeArgs?: string[] } = {}): { instance: Instance; ready: Promise<void> } {
  if (!env.PORT) throw new Error('spawnInstance: env.PORT is required');
  const proc = spawn(process.execPath, [...(o.nodeArgs ?? []), '--import', 'tsx', 'src/server/main.ts'], {
    cwd: ROOT,
    env: { ...process.env, HOST: '127.0.0.1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  // Bounded: a long load run logs more than anyone reads, and only the end explains a crash.
  const keep = (d: Buffer) => {
    out += d.toString();
    if (out.length > OUTPUT_LIMIT) out = out.slice(-OUTPUT_LIMIT / 2);
  };
  proc.stdout!.on('data', keep);
  proc.stderr!.on('data', keep);
  const alive = () => proc.exitCode === null && proc.signalCode === null;
  const instance: Instance = {
    url: `http://127.0.0.1:${env.PORT}`,
    proc,
    pid: proc.pid,
    output: () => out,
    alive,
    async stop(signal = 'SIGTERM', graceMs = 15_000) {
      if (!alive()) return;
      const exited = new Promise((r) => proc.once('exit', r));
      proc.kill(signal);
      if (await Promise.race([exited.then(() => true), sleep(graceMs).then(() => false)])) return;
      if (alive()) proc.kill('SIGKILL');
      await Promise.race([exited, sleep(3_000)]);
    },
  };
  const ready = waitHealthy(instance.url, () => (alive() ? undefined : `(${proc.exitCode ?? proc.signalCode}) ${out.slice(-4000)}`), o.timeoutMs ?? 60_000);
  // The caller awaits `ready`; an unawaited rejection must not crash a process that stopped early.
  ready.catch(() => undefined);
  return { instance, ready };
}

/** Starts `npm start`'s server (without the web build) as a separate process on the test PostgreSQL + Redis. */
export async function startInstance(env: Record<string, string>): Promise<Instance> {
  const { instance, ready } = spawnInstance({
    PORT: String(await freePort()),
    DATABASE_URL: PG_URL,
    REDIS_URL,
    LOG_LEVEL: 'warn',
    WEB_DIST: '/nonexistent',
    ENABLE_LOAD_TEST_API: '1',
    ...env,
  });
  try {
    await ready;
  } catch (e) {
    await instance.stop('SIGKILL');
    throw e;
  }
  return instance;
}

/** fetch-based JSON client for a listening server. */
export async function http<T = any>(
  base: string,
  method: string,
  path: string,
  opts: { token?: string; body?: unknown } = {},
): Promise<{ status: number; body: T }> {
  const headers: Record<string, string> = {};
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  const r = await fetch(base + path, { method, headers, body: opts.body === undefined ? undefined : JSON.stringify(opts.body) });
  const text = await r.text();
  return { status: r.status, body: (text ? JSON.parse(text) : undefined) as T };
}

/**
 * A venue with one area, an event and a show on sale since a minute ago, made through the admin API
 * of the instances given (one per step, so a test can check they share one database).
 */
export async function onSaleShow(
  admin: string,
  at: { venue: string; event: string; show: string },
  o: { title: string; rows: number; seatsPerRow: number; pageCapacity: number; maxTicketsPerAccount?: number },
): Promise<{ id: string }> {
  const venue = await http(at.venue, 'POST', '/api/admin/venues', {
    token: admin,
    body: { name: 'Hall', city: 'Taipei', address: '', areas: [{ name: 'A', rows: o.rows, seatsPerRow: o.seatsPerRow }] },
  });
  const event = await http(at.event, 'POST', '/api/admin/events', { token: admin, body: { title: o.title, artist: 'Instances' } });
  const show = await http(at.show, 'POST', '/api/admin/shows', {
    token: admin,
    body: {
      eventId: event.body.event.id,
      venueId: venue.body.venue.id,
      startsAt: new Date(Date.now() + 86_400_000).toISOString(),
      onSaleAt: new Date(Date.now() - 60_000).toISOString(),
      pageCapacity: o.pageCapacity,
      ...(o.maxTicketsPerAccount === undefined ? {} : { maxTicketsPerAccount: o.maxTicketsPerAccount }),
      prices: [{ areaId: venue.body.venue.areas[0].id, price: 1000 }],
    },
  });
  if (show.status !== 201) throw new Error(`show: HTTP ${show.status} ${JSON.stringify(show.body)}`);
  return show.body.show;
}
