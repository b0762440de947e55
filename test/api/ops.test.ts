import { readFileSync } from 'node:fs';
import { Writable } from 'node:stream';
import Fastify from 'fastify';
import { io as ioClient } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryLimiters } from '../../src/server/adapters/memory/memory-limiter.js';
import { MemoryQueueStore } from '../../src/server/adapters/memory/memory-queue-store.js';
import { buildApp, type TicketClub } from '../../src/server/app.js';
import { loadConfig } from '../../src/server/platform/config.js';
import type { Database } from '../../src/server/platform/database.js';
import { opsOf } from '../../src/server/platform/ops/index.js';
import { openApiDocs, UNDOCUMENTED_TAG } from '../../src/server/platform/ops/openapi.js';
import { gracefulShutdown } from '../../src/server/platform/ops/shutdown.js';
import { call, createShow, newAdmin, newCustomer, newCustomers } from '../support/api-client.js';
import { openTestDb, startHarness, uniqueName, type Harness } from '../support/harness.js';
import { declaredRoutes } from '../support/routes.js';
import { dropSchema, http, startInstance } from '../support/instances.js';
import { connect, emitAck, sleep, type ClientSocket } from '../support/sockets.js';
import { admit, GOOD_CARD, seatIdsOf } from './seat-helpers.js';
import { itNeeding } from '../support/needs.js';

/** Every path of the contract (docs/api.md); the document must list each. */
const API_MD_OPERATIONS = [
  'GET /api/health',
  'POST /api/auth/signup',
  'POST /api/auth/login',
  'POST /api/auth/logout',
  'GET /api/me',
  'GET /api/events',
  'GET /api/events/{eventId}',
  'GET /api/shows/{showId}',
  'POST /api/shows/{showId}/queue',
  'GET /api/shows/{showId}/queue',
  'DELETE /api/shows/{showId}/queue',
  'GET /api/shows/{showId}/seats',
  'POST /api/shows/{showId}/seats/{seatId}/hold',
  'DELETE /api/shows/{showId}/seats/{seatId}/hold',
  'POST /api/shows/{showId}/checkout',
  'POST /api/orders/{orderId}/pay',
  'DELETE /api/orders/{orderId}',
  'GET /api/orders',
  'GET /api/orders/{orderId}',
  'POST /api/admin/venues',
  'POST /api/admin/events',
  'POST /api/admin/shows',
  'GET /api/admin/shows/{showId}/stats',
  'POST /api/admin/users/bulk',
];

const toOpenApiPath = (url: string) => url.replace(/:(\w+)/g, '{$1}');

