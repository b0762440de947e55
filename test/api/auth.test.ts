import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ManualClock } from '../../src/server/platform/clock.js';
import { call, type Res } from '../support/api-client.js';
import { startHarness, type Harness } from '../support/harness.js';
import { describeOnEachDatabase } from '../support/needs.js';

/** Starting PGlite and hashing passwords take a while on a busy shared machine. */
const SETUP_TIMEOUT = 180_000;

/*
 * Every login and signup runs argon2, which costs ~0.1-0.7 s at the production parameters
 * (64 MiB, t=3) on a small shared test box. The rate-limit cases need 100+ failed logins, so this
 * file hashes with the cheapest argon2id parameters unless `argonCost.real` is set; the case
 * about how passwords are stored turns it on to check the production parameters.
 */
const argonCost = vi.hoisted(() => ({ real: false }));
vi.mock('argon2', async (importOriginal) => {
  const mod = await importOriginal<{ default: typeof import('argon2') }>();
  const real = mod.default;
  const hash: typeof real.hash = ((password: string, options?: Parameters<typeof real.hash>[1]) =>
    real.hash(password, argonCost.real ? options : { ...options, memoryCost: 1024, timeCost: 1, parallelism: 1 })) as typeof real.hash;
  return { ...mod, default: { ...real, hash } };
});

let seq = 0;
/** A fresh email (and a fresh client IP) per case, so cases do not share limiter counters. */
const email = (tag = 'user') => `${tag}${++seq}-${randomBytes(4).toString('hex')}@example.com`;
let ipSeq = Math.floor(Math.random() * 60_000);
const ip = () => {
  const n = ++ipSeq;
  return `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`;
};
const from = (addr: string) => ({ 'x-forwarded-for': addr });

/** The tc_session cookie a response sets, with its attributes. */
function sessionCookie(res: Res): string | undefined {
  const raw = res.headers['set-cookie'];
  const all = Array.isArray(raw) ? raw : raw === undefined ? [] : [String(raw)];
  return all.find((c) => c.startsWith('tc_session='));
}
const cookieToken = (cookie: string) => decodeURIComponent(cookie.split(';')[0]!.slice('tc_session='.length));

function expectError(res: Res, status: number, code: string): void {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(res.body.error.code).toBe(code);
  expect(typeof res.body.error.message).toBe('string');
  expect(res.body.error.message.length).toBeGreaterThan(0);
}

