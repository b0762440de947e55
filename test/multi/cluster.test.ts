import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { io } from 'socket.io-client';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { REDIS_URL, sleep, uniqueName } from '../support/harness-env.js';
import { dropSchema, http, onSaleShow, startInstance, type Instance } from '../support/instances.js';
import { connect, emitAck, nextEvent, type ClientSocket } from '../support/sockets.js';
import { describeNeeding } from '../support/needs.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const ADMIN = { email: 'ops@example.com', password: 'opsopsops' };

/** The real entry point as `WORKERS=2 npm start` runs it, with `env` replacing the whole environment. */
function runEntryPoint(env: NodeJS.ProcessEnv): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, ['--import', 'tsx', 'src/server/main.ts'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    proc.stdout.on('data', (d) => (output += d));
    proc.stderr.on('data', (d) => (output += d));
    const timer = setTimeout(() => proc.kill('SIGKILL'), 30_000);
    proc.on('error', reject);
    proc.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** The parent pid of a process (Linux), or undefined. */
const parentOf = (pid: number): number | undefined => {
  try {
    return Number(readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')[1]);
  } catch {
    return undefined;
  }
};

/**
 * A Socket.IO session spoken by hand over HTTP long-polling (Engine.IO v4), so that the worker
 * answering each request (`x-worker`) is visible: every request of a session must reach the worker
 * that created it, each over a new TCP connection.
 */
class PollingSession {
  sid = '';
  owner = '';
  readonly workers: string[] = [];
  private ackId = 0;
  constructor(private readonly base: string) {}

  private async request(method: 'GET' | 'POST', body?: string): Promise<{ worker: string; text: string }> {
    const sid = this.sid ? `&sid=${this.sid}` : '';
    const r = await fetch(`${this.base}/socket.io/?EIO=4&transport=polling${sid}`, {
      method,
      body,
      headers: body === undefined ? undefined : { 'content-type': 'text/plain;charset=UTF-8' },
      signal: AbortSignal.timeout(10_000),
    });
    const text = await r.text();
    expect(r.status, text).toBe(200);
    const worker = r.headers.get('x-worker') ?? '';
    this.workers.push(worker);
    return { worker, text };
  }

  async open(token: string): Promise<void> {
    const handshake = await this.request('GET');
    expect(handshake.text.startsWith('0{')).toBe(true);
    this.sid = (JSON.parse(handshake.text.slice(1)) as { sid: string }).sid;
    this.owner = handshake.worker;
    await this.send(`40${JSON.stringify({ token })}`);
    expect((await this.receive()).some((p) => p.startsWith('40{'))).toBe(true);
  }

  async send(packets: string): Promise<void> {
    expect((await this.request('POST', packets)).text).toBe('ok');
  }

  /** One long-poll: the packets the server had or got next. */
  async receive(): Promise<string[]> {
    return (await this.request('GET')).text.split('\x1e');
  }

  async emitWithAck(event: string, payload: unknown): Promise<unknown> {
    const id = this.ackId++;
    await this.send(`42${id}${JSON.stringify([event, payload])}`);
    for (;;) {
      const ack = (await this.receive()).find((p) => p.startsWith(`43${id}[`));
      if (ack) return (JSON.parse(ack.slice(`43${id}`.length)) as unknown[])[0];
    }
  }

  async waitForEvent(event: string, ms = 8_000): Promise<unknown> {
    const deadline = Date.now() + ms;
    while (Date.now() < deadline) {
      const hit = (await this.receive()).find((p) => p.startsWith(`42["${event}"`));
      if (hit) return (JSON.parse(hit.slice(2)) as unknown[])[1];
    }
    throw new Error(`no ${event} within ${ms} ms`);
  }
}

describeNeeding(['postgres', 'redis'], 'cluster mode: WORKERS=2 through the real entry point', () => {
  const schema = uniqueName('cluster');
  let inst: Instance;
  let refusal: Promise<{ code: number | null; output: string }>;
  const workerPids = new Set<number>();
  const clients: ClientSocket[] = [];
  let showId: string | undefined;

  /** GET /api/health, remembering which worker answered. */
  const health = async (): Promise<string> => {
    const r = await fetch(`${inst.url}/api/health`, { signal: AbortSignal.timeout(10_000) });
    expect(r.status).toBe(200);
    expect(await r.json()).toMatchObject({ status: 'ok' });
    const worker = r.headers.get('x-worker');
    expect(worker).toMatch(/^\d+$/);
    workerPids.add(Number(worker));
    return worker!;
  };

  beforeAll(async () => {
    // Without DATABASE_URL and REDIS_URL more than one worker is refused (checked by the last test).
    const bare: NodeJS.ProcessEnv = { ...process.env, WORKERS: '2', DATA_DIR: `/tmp/${uniqueName('tc-refused')}`, LOG_LEVEL: 'warn' };
    delete bare.DATABASE_URL;
    delete bare.REDIS_URL;
    refusal = runEntryPoint(bare);
    inst = await startInstance({ WORKERS: '2', DATABASE_SCHEMA: schema, ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password });
  }, 90_000);

  afterAll(async () => {
    for (const c of clients) c.disconnect();
    // Only our own processes: the primary, and the workers it forked if it could not stop them.
    const ours = inst ? [...workerPids].filter((pid) => parentOf(pid) === inst.proc.pid) : [];
    await inst?.stop();
    if (inst && inst.proc.exitCode === null && inst.proc.signalCode === null) inst.proc.kill('SIGKILL');
    for (const pid of ours) if (alive(pid)) process.kill(pid, 'SIGKILL');
    await dropSchema(schema);
    if (showId) {
      // The waiting room of our show lives in the shared Redis: remove it so other instances do not sweep it.
      const redis = new Redis(REDIS_URL);
      await redis.zrem('tc:q:active', showId);
      const keys: string[] = [];
      let cursor = '0';
      do {
        const [next, batch] = await redis.scan(cursor, 'MATCH', `tc:q:{${showId}}:*`, 'COUNT', 1000);
        cursor = next;
        keys.push(...batch);
      } while (cursor !== '0');
      if (keys.length) await redis.del(...keys);
      redis.disconnect();
    }
  });

  it('answers /api/health from two distinct worker processes, not the primary', { timeout: 30_000 }, async () => {
    // Until both have started, the first one ready takes every new connection.
    const answered = new Set<string>();
    const deadline = Date.now() + 25_000;
    while (answered.size < 2 && Date.now() < deadline) {
      answered.add(await health());
      if (answered.size < 2) await sleep(100);
    }
    const last = new Set<string>();
    for (let i = 0; i < 4; i++) last.add(await health());
    // Both ready: new connections alternate.
    expect(last.size).toBe(2);
    expect(answered.size).toBe(2);
    expect([...answered].map(Number)).not.toContain(inst.proc.pid);
  });

  it('keeps HTTP long-polling sessions on their worker and fans events out across workers (Redis adapter)', async () => {
    const admin = (await http(inst.url, 'POST', '/api/auth/login', { body: ADMIN })).body.token as string;
    expect(admin).toBeTruthy();
    showId = (await onSaleShow(admin, { venue: inst.url, event: inst.url, show: inst.url }, { title: 'Cluster', rows: 2, seatsPerRow: 10, pageCapacity: 10 })).id;
    const users: { id: string; token: string }[] = (
      await http(inst.url, 'POST', '/api/admin/users/bulk', { token: admin, body: { count: 8, emailPrefix: uniqueName('cl'), password: 'password123' } })
    ).body.users;
    expect(users).toHaveLength(8);

    // Four hand-made polling sessions: the handshakes alternate between the workers.
    const sessions = users.slice(0, 4).map(() => new PollingSession(inst.url));
    for (const [i, s] of sessions.entries()) await s.open(users[i]!.token);
    expect(new Set(sessions.map((s) => s.owner)).size).toBe(2);
    for (const s of sessions) expect(await s.emitWithAck('queue:watch', { showId })).toEqual({ ok: true });

    // Each joins the waiting room through the *other* worker: the admission is published by one
    // worker and must reach the polling session held by the other.
    for (const [i, s] of sessions.entries()) {
      // Round-robin: after an answer from the owner, the next new connection goes to the other worker.
      for (let tries = 0; (await health()) !== s.owner && tries < 10; tries++);
      const r = await fetch(`${inst.url}/api/shows/${showId}/queue`, { method: 'POST', headers: { authorization: `Bearer ${users[i]!.token}` } });
      expect(r.status).toBe(200);
      expect(r.headers.get('x-worker')).not.toBe(s.owner);
      expect(await s.waitForEvent('queue:admitted')).toMatchObject({ showId });
    }
    for (const s of sessions) expect(new Set(s.workers)).toEqual(new Set([s.owner]));

    // The real client library, polling only (no WebSocket upgrade), spread over both workers.
    for (const u of users.slice(4)) {
      const c: ClientSocket = io(inst.url, { path: '/socket.io', auth: { token: u.token }, transports: ['polling'], reconnection: false, forceNew: true });
      clients.push(c);
      await new Promise<void>((resolve, reject) => {
        c.once('connect', () => resolve());
        c.once('connect_error', reject);
      });
      expect(c.io.engine.transport.name).toBe('polling');
      expect(await emitAck(c, 'queue:watch', showId)).toEqual({ ok: true });
    }
    await Promise.all(
      users.slice(4).map(async (u, k) => {
        const admitted = nextEvent(clients[k]!, 'queue:admitted', (e) => e.showId === showId, 8_000);
        expect((await http(inst.url, 'POST', `/api/shows/${showId}/queue`, { token: u.token })).status).toBe(200);
        await admitted;
      }),
    );
    for (const c of clients) expect(await emitAck(c, 'show:watch', showId)).toEqual({ ok: true });

    // And WebSockets, whose connections are handed to the workers as they are.
    for (const u of users.slice(0, 2)) {
      const ws = await connect(inst.url, u.token);
      clients.push(ws);
      expect(ws.io.engine.transport.name).toBe('websocket');
      expect(await emitAck(ws, 'show:watch', showId)).toEqual({ ok: true });
    }
  });

  it('restarts a worker that dies', async () => {
    const [victim] = [...workerPids].filter(alive);
    process.kill(victim!, 'SIGKILL');
    const deadline = Date.now() + 25_000;
    let current = new Set<string>();
    while (Date.now() < deadline) {
      // A connection handed to the victim just as it died is closed: like any crash, not a hang.
      current = new Set((await Promise.allSettled([health(), health()])).flatMap((r) => (r.status === 'fulfilled' ? [r.value] : [])));
      if (current.size === 2 && !current.has(String(victim))) break;
      await sleep(200);
    }
    expect(current.size).toBe(2);
    expect(current.has(String(victim))).toBe(false);
    expect(alive(victim!)).toBe(false);
  }, 30_000);

  it('stops the workers and exits 0 on SIGTERM', async () => {
    for (const c of clients.splice(0)) c.disconnect();
    const exited = new Promise<number | null>((resolve) => inst.proc.once('exit', (code) => resolve(code)));
    inst.proc.kill('SIGTERM');
    expect(await exited).toBe(0);
    for (const pid of workerPids) expect(alive(pid)).toBe(false);
  }, 20_000);

  it('refuses WORKERS=2 without DATABASE_URL and REDIS_URL, naming WORKERS', async () => {
    const { code, output } = await refusal;
    expect(code).not.toBe(0);
    expect(code).not.toBeNull();
    expect(output).toMatch(/WORKERS/);
  });
});
