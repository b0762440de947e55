import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { io } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { memoryLimiters } from '../../src/server/adapters/memory/memory-limiter.js';
import { MemoryQueueStore } from '../../src/server/adapters/memory/memory-queue-store.js';
import { buildApp, type TicketClub } from '../../src/server/app.js';
import { AppError } from '../../src/server/platform/errors.js';
import { loadConfig } from '../../src/server/platform/config.js';
import { opsOf } from '../../src/server/platform/ops/index.js';
import { ERROR_MESSAGES } from '../../src/shared/errors.js';
import { call, createShow, newAdmin, newCustomers } from '../support/api-client.js';
import { openTestDb, startHarness, type Harness } from '../support/harness.js';
import { connect, emitAck } from '../support/sockets.js';
import { spelling } from '../support/spellings.js';

/** An app on in-memory PGlite with its JSON log lines captured; listening on a loopback port. */
async function loggedApp(env: Record<string, string>): Promise<{ ticketClub: TicketClub; url: string; lines: string[]; close(): Promise<void> }> {
  const t = await openTestDb('pglite');
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, cb) {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      cb();
    },
  });
  const tc = await buildApp({
    config: loadConfig({ WEB_DIST: '/nonexistent', ENABLE_LOAD_TEST_API: '1', ...env }),
    db: t.db,
    queueStore: new MemoryQueueStore(),
    limiters: memoryLimiters,
    logger: { level: 'info', stream },
  });
  await tc.app.listen({ port: 0, host: '127.0.0.1' });
  const url = `http://127.0.0.1:${(tc.app.server.address() as AddressInfo).port}`;
  return {
    ticketClub: tc,
    url,
    lines,
    async close() {
      await tc.close();
      await t.drop();
    },
  };
}

/** The handshake's refusal as the client sees it. */
function refusal(url: string, token: string): Promise<{ message: string; code?: string }> {
  return new Promise((resolve, reject) => {
    const s = io(url, { path: '/socket.io', auth: { token }, transports: ['websocket'], reconnection: false, forceNew: true, timeout: 5_000 });
    s.once('connect', () => {
      s.disconnect();
      reject(new Error('connected'));
    });
    s.once('connect_error', (e: Error & { data?: { code?: string } }) => {
      s.disconnect();
      resolve({ message: e.message, code: e.data?.code });
    });
  });
}

describe('socket handshake errors', () => {
  let app: Awaited<ReturnType<typeof loggedApp>>;
  beforeAll(async () => {
    app = await loggedApp({});
  });
  afterAll(async () => {
    await app?.close();
  });

  it('when authenticate fails with an unknown error, then the client gets INTERNAL with the generic message and the error is logged', async () => {
    const secret = 'relation "sessions" does not exist (host db-7.internal)';
    const spy = vi.spyOn(app.ticketClub.services.auth, 'authenticate').mockRejectedValueOnce(new Error(secret));
    try {
      const r = await refusal(app.url, 'a'.repeat(43));
      expect(r).toEqual({ message: ERROR_MESSAGES.INTERNAL, code: 'INTERNAL' });
      expect(JSON.stringify(r)).not.toContain('sessions');
    } finally {
      spy.mockRestore();
    }
    const logged = app.lines.map((l) => JSON.parse(l) as { level: number; msg: string; err?: { message?: string } }).find((l) => l.msg === 'socket handshake failed');
    expect(logged?.level).toBe(50);
    expect(logged?.err?.message).toBe(secret);
  });

  it('when authenticate refuses with a catalogue error, then the client gets that code and message', async () => {
    const spy = vi.spyOn(app.ticketClub.services.auth, 'authenticate').mockRejectedValueOnce(new AppError('UNAVAILABLE'));
    try {
      expect(await refusal(app.url, 'a'.repeat(43))).toEqual({ message: ERROR_MESSAGES.UNAVAILABLE, code: 'UNAVAILABLE' });
    } finally {
      spy.mockRestore();
    }
    expect(await refusal(app.url, 'not-a-session')).toEqual({ message: ERROR_MESSAGES.UNAUTHENTICATED, code: 'UNAUTHENTICATED' });
  });
});

