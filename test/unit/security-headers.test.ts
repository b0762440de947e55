import helmet from '@fastify/helmet';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_HEADERS, helmetOptions, securityHeadersSetter } from '../../src/server/platform/ops/security.js';

async function withRoutes(install: (app: FastifyInstance) => Promise<void>): Promise<FastifyInstance> {
  const app = Fastify({ logger: false });
  await install(app);
  app.get('/api/me', async () => ({ user: null }));
  app.get('/', async () => 'the app');
  app.get('/shows/:id', async () => 'a page of the app');
  app.get('/docs', async () => 'docs');
  app.get('/docs/static/index.html', async () => 'docs page');
  await app.ready();
  return app;
}

const withoutDate = (h: Record<string, unknown>) => Object.fromEntries(Object.entries(h).filter(([k]) => k !== 'date'));

describe.each([false, true])('security headers (https: %s)', (https) => {
  let ours: FastifyInstance;
  let plugin: FastifyInstance;
  beforeAll(async () => {
    // As installOps sets them: from its one onRequest hook.
    ours = await withRoutes(async (app) => {
      const set = await securityHeadersSetter({ https });
      app.addHook('onRequest', (req, reply, done) => {
        set(req, reply);
        done();
      });
    });
    plugin = await withRoutes(async (app) => void (await app.register(helmet, helmetOptions({ https }))));
  });
  afterAll(async () => {
    await ours.close();
    await plugin.close();
  });

  // The CSP is kept per (host, /docs) variant: a second host or a docs page after an app page must not get a stale value.
  const requests = [
    { url: '/', headers: { host: 'tickets.example.com' } },
    { url: '/shows/1', headers: { host: 'tickets.example.com' } },
    { url: '/docs', headers: { host: 'tickets.example.com' } },
    { url: '/docs/static/index.html', headers: { host: 'tickets.example.com' } },
    { url: '/', headers: { host: 'other.example.org:8443' } },
    { url: '/shows/1', headers: { host: 'a.example', 'x-forwarded-host': 'b.example, c.example' } },
    { url: '/', headers: { host: 'evil.example;script-src *' } },
    { url: '/shows/1', headers: { host: '' } },
    // Kept by the raw Host and X-Forwarded-Host values: pairs that would run together in one key must not share a CSP.
    { url: '/', headers: { host: 'b.example', 'x-forwarded-host': 'a.example' } },
    { url: '/shows/1', headers: { host: 'a.example b.example' } },
    { url: '/', headers: { host: 'b.example', 'x-forwarded-host': '' } },
  ];

  it('when a page is served, then every header is what @fastify/helmet with the same options sends', async () => {
    for (const r of requests) {
      const a = await ours.inject({ method: 'GET', ...r });
      const b = await plugin.inject({ method: 'GET', ...r });
      expect(withoutDate(a.headers), JSON.stringify(r)).toEqual(withoutDate(b.headers));
    }
  });

  it('when the host changes, then connect-src names the new host', async () => {
    const a = await ours.inject({ method: 'GET', url: '/', headers: { host: 'one.example' } });
    const b = await ours.inject({ method: 'GET', url: '/', headers: { host: 'two.example' } });
    expect(a.headers['content-security-policy']).toContain('ws://one.example wss://one.example');
    expect(b.headers['content-security-policy']).toContain('ws://two.example wss://two.example');
  });

  it('when the API answers, then it carries the headers of a resource that is never a page (HSTS too on HTTPS), whatever the host, and a page after it its own', async () => {
    const hsts = (await plugin.inject({ method: 'GET', url: '/' })).headers['strict-transport-security'];
    const want = { ...API_HEADERS, ...(https ? { 'strict-transport-security': hsts } : {}) };
    expect(https ? hsts : undefined).toBe(https ? 'max-age=31536000; includeSubDomains' : undefined);
    for (const r of [...requests.map((x) => ({ ...x, url: '/api/me' })), { url: '/api/me?next=/docs' }, { url: '/api/unknown' }]) {
      const a = await ours.inject({ method: 'GET', ...r });
      const { 'content-type': _type, 'content-length': _length, connection: _c, date: _d, ...rest } = a.headers;
      expect(rest, JSON.stringify(r)).toEqual(want);
    }
    expect(API_HEADERS['content-security-policy']).toBe("default-src 'none'; frame-ancestors 'none'");
    const page = await ours.inject({ method: 'GET', url: '/', headers: { host: 'tickets.example.com' } });
    expect(withoutDate(page.headers)).toEqual(withoutDate((await plugin.inject({ method: 'GET', url: '/', headers: { host: 'tickets.example.com' } })).headers));
  });
});