/** The value of one sample in the Prometheus text format, or undefined. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    if (!line.startsWith(name)) continue;
    const m = /^([a-zA-Z_:][\w:]*)(\{(.*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const got = Object.fromEntries([...(m[3] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((x) => [x[1], x[2]]));
    if (Object.entries(labels).every(([k, v]) => got[k] === v)) return Number(m[4]);
  }
  return undefined;
}

describe('operations', () => {
  let h: Harness;
  let url: string;
  let admin: string;
  const sockets: ClientSocket[] = [];
  const app = () => h.ticketClub.app;
  const metrics = async () => (await app().inject({ method: 'GET', url: '/metrics' })).body;

  beforeAll(async () => {
    h = await startHarness({ db: 'pglite' });
    url = await h.listen();
    admin = await newAdmin(h.ticketClub, app());
  });
  afterAll(async () => {
    for (const s of sockets) s.disconnect();
    await h?.close();
  });

  describe('metrics', () => {
    it('serves Prometheus text without login, with Node defaults and latency by route pattern', async () => {
      const show = await createShow(app(), admin);
      await call(app(), 'GET', `/api/shows/${show.id}`);
      await call(app(), 'GET', '/api/no-such-thing');
      const r = await app().inject({ method: 'GET', url: '/metrics' });
      expect(r.statusCode).toBe(200);
      expect(r.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
      expect(r.body).toContain('process_cpu_user_seconds_total');
      expect(r.body).toContain('nodejs_eventloop_lag_seconds');
      expect(sample(r.body, 'ticketclub_http_request_duration_seconds_count', { route: '/api/shows/:showId', method: 'GET', status_code: '200' })).toBeGreaterThanOrEqual(1);
      // Unmatched URLs share one label value: a scan cannot blow up the series count.
      expect(sample(r.body, 'ticketclub_http_request_duration_seconds_count', { route: 'unmatched', status_code: '404' })).toBeGreaterThanOrEqual(1);
      expect(r.body).not.toContain('/api/no-such-thing');
    });

    it('reports waiting and admitted per show, admissions, ends by reason, holds and sales', async () => {
      const show = await createShow(app(), admin, { pageCapacity: 1 });
      const [a, b] = await newCustomers(app(), admin, 2);
      await admit(app(), show.id, a!.token);
      expect((await call(app(), 'POST', `/api/shows/${show.id}/queue`, { token: b!.token })).body.state).toBe('waiting');

      let text = await metrics();
      expect(sample(text, 'ticketclub_queue_waiting', { show_id: show.id })).toBe(1);
      expect(sample(text, 'ticketclub_queue_admitted', { show_id: show.id })).toBe(1);
      expect(sample(text, 'ticketclub_queue_admissions_total', { show_id: show.id })).toBe(1);

      const [seat] = await seatIdsOf(h.db, show.id);
      expect((await call(app(), 'POST', `/api/shows/${show.id}/seats/${seat}/hold`, { token: a!.token })).status).toBe(200);
      const order = await call(app(), 'POST', `/api/shows/${show.id}/checkout`, { token: a!.token, body: { seatIds: [seat] } });
      expect(order.status).toBe(201);
      const paid = await call(app(), 'POST', `/api/orders/${order.body.order.id}/pay`, { token: a!.token, body: { method: 'card', card: GOOD_CARD } });
      expect(paid.status).toBe(200);
      await call(app(), 'DELETE', `/api/shows/${show.id}/queue`, { token: b!.token });

      text = await metrics();
      expect(sample(text, 'ticketclub_queue_ended_total', { show_id: show.id, reason: 'purchased' })).toBe(1);
      expect(sample(text, 'ticketclub_queue_ended_total', { show_id: show.id, reason: 'left' })).toBe(1);
      expect(sample(text, 'ticketclub_queue_admissions_total', { show_id: show.id })).toBe(2);
      expect(sample(text, 'ticketclub_seat_holds_total')).toBeGreaterThanOrEqual(1);
      expect(sample(text, 'ticketclub_tickets_sold_total')).toBeGreaterThanOrEqual(1);
    });

    // QueueService calls events.onJoined once its owner adds the one-line hook (see the ops report).
    const joinHookWired = readFileSync(new URL('../../src/server/modules/queue/queue-service.ts', import.meta.url), 'utf8').includes('onJoined');
    it.runIf(joinHookWired)('counts new places in line, not retries of an existing one', async () => {
      const show = await createShow(app(), admin);
      const [a] = await newCustomers(app(), admin, 1);
      for (let i = 0; i < 3; i++) await call(app(), 'POST', `/api/shows/${show.id}/queue`, { token: a!.token });
      expect(sample(await metrics(), 'ticketclub_queue_joins_total', { show_id: show.id })).toBe(1);
    });

    it('counts the socket connections of this instance', async () => {
      const before = sample(await metrics(), 'ticketclub_socket_connections')!;
      const [a] = await newCustomers(app(), admin, 1);
      const s = await connect(url, a!.token);
      sockets.push(s);
      expect(sample(await metrics(), 'ticketclub_socket_connections')).toBe(before + 1);
      s.disconnect();
      await sleep(100);
      expect(sample(await metrics(), 'ticketclub_socket_connections')).toBe(before);
    });

    it('can be protected by METRICS_TOKEN or turned off, per app instance', async () => {
      const token = 'metrics-secret-0123456789';
      const guarded = await startHarness({ env: { METRICS_TOKEN: token } });
      const off = await startHarness({ env: { METRICS_ENABLED: '0' } });
      try {
        const anon = await guarded.ticketClub.app.inject({ method: 'GET', url: '/metrics' });
        expect(anon.statusCode).toBe(401);
        expect(JSON.parse(anon.body).error.code).toBe('UNAUTHENTICATED');
        const wrong = await guarded.ticketClub.app.inject({ method: 'GET', url: '/metrics', headers: { authorization: 'Bearer nope' } });
        expect(wrong.statusCode).toBe(401);
        const ok = await guarded.ticketClub.app.inject({ method: 'GET', url: '/metrics', headers: { authorization: `Bearer ${token}` } });
        expect(ok.statusCode).toBe(200);
        // Its own registry: this app has served no /api/shows request, the shared test app has.
        expect(ok.body).not.toContain('route="/api/shows/:showId"');
        expect((await off.ticketClub.app.inject({ method: 'GET', url: '/metrics' })).statusCode).toBe(404);
      } finally {
        await guarded.close();
        await off.close();
      }
    });
  });

  describe('OpenAPI document', () => {
    let doc: { openapi: string; paths: Record<string, Record<string, any>> };
    beforeAll(async () => {
      const r = await app().inject({ method: 'GET', url: '/docs/json' });
      expect(r.statusCode).toBe(200);
      doc = JSON.parse(r.body);
    });
    const operations = () =>
      Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`));

    it('serves the UI at /docs and an OpenAPI 3 document at /docs/json', async () => {
      const ui = await app().inject({ method: 'GET', url: '/docs' });
      expect(ui.statusCode).toBe(200);
      expect(ui.headers['content-type']).toMatch(/text\/html/);
      expect(doc.openapi).toMatch(/^3\./);
    });

    it('lists every path of the contract', () => {
      expect(operations()).toEqual(expect.arrayContaining(API_MD_OPERATIONS));
    });

    it('has no drift: every /api route registered in Fastify is documented, and every documented one is registered', () => {
      const registered = opsOf(app())!
        .routes.filter((r) => r.url.startsWith('/api/'))
        .map((r) => `${r.method} ${toOpenApiPath(r.url)}`);
      expect(registered.length).toBeGreaterThan(20);
      expect(new Set(operations())).toEqual(new Set(registered));
      // And each declares its own summary, tags and access, not a placeholder.
      const undocumented = Object.entries(doc.paths).flatMap(([path, ops]) =>
        Object.entries(ops)
          .filter(([, op]) => op.tags?.includes(UNDOCUMENTED_TAG))
          .map(([m]) => `${m.toUpperCase()} ${path}`),
      );
      expect(undocumented).toEqual([]);
    });

    it('marks a route that declares no summary, tags or access as undocumented', async () => {
      const bare = Fastify({ logger: false });
      await openApiDocs(bare);
      bare.get('/api/bare', async () => ({ ok: true }));
      bare.get('/api/described', { schema: { tags: ['Health'], summary: 'Described' }, config: { access: 'public' } }, async () => ({ ok: true }));
      try {
        const paths = JSON.parse((await bare.inject({ method: 'GET', url: '/docs/json' })).body).paths;
        expect(paths['/api/bare'].get.tags).toEqual([UNDOCUMENTED_TAG]);
        expect(paths['/api/described'].get.tags).toEqual(['Health']);
      } finally {
        await bare.close();
      }
    });

    it('gives each operation its request schema and its error responses', () => {
      const signup = doc.paths['/api/auth/signup']!.post;
      const body = signup.requestBody.content['application/json'].schema;
      expect(body.required).toEqual(['name', 'email', 'password']);
      expect(body.properties.password.minLength).toBe(8);
      expect(body.properties.name.maxLength).toBe(60);
      expect(signup.responses['409'].content['application/json'].schema.properties.error.properties.code.enum).toEqual(['EMAIL_TAKEN']);
      expect(Object.keys(signup.responses)).toEqual(expect.arrayContaining(['201', '400', '409', '429']));

      const hold = doc.paths['/api/shows/{showId}/seats/{seatId}/hold']!.post;
      expect(hold.parameters.map((p: { name: string; in: string }) => `${p.in}:${p.name}`)).toEqual(['path:showId', 'path:seatId']);
      expect(hold.responses['403'].content['application/json'].schema.properties.error.properties.code.enum).toEqual(['CSRF_FAILED', 'NOT_ADMITTED']);
      expect(hold.security).toEqual([{ bearerAuth: [] }, { cookieAuth: [] }]);

      const stats = doc.paths['/api/admin/shows/{showId}/stats']!.get;
      expect(stats.responses['403'].content['application/json'].schema.properties.error.properties.code.enum).toEqual(['FORBIDDEN']);
      expect(doc.paths['/api/events']!.get.parameters[0]).toMatchObject({ in: 'query', name: 'q' });

      for (const [path, ops] of Object.entries(doc.paths)) {
        for (const [m, op] of Object.entries(ops)) {
          const codes = Object.keys(op.responses);
          expect(codes.some((c) => c.startsWith('2')), `${m} ${path}`).toBe(true);
          if (op.security) expect(codes, `${m} ${path}`).toContain('401');
        }
      }
    });

    it('documents the schemas the routes validate with: a body the schema refuses is refused by the route', async () => {
      const customer = await newCustomer(app());
      const id = '00000000-0000-4000-8000-000000000000';
      for (const [key, d] of Object.entries(declaredRoutes(app()))) {
        if (!d.body) continue;
        const [method, path] = key.split(' ') as ['POST' | 'PATCH', string];
        const r = await call(app(), method, path.replace(/:\w+/g, id), {
          token: d.access === 'admin' ? admin : customer.token,
          body: { 'not-in-the-schema': true },
        });
        expect(r.status, key).toBe(400);
        expect(r.body.error.code, key).toBe('VALIDATION_FAILED');
      }
    });
  });

  describe('hardening', () => {
    it('sends security headers with a CSP fit for the built app', async () => {
      const r = await app().inject({ method: 'GET', url: '/events' });
      const csp = String(r.headers['content-security-policy']);
      expect(csp).toContain("default-src 'self'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).toMatch(/style-src 'self'(?! 'unsafe-inline')/);
      expect(csp).toMatch(/img-src 'self' data:/);
      expect(csp).toMatch(/connect-src 'self' ws:\/\/localhost:80 wss:\/\/localhost:80/);
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).not.toContain('upgrade-insecure-requests'); // plain-HTTP installs keep working
      expect(r.headers['x-content-type-options']).toBe('nosniff');
      expect(r.headers['x-frame-options']).toBe('DENY');
      expect(r.headers['strict-transport-security']).toBeUndefined();
      expect(r.headers['x-request-id']).toMatch(/[0-9a-f-]{36}/);
    });

    it("sends the API's answers, never pages, headers that let nothing load from them or frame them", async () => {
      for (const url of ['/api/events', '/api/me', '/api/nothing-here']) {
        const r = await app().inject({ method: 'GET', url });
        expect(r.headers['content-security-policy'], url).toBe("default-src 'none'; frame-ancestors 'none'");
        expect([r.headers['x-content-type-options'], r.headers['x-frame-options'], r.headers['cross-origin-resource-policy']], url).toEqual(['nosniff', 'DENY', 'same-origin']);
        expect(r.headers['x-request-id'], url).toMatch(/[0-9a-f-]{36}/);
        expect(r.headers['strict-transport-security'], url).toBeUndefined();
      }
    });

    it('answers no CORS headers to a foreign origin (same origin only)', async () => {
      const get = await app().inject({ method: 'GET', url: '/api/events', headers: { origin: 'https://evil.example' } });
      expect(get.statusCode).toBe(200);
      expect(get.headers['access-control-allow-origin']).toBeUndefined();
      const pre = await app().inject({
        method: 'OPTIONS',
        url: '/api/shows/00000000-0000-4000-8000-000000000000/queue',
        headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
      });
      expect(pre.headers['access-control-allow-origin']).toBeUndefined();
      expect(pre.headers['access-control-allow-credentials']).toBeUndefined();
    });

    it('refuses a cookie-authenticated write from another site with 403 CSRF_FAILED, and changes nothing', async () => {
      const show = await createShow(app(), admin);
      const fan = await newCustomer(app());
      const cookie = `tc_session=${encodeURIComponent(fan.token)}`;
      const join = (headers: Record<string, string>) => call(app(), 'POST', `/api/shows/${show.id}/queue`, { headers });

      for (const headers of <Record<string, string>[]>[
        { cookie, origin: 'https://evil.example' },
        { cookie, origin: 'null' },
        { cookie, referer: 'https://evil.example/page' },
        { cookie, origin: 'http://localhost:8080' }, // another port is another origin
      ]) {
        const r = await join(headers);
        expect(r.status, JSON.stringify(headers)).toBe(403);
        expect(r.body.error.code).toBe('CSRF_FAILED');
      }
      expect((await call(app(), 'GET', `/api/shows/${show.id}/queue`, { token: fan.token })).body.state).toBe('none');
      // Reads are not writes.
      expect((await call(app(), 'GET', '/api/me', { headers: { cookie, origin: 'https://evil.example' } })).status).toBe(200);
      // A bearer token is never sent by a browser on its own: exempt.
      expect((await call(app(), 'POST', `/api/shows/${show.id}/queue`, { token: fan.token, headers: { origin: 'https://evil.example' } })).status).toBe(200);
      await call(app(), 'DELETE', `/api/shows/${show.id}/queue`, { token: fan.token });
      // Our own pages, and clients that send neither header, pass.
      expect((await join({ cookie, origin: 'http://localhost' })).status).toBe(200);
      expect((await call(app(), 'DELETE', `/api/shows/${show.id}/queue`, { headers: { cookie, referer: 'http://localhost:80/shows/x' } })).status).toBe(204);
      expect((await join({ cookie })).status).toBe(200);
      expect((await join({ cookie, 'x-forwarded-host': 'tickets.example', origin: 'https://tickets.example' })).status).toBe(200);
    });

    it('refuses a cookie-authenticated socket from another site', async () => {
      const fan = await newCustomer(app());
      const attempt = (origin: string) =>
        new Promise<{ ok: boolean; code?: string }>((resolve) => {
          const s = ioClient(url, {
            path: '/socket.io',
            transports: ['websocket'],
            reconnection: false,
            forceNew: true,
            extraHeaders: { cookie: `tc_session=${encodeURIComponent(fan.token)}`, origin },
          });
          s.once('connect', () => {
            s.disconnect();
            resolve({ ok: true });
          });
          s.once('connect_error', (e) => resolve({ ok: false, code: (e as { data?: { code?: string } }).data?.code }));
        });
      expect(await attempt('https://evil.example')).toEqual({ ok: false, code: 'CSRF_FAILED' });
      expect(await attempt(url)).toEqual({ ok: true });
    });

    it('limits signups per IP with 429 RATE_LIMITED and retry-after', async () => {
      const limited = await startHarness({ env: { SIGNUP_RATE_LIMIT: '3' } });
      try {
        const signup = (n: number, ip: string) =>
          call(limited.ticketClub.app, 'POST', '/api/auth/signup', {
            headers: { 'x-forwarded-for': ip },
            body: { name: 'Fan', email: `limit${n}-${uniqueName('x')}@example.com`, password: 'password123' },
          });
        for (let i = 0; i < 3; i++) expect((await signup(i, '203.0.113.7')).status).toBe(201);
        const refused = await signup(9, '203.0.113.7');
        expect(refused.status).toBe(429);
        expect(refused.body.error.code).toBe('RATE_LIMITED');
        expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
        expect((await signup(10, '203.0.113.8')).status).toBe(201);
      } finally {
        await limited.close();
      }
    });

    it('limits a retry storm of one account on queue join, but not 60 fans from one IP', async () => {
      const show = await createShow(app(), admin, { pageCapacity: 30 });
      const fans = await newCustomers(app(), admin, 60);
      const joined = await Promise.all(fans.map((f) => call(app(), 'POST', `/api/shows/${show.id}/queue`, { token: f.token })));
      expect(joined.map((r) => r.status)).toEqual(fans.map(() => 200));

      const storm = await Promise.all(Array.from({ length: 150 }, () => call(app(), 'POST', `/api/shows/${show.id}/queue`, { token: fans[0]!.token })));
      const statuses = storm.map((r) => r.status);
      expect(statuses.filter((s) => s === 200).length).toBeGreaterThanOrEqual(20);
      const refused = storm.filter((r) => r.status === 429);
      expect(refused.length).toBeGreaterThan(0);
      expect(refused[0]!.body.error.code).toBe('RATE_LIMITED');
      expect(Number(refused[0]!.headers['retry-after'])).toBeGreaterThan(0);
      expect(statuses.every((s) => s === 200 || s === 429)).toBe(true);
      // Another account is unaffected.
      expect((await call(app(), 'GET', `/api/shows/${show.id}/queue`, { token: fans[1]!.token })).status).toBe(200);
    });
  });
});

describe('logs', () => {
  let tc: TicketClub;
  let drop: () => Promise<void>;
  const lines: string[] = [];
  let failEvents = false;

  beforeAll(async () => {
    const t = await openTestDb('pglite');
    drop = t.drop;
    const db = t.db;
    // A database that fails on demand, for an unhandled error.
    const flaky: Database = {
      kind: db.kind,
      query: (sql, params) => (failEvents && /FROM events/i.test(sql) ? Promise.reject(new Error('connection reset')) : db.query(sql, params)),
      transaction: (fn) => db.transaction(fn),
      close: () => db.close(),
    };
    const stream = new Writable({
      write(chunk, _enc, cb) {
        lines.push(...String(chunk).split('\n').filter(Boolean));
        cb();
      },
    });
    tc = await buildApp({
      config: loadConfig({ ENABLE_LOAD_TEST_API: '1', WEB_DIST: '/nonexistent' }),
      db: flaky,
      queueStore: new MemoryQueueStore(),
      limiters: memoryLimiters,
      logger: { level: 'trace', stream },
    });
    await tc.app.ready();
  });
  afterAll(async () => {
    await tc?.close();
    await drop?.();
  });

  it('writes JSON lines with the request id and never a password, token, cookie or card number', async () => {
    const app = tc.app;
    const password = 'Sup3r-Secret-Passw0rd';
    const email = `${uniqueName('log')}@example.com`;
    const card = { number: '4242424242424242', expMonth: 12, expYear: 2099, cvc: '987' };

    const signup = await call(app, 'POST', '/api/auth/signup', { body: { name: 'Logged', email, password } });
    expect(signup.status).toBe(201);
    const token: string = signup.body.token;
    const setCookie = String(signup.headers['set-cookie']);
    const login = await call(app, 'POST', '/api/auth/login', { body: { email, password } });
    const token2: string = login.body.token;
    await call(app, 'POST', '/api/auth/login', { body: { email, password: `${password}-wrong` } });
    await call(app, 'GET', '/api/me', { token });
    await call(app, 'GET', '/api/me', { headers: { cookie: `tc_session=${token2}` } });
    await call(app, 'POST', '/api/orders/00000000-0000-4000-8000-000000000000/pay', { token, body: { method: 'card', card } });
    await call(app, 'GET', `/api/events?token=${token}&q=x`);
    failEvents = true;
    const failed = await call(app, 'GET', '/api/events', { token });
    failEvents = false;
    expect(failed.status).toBe(500);
    expect(JSON.stringify(failed.body)).not.toContain('connection reset');
    // Someone logging a request or body by hand gets the same protection.
    app.log.info({ req: { headers: { authorization: `Bearer ${token}`, cookie: setCookie } }, body: { password, card } }, 'by hand');
    app.log.info({ user: { token, password } }, 'nested');

    // (The 3-digit cvc could match any number in a line: no `cvc` key may appear at all instead.)
    for (const secret of [password, token, token2, encodeURIComponent(token), card.number, '"cvc"']) {
      expect(lines.filter((l) => l.includes(secret))).toEqual([]);
    }
    const parsed = lines.map((l) => JSON.parse(l) as Record<string, any>);
    expect(parsed.find((l) => l.msg === 'by hand')).toMatchObject({ body: { password: '[Redacted]', card: '[Redacted]' } });

    // Every line about a request carries its id; the 500 names it and the cause, the answer does not.
    const requestLines = parsed.filter((l) => ['incoming request', 'request completed', 'unhandled error'].includes(l.msg));
    expect(requestLines.length).toBeGreaterThan(8);
    // One line per request, written when it is answered, with what it was and how it ended.
    expect(parsed.filter((l) => l.msg === 'incoming request')).toEqual([]);
    const completed = parsed.filter((l) => l.msg === 'request completed');
    expect(completed.length).toBe(8); // the eight calls above
    for (const l of completed) expect(l).toMatchObject({ req: { method: expect.any(String), url: expect.any(String) }, res: { statusCode: expect.any(Number) }, responseTime: expect.any(Number) });
    expect(completed.find((l) => l.res.statusCode === 500)?.reqId).toBe(failed.headers['x-request-id']);
    for (const l of requestLines) expect(typeof l.reqId, JSON.stringify(l)).toBe('string');
    const crash = parsed.find((l) => l.msg === 'unhandled error')!;
    expect(crash.level).toBe(50);
    expect(crash.err.message).toBe('connection reset');
    expect(crash.reqId).toBe(failed.headers['x-request-id']);
  });
});

describe('graceful shutdown', () => {
  it('in process: drains, lets the in-flight request finish, disconnects sockets so they reconnect, then closes the database', async () => {
    const h = await startHarness({ db: 'pglite', jobs: true });
    const url = await h.listen();
    const adminToken = await newAdmin(h.ticketClub, h.ticketClub.app);
    const fan = await newCustomer(h.ticketClub.app);
    const socket = await connect(url, fan.token);
    const socketClosed = new Promise<string>((resolve) => socket.once('disconnect', (reason) => resolve(reason)));
    const steps: string[] = [];
    let exitCode: number | undefined;
    const shutdown = gracefulShutdown({
      app: h.ticketClub.app,
      close: async () => {
        await h.ticketClub.close();
        steps.push('app closed');
      },
      closeResources: async () => {
        steps.push(`resources closed with ${opsOf(h.ticketClub.app)!.inFlight()} in flight`);
        await h.db.close();
      },
      log: h.ticketClub.app.log,
      exit: (code) => void (exitCode = code),
    });

    const slow = http(url, 'POST', '/api/admin/users/bulk', {
      token: adminToken,
      body: { count: 2000, emailPrefix: uniqueName('drain'), password: 'password123' },
    });
    // In flight as soon as it arrives (a fixed pause could outlast the request on a fast machine).
    await expect.poll(() => opsOf(h.ticketClub.app)!.inFlight(), { timeout: 10_000, interval: 2 }).toBe(1);
    const t0 = Date.now();
    const stopping = shutdown('SIGTERM');
    expect(opsOf(h.ticketClub.app)!.draining).toBe(true);
    // While the request runs: health sends load balancers elsewhere, and connections do not stay open.
    const health = await h.ticketClub.app.inject({ method: 'GET', url: '/api/health' });
    expect(health.statusCode).toBe(503);
    expect(JSON.parse(health.body).error.code).toBe('UNAVAILABLE');
    expect(health.headers.connection).toBe('close');
    const r = await slow;
    await stopping;
    expect(r.status).toBe(201);
    expect(r.body.users).toHaveLength(2000);
    // "transport close": the client reconnects by itself (an "io server disconnect" would not).
    expect(await socketClosed).toBe('transport close');
    expect(steps).toEqual(['app closed', 'resources closed with 0 in flight']);
    expect(exitCode).toBe(0);
    expect(Date.now() - t0).toBeLessThan(8_000);
    await expect(fetch(`${url}/api/health`)).rejects.toThrow();
    await h.store.close();
  }, 120_000);

  itNeeding(['postgres', 'redis'], 'as a process: SIGTERM during a slow request answers it, then exits 0 within seconds', async () => {
    const schema = uniqueName('shutdown');
    const inst = await startInstance({ DATABASE_SCHEMA: schema, ADMIN_EMAIL: 'ops-shutdown@example.com', ADMIN_PASSWORD: 'opsopsops' });
    try {
      const login = await http(inst.url, 'POST', '/api/auth/login', { body: { email: 'ops-shutdown@example.com', password: 'opsopsops' } });
      const socket = await connect(inst.url, login.body.token);
      const socketClosed = new Promise<string>((resolve) => socket.once('disconnect', (reason) => resolve(reason)));
      expect(await emitAck(socket, 'queue:watch', '00000000-0000-4000-8000-000000000000')).toMatchObject({ error: { code: 'NOT_FOUND' } });

      const slow = http(inst.url, 'POST', '/api/admin/users/bulk', {
        token: login.body.token,
        body: { count: 2000, emailPrefix: uniqueName('sigterm'), password: 'password123' },
      });
      await sleep(200);
      const t0 = Date.now();
      const exited = new Promise<number | null>((resolve) => inst.proc.once('exit', (code) => resolve(code)));
      inst.proc.kill('SIGTERM');
      const r = await slow;
      expect(r.status).toBe(201);
      expect(r.body.users).toHaveLength(2000);
      expect(await exited).toBe(0);
      expect(Date.now() - t0).toBeLessThan(8_000);
      expect(await socketClosed).toBe('transport close');
    } finally {
      await inst.stop('SIGKILL');
      await dropSchema(schema);
    }
  }, 120_000);

  itNeeding(['postgres', 'redis'], 'as a process at LOG_LEVEL=info: after SIGTERM, every request has its line, and the last line ("stopped") is there too', async () => {
    const schema = uniqueName('loglines');
    const inst = await startInstance({ DATABASE_SCHEMA: schema, LOG_LEVEL: 'info' });
    try {
      // Concurrent requests: their lines are logged in the same turns of the event loop and written together.
      const ids = Array.from({ length: 300 }, (_, i) => `log-line-${schema}-${i}`);
      for (let i = 0; i < ids.length; i += 50) {
        await Promise.all(ids.slice(i, i + 50).map((id) => fetch(`${inst.url}/api/health`, { headers: { 'x-request-id': id } }).then((r) => r.text())));
      }
      const exited = new Promise<number | null>((resolve) => inst.proc.once('exit', (code) => resolve(code)));
      inst.proc.kill('SIGTERM');
      expect(await exited).toBe(0);
      const lines = inst
        .output()
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as { msg?: string; reqId?: string });
      const logged = new Set(lines.filter((l) => l.msg === 'request completed').map((l) => l.reqId));
      expect(ids.filter((id) => !logged.has(id))).toEqual([]);
      // Logged just before exit: only the flush on exit writes it.
      expect(lines.at(-1)?.msg).toBe('stopped');
    } finally {
      await inst.stop('SIGKILL');
      await dropSchema(schema);
    }
  }, 120_000);
});
