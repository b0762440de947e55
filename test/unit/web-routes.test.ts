import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { WEB_ROUTES, isWebRoute } from '../../src/shared/web-routes.js';

const ID = '3f2b8c1e-6a4d-4e8f-9b2a-1c3d5e7f9a0b';

describe('the web app\'s addresses', () => {
  it('when the router is read, then every route path comes from WEB_ROUTES and every entry is routed (the server 404s the rest)', () => {
    const app = readFileSync('src/web/app/App.tsx', 'utf8');
    // A literal path would be a page the server does not know, answered with a 404; "*" is the router's own 404.
    expect(app.match(/\bpath="[^"]*"/g) ?? []).toEqual(['path="*"']);
    const used = new Set([...app.matchAll(/\bpath=\{R\.(\w+)\}/g)].map((m) => m[1]));
    expect([...used].sort()).toEqual(Object.keys(WEB_ROUTES).sort());
  });

  it('when a path is one of the pattern\'s shapes, then it is a page; otherwise it is not', () => {
    expect(isWebRoute('/')).toBe(true);
    expect(isWebRoute(`/events/${ID}`)).toBe(true);
    expect(isWebRoute(`/orders/${ID}/`)).toBe(true);
    expect(isWebRoute('/admin')).toBe(true);
    expect(isWebRoute('/admin/shows/anything/at/all')).toBe(true);
    expect(isWebRoute('/Help')).toBe(true);
    expect(isWebRoute('/events/123')).toBe(false);
    expect(isWebRoute('/events/')).toBe(false);
    expect(isWebRoute('//events')).toBe(false);
    expect(isWebRoute('/administrator')).toBe(false);
    expect(isWebRoute('/help/me')).toBe(false);
    expect(isWebRoute('/orders/%E0%A4%A')).toBe(false);
  });
});