describeOnEachDatabase('accounts (%s)', (kind) => {
  let h: Harness;
  let app: FastifyInstance;
  const clock = new ManualClock();

  beforeAll(async () => {
    h = await startHarness({ db: kind, clock });
    app = h.tc.app;
  }, SETUP_TIMEOUT);
  afterAll(async () => {
    await h?.close();
  });

  const signup = (body: unknown, headers?: Record<string, string>) => call(app, 'POST', '/api/auth/signup', { body, headers });
  const login = (body: unknown, addr = ip()) => call(app, 'POST', '/api/auth/login', { body, headers: from(addr) });
  const usersWith = async (address: string) =>
    Number((await h.db.query<{ n: number }>('SELECT count(*)::int AS n FROM users WHERE lower(email) = lower($1)', [address])).rows[0]!.n);

  describe('signup', () => {
    it('when the details are valid, then it answers 201 with the customer and a token, and sets an HttpOnly SameSite=Lax session cookie', async () => {
      const address = email();
      const res = await signup({ name: 'Ada Lovelace', email: address, password: 'correct horse' });
      expect(res.status).toBe(201);
      expect(Object.keys(res.body).sort()).toEqual(['token', 'user']);
      expect(Object.keys(res.body.user).sort()).toEqual(['email', 'id', 'name', 'role']);
      expect(res.body.user).toMatchObject({ name: 'Ada Lovelace', email: address, role: 'customer' });
      expect(typeof res.body.user.id).toBe('string');
      expect(res.body.user.id.length).toBeGreaterThan(0);
      expect(typeof res.body.token).toBe('string');
      expect(res.body.token.length).toBeGreaterThanOrEqual(32);

      const cookie = sessionCookie(res);
      expect(cookie).toBeDefined();
      expect(cookieToken(cookie!)).toBe(res.body.token);
      expect(cookie).toMatch(/;\s*HttpOnly/i);
      expect(cookie).toMatch(/;\s*SameSite=Lax/i);
      expect(cookie).toMatch(/;\s*Path=\//i);

      const me = await call(app, 'GET', '/api/me', { token: res.body.token });
      expect(me.status).toBe(200);
      expect(me.body.user).toEqual(res.body.user);
    });

    it('when an account is created, then the database keeps an argon2id hash and never the password', async () => {
      const password = 'my secret passphrase';
      const stored: string[] = [];
      argonCost.real = true;
      try {
        // Two accounts with the same password: the hashes differ (salted).
        for (const name of ['Hash Check', 'Hash Check 2']) {
          const res = await signup({ name, email: email(), password });
          expect(res.status).toBe(201);
          const { rows } = await h.db.query<{ password_hash: string }>('SELECT password_hash FROM users WHERE id = $1', [res.body.user.id]);
          stored.push(rows[0]!.password_hash);
        }
      } finally {
        argonCost.real = false;
      }
      for (const hash of stored) {
        expect(hash).toMatch(/^\$argon2id\$v=19\$[^$]+\$[A-Za-z0-9+/]+\$[A-Za-z0-9+/]+$/);
        expect(hash).not.toContain(password);
        // At least OWASP's argon2id minimum (19 MiB, t=2).
        const params = Object.fromEntries(hash.split('$')[3]!.split(',').map((kv) => kv.split('=') as [string, string]));
        expect(Number(params.m)).toBeGreaterThanOrEqual(19 * 1024);
        expect(Number(params.t)).toBeGreaterThanOrEqual(2);
      }
      expect(stored[0]).not.toBe(stored[1]);
    });

    it('when the name is exactly 60 characters and the password exactly 8, then the account is created', async () => {
      const res = await signup({ name: 'n'.repeat(60), email: email(), password: '12345678' });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      expect(res.body.user.name).toBe('n'.repeat(60));
    });

    const valid = () => ({ name: 'Valid Name', email: email('invalid'), password: 'password123' });
    const badBodies: [string, (b: Record<string, unknown>) => unknown][] = [
      ['the email is malformed', (b) => ({ ...b, email: 'not-an-email' })],
      ['the email has no domain', (b) => ({ ...b, email: 'someone@' })],
      ['the email has two @', (b) => ({ ...b, email: `a@${b.email as string}` })],
      ['the password has 7 characters', (b) => ({ ...b, password: '1234567' })],
      ['the password is empty', (b) => ({ ...b, password: '' })],
      ['the name is empty', (b) => ({ ...b, name: '' })],
      ['the name is only spaces', (b) => ({ ...b, name: '    ' })],
      ['the name has 61 characters', (b) => ({ ...b, name: 'x'.repeat(61) })],
      ['the name is missing', ({ name: _n, ...rest }) => rest],
      ['the email is missing', ({ email: _e, ...rest }) => rest],
      ['the password is missing', ({ password: _p, ...rest }) => rest],
      ['the body is an empty object', () => ({})],
      ['an unknown field asks for the admin role', (b) => ({ ...b, role: 'admin' })],
      ['an unknown field is sent', (b) => ({ ...b, nickname: 'x' })],
      ['the name is a number', (b) => ({ ...b, name: 12345 })],
      ['the email is an array', (b) => ({ ...b, email: [b.email] })],
      ['the password is a number', (b) => ({ ...b, password: 12345678 })],
      ['the password is null', (b) => ({ ...b, password: null })],
      ['the body is an array', (b) => [b]],
      ['the body is a string', () => 'name=x'],
    ];
    it.each(badBodies)('when %s, then it answers 400 VALIDATION_FAILED and creates no account', async (_what, mutate) => {
      const base = valid();
      const res = await signup(mutate(base));
      expectError(res, 400, 'VALIDATION_FAILED');
      expect(sessionCookie(res)).toBeUndefined();
      expect(await usersWith(base.email)).toBe(0);
    });

    it('when the email is taken in another case, then it answers 409 EMAIL_TAKEN and keeps one account', async () => {
      const address = email('Mixed');
      const first = await signup({ name: 'First', email: address, password: 'password123' });
      expect(first.status).toBe(201);
      for (const variant of [address, address.toUpperCase(), address.toLowerCase()]) {
        const again = await signup({ name: 'Second', email: variant, password: 'password456' });
        expectError(again, 409, 'EMAIL_TAKEN');
        expect(sessionCookie(again)).toBeUndefined();
      }
      expect(await usersWith(address)).toBe(1);
    });

    it('when two signups for one email race, then exactly one wins and the other gets 409 EMAIL_TAKEN', async () => {
      const address = email('race');
      const results = await Promise.all([
        signup({ name: 'A', email: address, password: 'password123' }),
        signup({ name: 'B', email: address.toUpperCase(), password: 'password123' }),
      ]);
      expect(results.map((r) => r.status).sort()).toEqual([201, 409]);
      expect(await usersWith(address)).toBe(1);
    });
  });

  describe('login, me and logout', () => {
    let account: { email: string; password: string; id: string };
    beforeAll(async () => {
      account = { email: email('Login'), password: 'login-password', id: '' };
      const res = await signup({ name: 'Login User', email: account.email, password: account.password });
      account.id = res.body.user.id;
    });

    it('when the password is right, then it answers 200 with the user and a new token, and sets the session cookie', async () => {
      const res = await login({ email: account.email, password: account.password });
      expect(res.status).toBe(200);
      expect(res.body.user).toEqual({ id: account.id, name: 'Login User', email: account.email, role: 'customer' });
      expect(typeof res.body.token).toBe('string');
      const cookie = sessionCookie(res);
      expect(cookie).toBeDefined();
      expect(cookieToken(cookie!)).toBe(res.body.token);
      expect(cookie).toMatch(/;\s*HttpOnly/i);
      expect(cookie).toMatch(/;\s*SameSite=Lax/i);
    });

    it('when the email is typed in another case, then the login still succeeds', async () => {
      const res = await login({ email: account.email.toUpperCase(), password: account.password });
      expect(res.status).toBe(200);
      expect(res.body.user.id).toBe(account.id);
    });

    it('when the password is wrong, then it answers 401 INVALID_CREDENTIALS without a cookie', async () => {
      const res = await login({ email: account.email, password: 'wrong-password' });
      expectError(res, 401, 'INVALID_CREDENTIALS');
      expect(res.body.token).toBeUndefined();
      expect(sessionCookie(res)).toBeUndefined();
    });

    it('when the email is unknown, then it answers the same 401 INVALID_CREDENTIALS', async () => {
      const wrongPassword = await login({ email: account.email, password: 'wrong-password' });
      const unknown = await login({ email: email('nobody'), password: 'whatever1' });
      expectError(unknown, 401, 'INVALID_CREDENTIALS');
      expect(unknown.body).toEqual(wrongPassword.body);
    });

    it.each([
      ['the body is empty', {}],
      ['the email is missing', { password: 'password123' }],
      ['the password is a number', { email: 'a@example.com', password: 12345678 }],
      ['an unknown field is sent', { email: 'a@example.com', password: 'password123', remember: true }],
    ])('when %s, then login answers 400 VALIDATION_FAILED', async (_what, body) => {
      expectError(await login(body), 400, 'VALIDATION_FAILED');
    });

    it('when /api/me is called with the bearer token, then it answers the account', async () => {
      const { body } = await login({ email: account.email, password: account.password });
      const me = await call(app, 'GET', '/api/me', { token: body.token });
      expect(me.status).toBe(200);
      expect(me.body).toEqual({ user: { id: account.id, name: 'Login User', email: account.email, role: 'customer' } });
    });

    it('when /api/me is called with only the session cookie, then it answers the account', async () => {
      const res = await login({ email: account.email, password: account.password });
      const cookie = sessionCookie(res)!.split(';')[0]!;
      const me = await call(app, 'GET', '/api/me', { headers: { cookie } });
      expect(me.status).toBe(200);
      expect(me.body.user.id).toBe(account.id);
    });

    it.each([
      ['no credentials', {}],
      ['a short garbage bearer token', { authorization: 'Bearer garbage' }],
      ['a well-formed but unknown bearer token', { authorization: `Bearer ${randomBytes(32).toString('base64url')}` }],
      ['an empty bearer token', { authorization: 'Bearer ' }],
      ['a Basic authorization header', { authorization: `Basic ${Buffer.from('a:b').toString('base64')}` }],
      ['a garbage cookie', { cookie: `tc_session=${randomBytes(32).toString('base64url')}` }],
      ['an oversized token', { authorization: `Bearer ${'a'.repeat(5000)}` }],
    ])('when /api/me is called with %s, then it answers 401 UNAUTHENTICATED', async (_what, headers) => {
      expectError(await call(app, 'GET', '/api/me', { headers }), 401, 'UNAUTHENTICATED');
    });

    it('when logging out with the bearer token, then it answers 204 and that token and its cookie get 401', async () => {
      const { body } = await login({ email: account.email, password: account.password });
      const out = await call(app, 'POST', '/api/auth/logout', { token: body.token });
      expect(out.status).toBe(204);
      // The cookie is cleared in the browser too.
      const cleared = sessionCookie(out);
      expect(cleared).toBeDefined();
      expect(cleared).toMatch(/^tc_session=;|Max-Age=0|Expires=Thu, 01 Jan 1970/i);
      expectError(await call(app, 'GET', '/api/me', { token: body.token }), 401, 'UNAUTHENTICATED');
      expectError(await call(app, 'GET', '/api/me', { headers: { cookie: `tc_session=${body.token}` } }), 401, 'UNAUTHENTICATED');
      expectError(await call(app, 'POST', '/api/auth/logout', { token: body.token }), 401, 'UNAUTHENTICATED');
    });

    it('when logging out with the cookie, then it answers 204 and the cookie and the token stop working', async () => {
      const res = await login({ email: account.email, password: account.password });
      const cookie = sessionCookie(res)!.split(';')[0]!;
      const out = await call(app, 'POST', '/api/auth/logout', { headers: { cookie } });
      expect(out.status).toBe(204);
      expectError(await call(app, 'GET', '/api/me', { headers: { cookie } }), 401, 'UNAUTHENTICATED');
      expectError(await call(app, 'GET', '/api/me', { token: res.body.token }), 401, 'UNAUTHENTICATED');
    });

    it('when one session logs out, then the account’s other sessions keep working', async () => {
      const a = await login({ email: account.email, password: account.password });
      const b = await login({ email: account.email, password: account.password });
      expect(a.body.token).not.toBe(b.body.token);
      expect((await call(app, 'POST', '/api/auth/logout', { token: a.body.token })).status).toBe(204);
      expect((await call(app, 'GET', '/api/me', { token: b.body.token })).status).toBe(200);
    });

    it('when logging out without a session, then it answers 401 UNAUTHENTICATED', async () => {
      expectError(await call(app, 'POST', '/api/auth/logout'), 401, 'UNAUTHENTICATED');
    });

    it('when the session is older than 30 days, then it no longer authenticates', async () => {
      const { body } = await login({ email: account.email, password: account.password });
      const start = clock.now();
      try {
        clock.advance(29 * 86_400_000);
        expect((await call(app, 'GET', '/api/me', { token: body.token })).status).toBe(200);
        clock.advance(1 * 86_400_000 + 1_000);
        expectError(await call(app, 'GET', '/api/me', { token: body.token }), 401, 'UNAUTHENTICATED');
      } finally {
        clock.set(start);
      }
    });

    it('when the database is read, then only a hash of the session token is stored', async () => {
      const { body } = await login({ email: account.email, password: account.password });
      const { rows } = await h.db.query<{ n: number }>('SELECT count(*)::int AS n FROM sessions WHERE token_hash = $1', [body.token]);
      expect(rows[0]!.n).toBe(0);
      const mine = await h.db.query<{ token_hash: string }>('SELECT token_hash FROM sessions WHERE user_id = $1', [account.id]);
      expect(mine.rows.length).toBeGreaterThan(0);
      for (const r of mine.rows) expect(r.token_hash).not.toContain(body.token);
    });
  });

  // The numbers come from app.ts: 10 failed logins per email and 100 per IP in 15 minutes.
  describe('login rate limit', () => {
    const EMAIL_LIMIT = 10;
    const IP_LIMIT = 100;

    async function account(tag: string) {
      const a = { email: email(tag), password: 'limit-password' };
      expect((await signup({ name: 'Limited', email: a.email, password: a.password })).status).toBe(201);
      return a;
    }

    it('when one email fails 10 times, then the next attempt is 429 RATE_LIMITED even with the right password, from any IP and in any case', async () => {
      const a = await account('limited');
      const attacker = ip();
      for (let i = 0; i < EMAIL_LIMIT; i++) {
        expectError(await login({ email: a.email, password: `wrong-${i}` }, attacker), 401, 'INVALID_CREDENTIALS');
      }
      const blocked = await login({ email: a.email, password: a.password }, attacker);
      expectError(blocked, 429, 'RATE_LIMITED');
      expect(blocked.body.token).toBeUndefined();
      expect(sessionCookie(blocked)).toBeUndefined();
      const retryAfter = Number(blocked.headers['retry-after']);
      expect(Number.isInteger(retryAfter)).toBe(true);
      // The window is 15 minutes: the client is told to wait most of it, not a made-up minute.
      expect(retryAfter).toBeGreaterThan(60);
      expect(retryAfter).toBeLessThanOrEqual(15 * 60);

      expectError(await login({ email: a.email, password: a.password }, ip()), 429, 'RATE_LIMITED');
      expectError(await login({ email: a.email.toUpperCase(), password: a.password }, ip()), 429, 'RATE_LIMITED');
    });

    it('when one email is limited, then other accounts from the same IP still log in', async () => {
      const limited = await account('limited2');
      const other = await account('neighbour');
      const shared = ip();
      for (let i = 0; i < EMAIL_LIMIT; i++) await login({ email: limited.email, password: 'nope-nope' }, shared);
      expectError(await login({ email: limited.email, password: limited.password }, shared), 429, 'RATE_LIMITED');
      expect((await login({ email: other.email, password: other.password }, shared)).status).toBe(200);
    });

    it('when many wrong guesses for one email arrive at once, then no more than 10 are tried and the rest are 429', async () => {
      const a = await account('burst');
      const results = await Promise.all(
        Array.from({ length: EMAIL_LIMIT + 6 }, (_, i) => login({ email: a.email, password: `burst-${i}` })),
      );
      const statuses = results.map((r) => r.status);
      expect(statuses.filter((s) => s === 401)).toHaveLength(EMAIL_LIMIT);
      expect(statuses.filter((s) => s === 429)).toHaveLength(6);
      expectError(await login({ email: a.email, password: a.password }), 429, 'RATE_LIMITED');
    });

    it('when a login succeeds, then the email’s failure count starts again', async () => {
      const a = await account('reset');
      const addr = ip();
      for (let i = 0; i < EMAIL_LIMIT - 1; i++) await login({ email: a.email, password: `wrong-${i}` }, addr);
      expect((await login({ email: a.email, password: a.password }, addr)).status).toBe(200);
      for (let i = 0; i < EMAIL_LIMIT; i++) {
        expectError(await login({ email: a.email, password: `again-${i}` }, addr), 401, 'INVALID_CREDENTIALS');
      }
      expectError(await login({ email: a.email, password: a.password }, addr), 429, 'RATE_LIMITED');
    });

    it('when one IP fails 100 times across many emails, then it gets 429 for any email, while successes do not count and other IPs are unaffected', async () => {
      const victim = await account('victim');
      const attacker = ip();
      // Spread over many emails so the per-email limit never triggers.
      const failures = await Promise.all(
        Array.from({ length: IP_LIMIT - 1 }, (_, i) => login({ email: `spray${i}-${randomBytes(3).toString('hex')}@example.com`, password: 'guess-123' }, attacker)),
      );
      expect(failures.every((r) => r.status === 401)).toBe(true);
      // Successful logins from that IP are not failures: both still pass at 99 failures.
      expect((await login({ email: victim.email, password: victim.password }, attacker)).status).toBe(200);
      expect((await login({ email: victim.email, password: victim.password }, attacker)).status).toBe(200);
      expectError(await login({ email: email('last'), password: 'guess-123' }, attacker), 401, 'INVALID_CREDENTIALS');

      expectError(await login({ email: email('fresh'), password: 'guess-123' }, attacker), 429, 'RATE_LIMITED');
      expectError(await login({ email: victim.email, password: victim.password }, attacker), 429, 'RATE_LIMITED');
      expect((await login({ email: victim.email, password: victim.password }, ip())).status).toBe(200);
    });
  });
});
