import type { FastifyInstance } from 'fastify';
import { expect, it } from 'vitest';
import { call, newCustomer, type Res } from '../support/api-client.js';
import { useHarness } from '../support/api-suite.js';
import type { Harness } from '../support/harness.js';
import { describeOnEachDatabase } from '../support/needs.js';

const SLUGS = ['help', 'terms', 'privacy', 'contact'];

function expectError(res: Res, status: number, code: string): void {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(res.body.error.code).toBe(code);
}

describeOnEachDatabase('site pages (%s)', (kind) => {
  let h: Harness;
  let app: FastifyInstance;
  let admin: string;
  let fan: string;

  useHarness({ db: kind }, async (s) => {
    ({ h, app, admin } = s);
    fan = (await newCustomer(app)).token;
  });

  const stored = async (slug: string) =>
    (await h.db.query<{ title: string; body: string }>('SELECT title, body FROM site_pages WHERE slug = $1', [slug])).rows[0];

  it('when a new site asks for each footer page, then it exists with a title, for anyone', async () => {
    for (const slug of SLUGS) {
      const r = await call(app, 'GET', `/api/pages/${slug}`);
      expect(r.status, slug).toBe(200);
      expect(r.body.page).toMatchObject({ slug, title: expect.any(String), body: expect.any(String), updatedAt: expect.any(String) });
      expect(r.body.page.title.length).toBeGreaterThan(0);
    }
  });

  it('when an unknown page is asked for, then it answers 404 NOT_FOUND', async () => {
    for (const slug of ['about', 'help2', '..', 'HELPS']) expectError(await call(app, 'GET', `/api/pages/${encodeURIComponent(slug)}`), 404, 'NOT_FOUND');
  });

  it('when the admin writes a page, then everyone reads the new title and Markdown body as written', async () => {
    const body = '## Refunds\n\nWrite to **us**. <script>alert(1)</script> stays text: the site renders Markdown, never HTML.';
    const r = await call(app, 'PUT', '/api/admin/pages/help', { token: admin, body: { title: '  Help and refunds ', body } });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.page).toMatchObject({ slug: 'help', title: 'Help and refunds', body });
    const read = await call(app, 'GET', '/api/pages/help');
    expect(read.body.page).toMatchObject({ title: 'Help and refunds', body });
    const list = await call(app, 'GET', '/api/admin/pages', { token: admin });
    expect(list.body.pages.map((p: { slug: string }) => p.slug).sort()).toEqual([...SLUGS].sort());
  });

  it('when a customer or nobody writes a page, then it answers 403 / 401 and the page is unchanged', async () => {
    const before = await stored('terms');
    expectError(await call(app, 'PUT', '/api/admin/pages/terms', { token: fan, body: { title: 'Hacked', body: 'x' } }), 403, 'FORBIDDEN');
    expectError(await call(app, 'PUT', '/api/admin/pages/terms', { body: { title: 'Hacked', body: 'x' } }), 401, 'UNAUTHENTICATED');
    expectError(await call(app, 'GET', '/api/admin/pages', { token: fan }), 403, 'FORBIDDEN');
    expect(await stored('terms')).toEqual(before);
  });

  it.each([
    ['no title', { body: 'x' }],
    ['an empty title', { title: '   ', body: 'x' }],
    ['a title too long', { title: 'x'.repeat(121), body: 'x' }],
    ['no body', { title: 'Privacy' }],
    ['a body too long', { title: 'Privacy', body: 'x'.repeat(50_001) }],
    ['a NUL in the title', { title: 'Pri\u0000vacy', body: 'x' }],
    ['a NUL in the body', { title: 'Privacy', body: 'a\u0000b' }],
    ['an extra field', { title: 'Privacy', body: 'x', slug: 'terms' }],
    ['a number as body', { title: 'Privacy', body: 5 }],
  ])('when the admin sends %s, then it answers 400 VALIDATION_FAILED and the page is unchanged', async (_what, body) => {
    const before = await stored('privacy');
    expectError(await call(app, 'PUT', '/api/admin/pages/privacy', { token: admin, body }), 400, 'VALIDATION_FAILED');
    expect(await stored('privacy')).toEqual(before);
  });

  it('when the admin writes a page that does not exist, then it answers 404 and no page is added', async () => {
    expectError(await call(app, 'PUT', '/api/admin/pages/about', { token: admin, body: { title: 'About', body: 'x' } }), 404, 'NOT_FOUND');
    expectError(await call(app, 'PUT', `/api/admin/pages/${'a\u0000b'}`, { token: admin, body: { title: 'About', body: 'x' } }), 400, 'VALIDATION_FAILED');
    const { rows } = await h.db.query<{ n: number }>('SELECT count(*)::int AS n FROM site_pages');
    expect(Number(rows[0]!.n)).toBe(4);
  });

  it('when the database is written to directly with another slug, then the table refuses it', async () => {
    await expect(h.db.query(`INSERT INTO site_pages (slug, title) VALUES ('about', 'About')`)).rejects.toThrow();
  });
});
