import type { FastifyInstance } from 'fastify';
import { describe, expect, it } from 'vitest';
import { call, type Res } from '../support/api-client.js';
import { useHarness } from '../support/api-suite.js';
import type { Harness } from '../support/harness.js';
import { describeOnEachDatabase } from '../support/needs.js';

/** The one error shape: `{error:{code,message}}`, JSON, nothing that leaks internals. */
function expectError(res: Res, status: number, code: string): void {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(String(res.headers['content-type'])).toMatch(/^application\/json/);
  expect(Object.keys(res.body)).toEqual(['error']);
  expect(res.body.error.code).toBe(code);
  expect(typeof res.body.error.message).toBe('string');
  expect(res.body.error.message.length).toBeGreaterThan(0);
  expect(JSON.stringify(res.body)).not.toMatch(/\bat .+\.(ts|js):\d+|stack|SELECT |pg_|FST_/);
}

describeOnEachDatabase('errors (%s)', (kind) => {
  let h: Harness;
  let app: FastifyInstance;
  let admin: string;
  useHarness({ db: kind }, (s) => ({ h, app, admin } = s));

  const raw = (url: string, payload: string | Buffer, headers: Record<string, string> = { 'content-type': 'application/json' }) =>
    app.inject({ method: 'POST', url, payload, headers }).then(
      (r): Res => ({ status: r.statusCode, body: r.body ? JSON.parse(r.body) : undefined, headers: r.headers }),
    );

  it('when the server is up, then GET /api/health answers 200 {status:"ok"}', async () => {
    const res = await call(app, 'GET', '/api/health');
    expect(res.status).toBe(200);
    expect(String(res.headers['content-type'])).toMatch(/^application\/json/);
    expect(res.body).toEqual({ status: 'ok' });
  });

  describe('malformed bodies', () => {
    it.each([
      ['a truncated object', '{"email": "a@example.com", "password": '],
      ['single quotes', "{'email': 'a@example.com'}"],
      ['a trailing comma', '{"email": "a@example.com",}'],
      ['plain text', 'hello'],
      ['NaN', '{"count": NaN}'],
    ])('when the JSON is %s, then it answers 400 VALIDATION_FAILED', async (_what, payload) => {
      expectError(await call(app, 'POST', '/api/auth/login', { raw: payload }), 400, 'VALIDATION_FAILED');
      expectError(await call(app, 'POST', '/api/auth/signup', { raw: payload }), 400, 'VALIDATION_FAILED');
      expectError(await call(app, 'POST', '/api/admin/venues', { raw: payload, token: admin }), 400, 'VALIDATION_FAILED');
    });

    it.each([
      ['null', 'null'],
      ['an array', '[]'],
      ['a string', '"text"'],
      ['a number', '42'],
      ['an empty body', ''],
      ['only whitespace', '   '],
    ])('when the JSON body is %s instead of an object, then it answers 400 VALIDATION_FAILED', async (_what, payload) => {
      expectError(await call(app, 'POST', '/api/auth/signup', { raw: payload }), 400, 'VALIDATION_FAILED');
      expectError(await call(app, 'POST', '/api/admin/shows', { raw: payload, token: admin }), 400, 'VALIDATION_FAILED');
    });

    it('when the body is over the size limit (300 KB), then it answers 400 VALIDATION_FAILED', async () => {
      const payload = JSON.stringify({ name: 'x', email: 'big@example.com', password: 'p'.repeat(300 * 1024) });
      expectError(await raw('/api/auth/signup', payload), 400, 'VALIDATION_FAILED');
      const created = await h.db.query(`SELECT 1 FROM users WHERE email = 'big@example.com'`);
      expect(created.rowCount).toBe(0);
    });

    it('when a huge body arrives with a wrong content type, then it is still a 400, not a 500', async () => {
      expectError(await raw('/api/auth/signup', 'x'.repeat(300 * 1024), { 'content-type': 'text/plain' }), 400, 'VALIDATION_FAILED');
    });

    it.each([
      ['application/x-www-form-urlencoded', 'name=a&email=a%40example.com&password=password123'],
      ['multipart/form-data; boundary=xyz', '--xyz\r\nContent-Disposition: form-data; name="name"\r\n\r\na\r\n--xyz--'],
      ['application/xml', '<signup><name>a</name></signup>'],
      ['text/plain', '{"name":"a","email":"a@example.com","password":"password123"}'],
    ])('when the content type is %s, then it answers 400 VALIDATION_FAILED and creates nothing', async (type, payload) => {
      const before = await h.db.query(`SELECT 1 FROM users WHERE email = 'a@example.com'`);
      expectError(await raw('/api/auth/signup', payload, { 'content-type': type }), 400, 'VALIDATION_FAILED');
      expect((await h.db.query(`SELECT 1 FROM users WHERE email = 'a@example.com'`)).rowCount).toBe(before.rowCount);
    });

    it('when a string field is huge but the body is under the limit, then it answers 400 VALIDATION_FAILED', async () => {
      const big = 'n'.repeat(200 * 1024);
      expectError(await call(app, 'POST', '/api/auth/signup', { body: { name: big, email: 'huge@example.com', password: 'password123' } }), 400, 'VALIDATION_FAILED');
      expectError(await call(app, 'POST', '/api/auth/login', { body: { email: 'huge@example.com', password: big } }), 400, 'VALIDATION_FAILED');
      expectError(await call(app, 'POST', '/api/admin/events', { token: admin, body: { title: big, artist: 'A' } }), 400, 'VALIDATION_FAILED');
      expectError(await call(app, 'GET', `/api/events?q=${'q'.repeat(4000)}`), 400, 'VALIDATION_FAILED');
    });

    it('when text holds a NUL character (PostgreSQL cannot store one), then it answers 400 VALIDATION_FAILED', async () => {
      expectError(await call(app, 'GET', '/api/events?q=%00'), 400, 'VALIDATION_FAILED');
      expectError(await call(app, 'POST', '/api/auth/signup', { body: { name: 'a\u0000b', email: 'nul@example.com', password: 'password123' } }), 400, 'VALIDATION_FAILED');
      expectError(await call(app, 'POST', '/api/auth/login', { body: { email: 'nul\u0000@example.com', password: 'password123' } }), 400, 'VALIDATION_FAILED');
      expectError(await call(app, 'POST', '/api/admin/events', { token: admin, body: { title: 'T\u0000', artist: 'A' } }), 400, 'VALIDATION_FAILED');
      expectError(await call(app, 'POST', '/api/admin/checkin', { token: admin, body: { code: 'x\u0000', showId: '00000000-0000-0000-0000-000000000000' } }), 400, 'VALIDATION_FAILED');
      expect((await h.db.query(`SELECT 1 FROM users WHERE email = 'nul@example.com'`)).rowCount).toBe(0);
    });

    it('when the JSON nests very deeply, then it answers 400 VALIDATION_FAILED', async () => {
      const depth = 50_000;
      const payload = '{"name":' + '['.repeat(depth) + ']'.repeat(depth) + '}';
      expectError(await call(app, 'POST', '/api/auth/signup', { raw: payload }), 400, 'VALIDATION_FAILED');
    });

    it('when the body tries to set __proto__, then it is refused and no object is polluted', async () => {
      const payload = '{"name":"Proto","email":"proto@example.com","password":"password123","__proto__":{"role":"admin","polluted":true}}';
      expectError(await call(app, 'POST', '/api/auth/signup', { raw: payload }), 400, 'VALIDATION_FAILED');
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      expect((await h.db.query(`SELECT 1 FROM users WHERE email = 'proto@example.com'`)).rowCount).toBe(0);
    });
  });

  describe('unknown routes and ids', () => {
    it.each([
      ['GET', '/api/nope'],
      ['POST', '/api/nope'],
      ['DELETE', '/api/events'],
      ['GET', '/api/admin/nothing-here'],
      ['GET', '/api'],
      ['GET', '/nope'],
    ] as const)('when %s %s is requested, then it answers 404 NOT_FOUND as JSON', async (method, url) => {
      expectError(await call(app, method, url), 404, 'NOT_FOUND');
    });

    it.each([
      ['a malformed event id', '/api/events/12345'],
      ['a malformed show id', '/api/shows/abc'],
      ['a broken percent-encoding', '/api/events/%E0%A4%A'],
      ['an over-long id', `/api/shows/${'a'.repeat(150)}`],
      ['a repeated query parameter', '/api/events?q=a&q=b'],
    ])('when a request has %s, then it answers 400 VALIDATION_FAILED', async (_what, url) => {
      expectError(await call(app, 'GET', url), 400, 'VALIDATION_FAILED');
    });
  });

  it('when all the bad requests above have been sent, then the server still answers health checks', async () => {
    expect((await call(app, 'GET', '/api/health')).body).toEqual({ status: 'ok' });
  });
});
