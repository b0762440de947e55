import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ManualClock } from '../../src/server/platform/clock.js';
import { call, type Res } from '../support/api-client.js';
import { startHarness, type Harness } from '../support/harness.js';
import { describeOnEachDatabase } from '../support/needs.js';
import { connect, sleep, type ClientSocket } from '../support/sockets.js';

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

/** What the login delay of the app under test was asked to wait (see loginDelay below). */
const delays = { asked: [] as number[], hold: undefined as Promise<void> | undefined };
const MAX_WAITING = 6;

describeOnEachDatabase('accounts (%s)', (kind) => {
  let h: Harness;
  let app: FastifyInstance;
  const clock = new ManualClock();

  beforeAll(async () => {
    // PostgreSQL runs with Redis: the rate limits are then counted in Redis, as with several instances.
    h = await startHarness({
      db: kind,
      clock,
      redis: kind === 'postgres',
      redisLimiters: true,
      loginDelay: {
        maxWaiting: MAX_WAITING,
        // Records the delay asked for instead of waiting it; `hold` keeps the waiters waiting.
        sleep: async (ms) => {
          delays.asked.push(ms);
          await delays.hold;
        },
      },
    });
    app = h.ticketClub.app;
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

  // The numbers come from app.ts: 10 failed logins per (email, address) and 100 per address in
  // 15 minutes; past 5 failures of one email from anywhere each attempt waits 250 ms, doubling up to 3 s.
  describe('login rate limit', () => {
    const PAIR_LIMIT = 10;
    const IP_LIMIT = 100;
    const FREE_FAILURES = 5;
    const MAX_DELAY_MS = 3_000;

    async function account(tag: string) {
      const a = { email: email(tag), password: 'limit-password' };
      expect((await signup({ name: 'Limited', email: a.email, password: a.password })).status).toBe(201);
      return a;
    }
    /** The delays the attempts asked for since `mark` (attempts that need none ask for nothing). */
    const delaysSince = (mark: number) => delays.asked.slice(mark);

    it('when one email fails 12 times from 12 addresses, then none is refused and the right password from a fresh address gets in after a bounded, grown delay', async () => {
      const a = await account('many');
      const mark = delays.asked.length;
      for (let i = 0; i < PAIR_LIMIT + 2; i++) {
        const variant = i % 2 === 0 ? a.email : a.email.toUpperCase();
        expectError(await login({ email: variant, password: `wrong-${i}` }), 401, 'INVALID_CREDENTIALS');
      }
      const before = delays.asked.length;
      const owner = await login({ email: a.email, password: a.password });
      expect(owner.status, JSON.stringify(owner.body)).toBe(200);
      expect(typeof owner.body.token).toBe('string');
      // The owner waited, but no longer than the ceiling.
      expect(delays.asked.length).toBe(before + 1);
      expect(delays.asked.at(-1)).toBeGreaterThan(0);
      expect(delays.asked.at(-1)).toBeLessThanOrEqual(MAX_DELAY_MS);
      // The first failures were free; from then on every attempt waited, each at least as long as the last.
      const asked = delaysSince(mark);
      expect(asked).toHaveLength(PAIR_LIMIT + 2 + 1 - FREE_FAILURES);
      for (let i = 1; i < asked.length; i++) expect(asked[i]).toBeGreaterThanOrEqual(asked[i - 1]!);
      expect(asked.at(-1)! / asked[0]!).toBeGreaterThanOrEqual(8);
      // A success starts the account's count again: the next attempt waits for nothing.
      const after = delays.asked.length;
      expect((await login({ email: a.email, password: a.password })).status).toBe(200);
      expect(delays.asked.length).toBe(after);
    });

    it('when a burst of wrong guesses for one email arrives at once from many addresses, then all are answered 401, later ones waited longer, and the owner still gets in', async () => {
      const a = await account('spread');
      const mark = delays.asked.length;
      // As many as may wait at once (the cap has a case of its own below).
      const n = FREE_FAILURES + MAX_WAITING;
      const results = await Promise.all(Array.from({ length: n }, (_, i) => login({ email: a.email, password: `burst-${i}` })));
      expect(results.map((r) => r.status)).toEqual(Array(n).fill(401));
      const asked = delaysSince(mark);
      expect(asked).toHaveLength(MAX_WAITING);
      expect(Math.max(...asked)).toBe(MAX_DELAY_MS);
      expect((await login({ email: a.email, password: a.password })).status).toBe(200);
    });

    it('when a delayed attempt waits, then it is not answered before its delay ends, and past the waiting cap an attempt is 429 at once instead of held', async () => {
      const a = await account('held');
      for (let i = 0; i < FREE_FAILURES; i++) await login({ email: a.email, password: `free-${i}` });
      let release!: () => void;
      delays.hold = new Promise<void>((r) => (release = r));
      const mark = delays.asked.length;
      let answered = 0;
      const held = Array.from({ length: MAX_WAITING }, (_, i) =>
        login({ email: a.email, password: `held-${i}` }).then((r) => {
          answered++;
          return r;
        }),
      );
      try {
        await vi.waitFor(() => expect(delays.asked.length - mark).toBe(MAX_WAITING), { timeout: 10_000 });
        expect(answered).toBe(0);
        const shed = await login({ email: email('other'), password: 'whatever1' });
        expect(shed.status).toBe(401); // no delay asked for: not held, not refused
        const refused = await login({ email: a.email, password: a.password });
        expectError(refused, 429, 'RATE_LIMITED');
        expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);
        expect(Number(refused.headers['retry-after'])).toBeLessThanOrEqual(Math.ceil(MAX_DELAY_MS / 1000));
        expect(answered).toBe(0);
      } finally {
        delays.hold = undefined;
        release();
      }
      expect((await Promise.all(held)).map((r) => r.status)).toEqual(Array(MAX_WAITING).fill(401));
      // The shed attempt was given back: with the waiters gone the owner gets in.
      expect((await login({ email: a.email, password: a.password })).status).toBe(200);
    });

    it('when one address fails 10 times for one email, then that address gets 429 with a retry-after of most of the window, even with the right password, while a fresh address gets in', async () => {
      const a = await account('pair');
      const attacker = ip();
      for (let i = 0; i < PAIR_LIMIT; i++) {
        const variant = i % 2 === 0 ? a.email : a.email.toUpperCase();
        expectError(await login({ email: variant, password: `wrong-${i}` }, attacker), 401, 'INVALID_CREDENTIALS');
      }
      for (const variant of [a.email, a.email.toUpperCase()]) {
        const blocked = await login({ email: variant, password: a.password }, attacker);
        expectError(blocked, 429, 'RATE_LIMITED');
        expect(blocked.body.token).toBeUndefined();
        expect(sessionCookie(blocked)).toBeUndefined();
        const retryAfter = Number(blocked.headers['retry-after']);
        expect(Number.isInteger(retryAfter)).toBe(true);
        expect(retryAfter).toBeGreaterThan(60);
        expect(retryAfter).toBeLessThanOrEqual(15 * 60);
      }
      expect((await login({ email: a.email, password: a.password }, ip())).status).toBe(200);
    });

    it('when one address is refused for one email, then other accounts from that address still log in', async () => {
      const limited = await account('limited2');
      const other = await account('neighbour');
      const shared = ip();
      for (let i = 0; i < PAIR_LIMIT; i++) await login({ email: limited.email, password: 'nope-nope' }, shared);
      expectError(await login({ email: limited.email, password: limited.password }, shared), 429, 'RATE_LIMITED');
      expect((await login({ email: other.email, password: other.password }, shared)).status).toBe(200);
    });

    it('when many wrong guesses for one email arrive at once from one address, then no more than 10 are tried and the rest are 429', async () => {
      const a = await account('burst');
      const attacker = ip();
      const results = await Promise.all(
        Array.from({ length: PAIR_LIMIT + 6 }, (_, i) => login({ email: a.email, password: `burst-${i}` }, attacker)),
      );
      const statuses = results.map((r) => r.status);
      expect(statuses.filter((s) => s === 401)).toHaveLength(PAIR_LIMIT);
      expect(statuses.filter((s) => s === 429)).toHaveLength(6);
      expectError(await login({ email: a.email, password: a.password }, attacker), 429, 'RATE_LIMITED');
    });

    it('when a login succeeds, then the address’s failure count for that email starts again', async () => {
      const a = await account('reset');
      const addr = ip();
      for (let i = 0; i < PAIR_LIMIT - 1; i++) await login({ email: a.email, password: `wrong-${i}` }, addr);
      expect((await login({ email: a.email, password: a.password }, addr)).status).toBe(200);
      for (let i = 0; i < PAIR_LIMIT; i++) {
        expectError(await login({ email: a.email, password: `again-${i}` }, addr), 401, 'INVALID_CREDENTIALS');
      }
      expectError(await login({ email: a.email, password: a.password }, addr), 429, 'RATE_LIMITED');
    });

    it('when one IP fails 100 times across many emails, then it gets 429 for any email, while successes do not count and other IPs are unaffected', async () => {
      const victim = await account('victim');
      const attacker = ip();
      // Spread over many emails so the per-(email, address) limit never triggers.
      const failures = await Promise.all(
        Array.from({ length: IP_LIMIT - 1 }, (_, i) => login({ email: `spray${i}-${randomBytes(3).toString('hex')}@example.com`, password: 'guess-123' }, attacker)),
      );
      expect(failures.every((r) => r.status === 401)).toBe(true);
      // Successful logins from that IP are not failures: both still pass at 99 failures.
      expect((await login({ email: victim.email, password: victim.password }, attacker)).status).toBe(200);
      expect((await login({ email: victim.email, password: victim.password }, attacker)).status).toBe(200);
      expectError(await login({ email: email('last'), password: 'guess-123' }, attacker), 401, 'INVALID_CREDENTIALS');

      const refused = await login({ email: email('fresh'), password: 'guess-123' }, attacker);
      expectError(refused, 429, 'RATE_LIMITED');
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(60);
      expectError(await login({ email: victim.email, password: victim.password }, attacker), 429, 'RATE_LIMITED');
      expect((await login({ email: victim.email, password: victim.password }, ip())).status).toBe(200);
    });
  });

  describe('sessions end when they must', () => {
    let base: string;
    const sockets: ClientSocket[] = [];
    beforeAll(async () => {
      base = await h.listen();
    });
    afterAll(() => {
      for (const s of sockets) s.disconnect();
    });
    const open = async (token: string) => {
      const s = await connect(base, token);
      sockets.push(s);
      return s;
    };
    const closed = (s: ClientSocket) =>
      new Promise<string>((resolve, reject) => {
        if (!s.connected) return resolve('already');
        const t = setTimeout(() => reject(new Error('socket still open after 2 s')), 2_000);
        s.once('disconnect', (reason) => {
          clearTimeout(t);
          resolve(reason);
        });
      });
    const me = (token: string) => call(app, 'GET', '/api/me', { token });
    async function customer(tag: string) {
      const a = { email: email(tag), password: 'first-password' };
      const res = await signup({ name: 'Squatter', email: a.email, password: a.password });
      expect(res.status).toBe(201);
      return { ...a, id: res.body.user.id as string, token: res.body.token as string };
    }
    /** Holds the next session lookup (after it read the database) until `release` is called. */
    function holdNextSessionLookup() {
      const db = h.db as { query: typeof h.db.query };
      const original = db.query;
      let release!: () => void;
      const released = new Promise<void>((r) => (release = r));
      let read!: () => void;
      const hasRead = new Promise<void>((r) => (read = r));
      db.query = (async (sql: string, params?: unknown[]) => {
        if (!sql.includes('FROM sessions s JOIN users u')) return original.call(h.db, sql, params);
        db.query = original;
        const result = await original.call(h.db, sql, params);
        read();
        await released;
        return result;
      }) as typeof h.db.query;
      return { hasRead, release, restore: () => (db.query = original) };
    }

    it('when a session logs out, then its sockets are closed before the logout answers, a reconnect is refused, and the account’s other sessions keep theirs', async () => {
      const a = await customer('sock');
      const other = (await login({ email: a.email, password: a.password })).body.token as string;
      const mine = await open(a.token);
      const theirs = await open(other);
      const gone = closed(mine);
      expect((await call(app, 'POST', '/api/auth/logout', { token: a.token })).status).toBe(204);
      expect(await gone).toBe('io server disconnect');
      await expect(connect(base, a.token)).rejects.toThrow(/log in/i);
      await sleep(100);
      expect(theirs.connected).toBe(true);
      expect((await me(other)).status).toBe(200);
    });

    it('when a lookup read the session just before a logout deleted it, then that session is neither used nor cached afterwards', async () => {
      const a = await customer('race');
      const held = holdNextSessionLookup();
      try {
        const racing = me(a.token);
        await held.hasRead;
        expect((await call(app, 'POST', '/api/auth/logout', { token: a.token })).status).toBe(204);
        held.release();
        expectError(await racing, 401, 'UNAUTHENTICATED');
        expectError(await me(a.token), 401, 'UNAUTHENTICATED');
      } finally {
        held.release();
        held.restore();
      }
    });

    it('when a socket handshake read the session just before a logout deleted it, then the socket is refused', async () => {
      const a = await customer('hand');
      const held = holdNextSessionLookup();
      try {
        const racing = connect(base, a.token).then((s) => (sockets.push(s), s));
        await held.hasRead;
        expect((await call(app, 'POST', '/api/auth/logout', { token: a.token })).status).toBe(204);
        held.release();
        await expect(racing).rejects.toThrow(/log in/i);
      } finally {
        held.release();
        held.restore();
      }
    });

    it('when ADMIN_EMAIL names a self-registered account, then it becomes admin, says so, and every old session and socket of it ends', async () => {
      const squatter = await customer('squat');
      const second = (await login({ email: squatter.email, password: squatter.password })).body.token as string;
      expect((await me(squatter.token)).body.user.role).toBe('customer'); // now cached on this instance
      const socket = await open(squatter.token);
      const gone = closed(socket);
      const result = await h.ticketClub.services.auth.ensureAccount({ name: 'Admin', email: squatter.email.toUpperCase(), password: 'operator-password', role: 'admin' });
      expect(result).toMatchObject({ userId: squatter.id, created: false, roleChangedFrom: 'customer', passwordChanged: true, revokedSessions: 2 });
      expect(await gone).toBe('io server disconnect');
      expectError(await me(squatter.token), 401, 'UNAUTHENTICATED');
      expectError(await me(second), 401, 'UNAUTHENTICATED');
      expectError(await login({ email: squatter.email, password: squatter.password }), 401, 'INVALID_CREDENTIALS');
      const admin = await login({ email: squatter.email, password: 'operator-password' });
      expect(admin.body.user.role).toBe('admin');
    });

    it('when only the role changes, then the sessions end too; when nothing changes, then they are kept', async () => {
      const a = await customer('role');
      const first = await h.ticketClub.services.auth.ensureAccount({ name: 'X', email: a.email, password: a.password, role: 'admin' });
      expect(first).toMatchObject({ roleChangedFrom: 'customer', passwordChanged: false, revokedSessions: 1 });
      expectError(await me(a.token), 401, 'UNAUTHENTICATED');
      const fresh = (await login({ email: a.email, password: a.password })).body.token as string;
      const again = await h.ticketClub.services.auth.ensureAccount({ name: 'X', email: a.email, password: a.password, role: 'admin' });
      expect(again).toMatchObject({ created: false, passwordChanged: false, revokedSessions: 0 });
      expect(again.roleChangedFrom).toBeUndefined();
      expect((await me(fresh)).body.user.role).toBe('admin');
    });

    it('when the load-test API gives an existing account a new password, then its earlier sessions end and the new token works', async () => {
      const admin = await customer('bulkadmin');
      await h.ticketClub.services.auth.ensureAccount({ name: 'A', email: admin.email, password: admin.password, role: 'admin' });
      const adminToken = (await login({ email: admin.email, password: admin.password })).body.token as string;
      const prefix = `reuse${randomBytes(3).toString('hex')}-`;
      const bulk = (password: string) => call(app, 'POST', '/api/admin/users/bulk', { token: adminToken, body: { count: 2, emailPrefix: prefix, password } });
      const before = (await bulk('password-one')).body.users as { token: string }[];
      const oldSocket = await open(before[0]!.token);
      const gone = closed(oldSocket);
      expect((await me(before[0]!.token)).status).toBe(200);
      const after = (await bulk('password-two')).body.users as { token: string }[];
      expect(await gone).toBe('io server disconnect');
      for (const u of before) expectError(await me(u.token), 401, 'UNAUTHENTICATED');
      for (const u of after) expect((await me(u.token)).status).toBe(200);
    });
  });
});

describeOnEachDatabase('login limits from the configuration (%s)', (kind) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ db: kind, redis: kind === 'postgres', redisLimiters: true, env: { LOGIN_PAIR_RATE_LIMIT: '2', LOGIN_IP_RATE_LIMIT: '3' } });
  }, SETUP_TIMEOUT);
  afterAll(async () => {
    await h?.close();
  });
  const login = (body: unknown, addr: string) => call(h.ticketClub.app, 'POST', '/api/auth/login', { body, headers: from(addr) });

  it('when LOGIN_PAIR_RATE_LIMIT and LOGIN_IP_RATE_LIMIT are set, then an address is refused past those many failures', async () => {
    const a = { name: 'Limited', email: email('cfg'), password: 'limit-password' };
    expect((await call(h.ticketClub.app, 'POST', '/api/auth/signup', { body: a })).status).toBe(201);
    const pair = ip();
    for (let i = 0; i < 2; i++) expectError(await login({ email: a.email, password: `wrong-${i}` }, pair), 401, 'INVALID_CREDENTIALS');
    expectError(await login({ email: a.email, password: a.password }, pair), 429, 'RATE_LIMITED');

    const spray = ip();
    for (let i = 0; i < 3; i++) expectError(await login({ email: email('nobody'), password: 'wrong-password' }, spray), 401, 'INVALID_CREDENTIALS');
    expectError(await login({ email: a.email, password: a.password }, spray), 429, 'RATE_LIMITED');
    expect((await login({ email: a.email, password: a.password }, ip())).status).toBe(200);
  });
});
