import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { PG_URL, REDIS_URL, sleep } from './harness-env.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface Instance {
  url: string;
  proc: ChildProcess;
  output: () => string;
  stop(signal?: NodeJS.Signals): Promise<void>;
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

/** Starts `npm start`'s server (without the web build) as a separate process on PostgreSQL + Redis. */
export async function startInstance(env: Record<string, string>): Promise<Instance> {
  const port = await freePort();
  const proc = spawn(process.execPath, ['--import', 'tsx', 'src/server/main.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_URL: PG_URL,
      REDIS_URL,
      LOG_LEVEL: 'warn',
      WEB_DIST: '/nonexistent',
      ENABLE_LOAD_TEST_API: '1',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  proc.stdout!.on('data', (d) => (out += d));
  proc.stderr!.on('data', (d) => (out += d));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (proc.exitCode !== null || proc.signalCode !== null) throw new Error(`instance exited (${proc.exitCode ?? proc.signalCode}): ${out}`);
    try {
      const r = await fetch(`${url}/api/health`);
      if (r.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`instance did not start: ${out}`);
    await sleep(200);
  }
  return {
    url,
    proc,
    output: () => out,
    async stop(signal = 'SIGTERM') {
      if (proc.exitCode !== null) return;
      const exited = new Promise((r) => proc.once('exit', r));
      proc.kill(signal);
      await Promise.race([exited, sleep(15_000)]);
    },
  };
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
