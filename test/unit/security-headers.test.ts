import helmet from '@fastify/helmet';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { helmetOptions, securityHeaders } from '../../src/server/platform/ops/security.js';

async function withRoutes(install: (app: FastifyInstance) => Promise<void>): Promise<FastifyInstance> {
  const app = Fastify({ logger: false });
  await install(app);
  app.get('/api/me', async () => ({ user: null }));
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
    ours = await withRoutes((app) => securityHeaders(app, { https }));
    plugin = await withRoutes(async (app) => void (await app.register(helmet, helmetOptions({ https }))));
  });
  afterAll(async () => {
    await ours.close();
    await plugin.close();
  });

  // The CSP is kept per (host, /docs) variant: a second host or a docs page after an app page must not get a stale value.
  const requests = [
    { url: '/api/me', headers: { host: 'tickets.example.com' } },
    { url: '/api/me', headers: { host: 'tickets.example.com' } },
    { url: '/docs', headers: { host: 'tickets.example.com' } },
    { url: '/docs/static/index.html', headers: { host: 'tickets.example.com' } },
    { url: '/api/me', headers: { host: 'other.example.org:8443' } },
    { url: '/api/me', headers: { host: 'a.example', 'x-forwarded-host': 'b.example, c.example' } },
    { url: '/api/me', headers: { host: 'evil.example;script-src *' } },
    { url: '/api/me', headers: { host: '' } },
    // Kept by the raw Host and X-Forwarded-Host values: pairs that would run together in one key must not share a CSP.
    { url: '/api/me', headers: { host: 'b.example', 'x-forwarded-host': 'a.example' } },
    { url: '/api/me', headers: { host: 'a.example b.example' } },
    { url: '/api/me', headers: { host: 'b.example', 'x-forwarded-host': '' } },
  ];

  it('when a page is served, then every header is what @fastify/helmet with the same options sends', async () => {
    for (const r of requests) {
      const a = await ours.inject({ method: 'GET', ...r });
      const b = await plugin.inject({ method: 'GET', ...r });
      expect(withoutDate(a.headers), JSON.stringify(r)).toEqual(withoutDate(b.headers));
    }
  });

  it('when the host changes, then connect-src names the new host', async () => {
    const a = await ours.inject({ method: 'GET', url: '/api/me', headers: { host: 'one.example' } });
    const b = await ours.inject({ method: 'GET', url: '/api/me', headers: { host: 'two.example' } });
    expect(a.headers['content-security-policy']).toContain('ws://one.example wss://one.example');
    expect(b.headers['content-security-policy']).toContain('ws://two.example wss://two.example');
  });
});