describe('socket event errors', () => {
  let app: Awaited<ReturnType<typeof loggedApp>>;
  let admin: string;
  let showId: string;
  beforeAll(async () => {
    app = await loggedApp({});
    admin = await newAdmin(app.ticketClub, app.ticketClub.app);
    showId = (await createShow(app.ticketClub.app, admin)).id;
  });
  afterAll(async () => {
    await app?.close();
  });

  type Logged = { level: number; msg: string; reqId?: string; event?: string; socketId?: string; err?: { message?: string } };

  it.each([
    ['queue:watch', () => vi.spyOn(app.ticketClub.services.queue, 'look')],
    ['show:watch', () => vi.spyOn(app.ticketClub.services.catalogue, 'rules')],
    ['stats:watch', () => vi.spyOn(app.ticketClub.services.queue, 'stats')],
  ] as const)('when the %s handler fails with an unknown error, then the client is acked INTERNAL with nothing more and the error is logged with a request id', async (event, spyOn) => {
    const secret = `connection to db-7.internal lost during ${event}`;
    const spy = spyOn().mockRejectedValueOnce(new Error(secret));
    const socket = await connect(app.url, admin);
    try {
      const ack = await emitAck(socket, event, showId);
      expect(ack).toEqual({ error: { code: 'INTERNAL', message: ERROR_MESSAGES.INTERNAL } });
      const logged = app.lines.map((l) => JSON.parse(l) as Logged).find((l) => l.msg === 'socket event failed' && l.err?.message === secret);
      expect(logged).toMatchObject({ level: 50, event, socketId: socket.id });
      expect(logged?.reqId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
      // The handler works again once the fault has passed.
      expect(await emitAck(socket, event, showId)).toEqual({ ok: true });
    } finally {
      spy.mockRestore();
      socket.disconnect();
    }
  });

  it('when a handler refuses with a catalogue error, then that code is acked and nothing is logged as failed', async () => {
    const socket = await connect(app.url, admin);
    try {
      const before = app.lines.length;
      expect(await emitAck(socket, 'show:watch', '00000000-0000-4000-8000-000000000000')).toMatchObject({ error: { code: 'NOT_FOUND' } });
      expect(await emitAck(socket, 'queue:watch', 'not-an-id')).toMatchObject({ error: { code: 'VALIDATION_FAILED' } });
      expect(app.lines.slice(before).filter((l) => (JSON.parse(l) as Logged).msg === 'socket event failed')).toEqual([]);
    } finally {
      socket.disconnect();
    }
  });
});

describe('the session cookie', () => {
  const cookieOf = (headers: Record<string, unknown>): string => {
    const c = headers['set-cookie'];
    return (Array.isArray(c) ? c : [String(c)]).find((x) => x.startsWith('tc_session=')) ?? '';
  };
  const isSecure = (cookie: string) => /;\s*Secure/i.test(cookie);
  let n = 0;
  const signup = (h: Harness, headers: Record<string, string> = {}) =>
    call(h.ticketClub.app, 'POST', '/api/auth/signup', { body: { name: 'C', email: `cookie${Date.now()}${++n}@example.com`, password: 'password123' }, headers });

  let demo: Harness;
  let prod: Harness;
  let prodHttp: Harness;
  let direct: Harness;
  beforeAll(async () => {
    demo = await startHarness();
    prod = await startHarness({ env: { DEMO_DATA: '0' } });
    prodHttp = await startHarness({ env: { DEMO_DATA: '0', COOKIE_SECURE: '0' } });
    direct = await startHarness({ env: { TRUST_PROXY: '0' } });
  });
  afterAll(async () => {
    await Promise.all([demo, prod, prodHttp, direct].map((h) => h?.close()));
  });

  it('in demo mode over plain HTTP is not Secure, but is when a trusted proxy says the request came over HTTPS', async () => {
    const plain = await signup(demo);
    expect(plain.status).toBe(201);
    expect(cookieOf(plain.headers)).toMatch(/HttpOnly/i);
    expect(isSecure(cookieOf(plain.headers))).toBe(false);
    const proxied = await signup(demo, { 'x-forwarded-proto': 'https' });
    expect(isSecure(cookieOf(proxied.headers))).toBe(true);
    const login = await call(demo.ticketClub.app, 'POST', '/api/auth/login', {
      body: { email: proxied.body.user.email, password: 'password123' },
      headers: { 'x-forwarded-proto': 'https' },
    });
    expect(login.status).toBe(200);
    expect(isSecure(cookieOf(login.headers))).toBe(true);
  });

  it('ignores X-Forwarded-Proto without a trusted proxy', async () => {
    expect(isSecure(cookieOf((await signup(direct, { 'x-forwarded-proto': 'https' })).headers))).toBe(false);
  });

  it('outside demo mode is Secure by default; COOKIE_SECURE=0 turns that off for plain-HTTP setups, not for HTTPS requests', async () => {
    expect(prod.ticketClub.app.hasRoute({ method: 'GET', url: '/metrics' })).toBe(false);
    expect(isSecure(cookieOf((await signup(prod)).headers))).toBe(true);
    expect(isSecure(cookieOf((await signup(prodHttp)).headers))).toBe(false);
    expect(isSecure(cookieOf((await signup(prodHttp, { 'x-forwarded-proto': 'https' })).headers))).toBe(true);
    // The default alone does not pin browsers to HTTPS: that stays the operator's explicit call.
    for (const url of ['/api/health', '/']) {
      const r = await prod.ticketClub.app.inject({ method: 'GET', url });
      expect(r.headers['strict-transport-security'], url).toBeUndefined();
      expect(String(r.headers['content-security-policy']), url).not.toContain('upgrade-insecure-requests');
    }
  });
});

describe('/metrics', () => {
  it('outside demo mode without METRICS_TOKEN is off, and the start says so; with a token it needs the token', async () => {
    const off = await loggedApp({ DEMO_DATA: '0' });
    const token = 'metrics-secret-0123456789';
    const guarded = await loggedApp({ DEMO_DATA: '0', METRICS_TOKEN: token });
    try {
      expect((await off.ticketClub.app.inject({ method: 'GET', url: '/metrics' })).statusCode).toBe(404);
      expect(off.lines.some((l) => /\/metrics is off.*METRICS_TOKEN/.test(JSON.parse(l).msg))).toBe(true);
      expect((await guarded.ticketClub.app.inject({ method: 'GET', url: '/metrics' })).statusCode).toBe(401);
      const ok = await guarded.ticketClub.app.inject({ method: 'GET', url: '/metrics', headers: { authorization: `Bearer ${token}` } });
      expect(ok.statusCode).toBe(200);
      expect(guarded.lines.some((l) => /\/metrics is off/.test(JSON.parse(l).msg))).toBe(false);
    } finally {
      await off.close();
      await guarded.close();
    }
  });

  describe('labels', () => {
    let h: Harness;
    beforeAll(async () => {
      h = await startHarness();
    });
    afterAll(async () => {
      await h?.close();
    });

    it('name only real shows by their one spelling, and routes only by their pattern', async () => {
      const app = h.ticketClub.app;
      const admin = await newAdmin(h.ticketClub, app);
      const show = await createShow(app, admin, { pageCapacity: 1 });
      const fans = await newCustomers(app, admin, 6);
      // Joins under many spellings, of the show and of shows that do not exist.
      for (const [i, fan] of fans.entries()) {
        await call(app, 'POST', `/api/shows/${spelling(show.id, i * 37 + 1)}/queue`, { token: fan.token });
        await call(app, 'GET', `/api/shows/${spelling(show.id, i * 11 + 3)}/queue`, { token: fan.token });
        await call(app, 'POST', `/api/shows/${crypto.randomUUID().toUpperCase()}/queue`, { token: fan.token });
        await call(app, 'GET', `/api/nothing/${crypto.randomUUID()}/here-${i}`);
        await call(app, 'GET', `/${crypto.randomUUID()}.php?x=${i}`);
      }
      const text = (await app.inject({ method: 'GET', url: '/metrics' })).body;
      const showLabels = new Set([...text.matchAll(/show_id="([^"]*)"/g)].map((m) => m[1]));
      expect([...showLabels]).toEqual([show.id]);
      expect(text).toMatch(new RegExp(`ticketclub_queue_waiting\\{show_id="${show.id}"\\} 5`));
      expect(text).toMatch(new RegExp(`ticketclub_queue_joins_total\\{show_id="${show.id}"\\} 6`));

      const patterns = new Set([...opsOf(app)!.routes.map((r) => r.url), 'unmatched']);
      const routeLabels = new Set([...text.matchAll(/route="([^"]*)"/g)].map((m) => m[1]!));
      expect(routeLabels.size).toBeGreaterThan(2);
      for (const r of routeLabels) expect(patterns, r).toContain(r);
    });
  });
});
