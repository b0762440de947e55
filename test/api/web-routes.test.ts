import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WEB_ROUTES } from '../../src/shared/web-routes.js';
import { startHarness, type Harness } from '../support/harness.js';

const SETUP_TIMEOUT = 180_000;
const INDEX = '<!doctype html><html><head><title>TicketClub</title></head><body><div id="root"></div></body></html>';
const ID = '3f2b8c1e-6a4d-4e8f-9b2a-1c3d5e7f9a0b';

/** The server serves the web app's pages and answers every other address with a real 404. */
describe('web addresses', () => {
  let h: Harness;
  let app: FastifyInstance;
  let dist: string;

  beforeAll(async () => {
    dist = mkdtempSync(path.join(tmpdir(), 'tc-web-'));
    writeFileSync(path.join(dist, 'index.html'), INDEX);
    mkdirSync(path.join(dist, 'assets'));
    writeFileSync(path.join(dist, 'assets', 'app.js'), 'console.log(1)');
    h = await startHarness({ env: { WEB_DIST: dist } });
    app = h.ticketClub.app;
  }, SETUP_TIMEOUT);
  afterAll(async () => {
    await h?.close();
    rmSync(dist, { recursive: true, force: true });
  });

  const get = (url: string) => app.inject({ method: 'GET', url });

  it('when each of the app\'s own addresses is opened, then it answers 200 with the app', async () => {
    const urls = Object.values(WEB_ROUTES).map((p) => p.replace(/:\w+/g, ID).replace('/*', '/venues'));
    expect(urls).toContain('/help');
    for (const url of [...urls, '/admin', '/PROFILE', '/profile/', `/events/${ID.toUpperCase()}`, '/?q=taipei']) {
      const r = await get(url);
      expect(r.statusCode, url).toBe(200);
      expect(r.headers['content-type'], url).toMatch(/text\/html/);
      expect(r.body, url).toBe(INDEX);
    }
  });

  it('when an address is not one of the app\'s pages, then it answers 404 with the app (which shows "Page not found")', async () => {
    for (const url of ['/nope', '/events', '/events/not-an-id', `/events/${ID}/extra`, '/profile/settings', '/helpdesk', '/%2e%2e/etc']) {
      const r = await get(url);
      expect(r.statusCode, url).toBe(404);
      expect(r.headers['content-type'], url).toMatch(/text\/html/);
      expect(r.headers['cache-control'], url).toBe('no-cache');
      expect(r.body, url).toBe(INDEX);
    }
  });

  it('when an unknown /api address or a missing asset is asked for, then it answers the JSON 404 NOT_FOUND', async () => {
    for (const url of ['/api/nope', '/api/events/x/y/z', '/assets/missing.js', '/missing.png']) {
      const r = await get(url);
      expect(r.statusCode, url).toBe(404);
      expect(r.json().error.code, url).toBe('NOT_FOUND');
    }
    expect((await get('/assets/app.js')).statusCode).toBe(200);
  });

  it('when a page address is posted to, then it is a JSON 404, not the app', async () => {
    const r = await app.inject({ method: 'POST', url: '/nope', payload: {} });
    expect(r.statusCode).toBe(404);
    expect(r.json().error.code).toBe('NOT_FOUND');
  });
});
