import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { expect, it } from 'vitest';
import { call, newCustomer } from '../support/api-client.js';
import { useHarness } from '../support/api-suite.js';
import type { Harness } from '../support/harness.js';
import { type TestSmtp } from '../support/mail.js';
import { describeOnEachDatabase } from '../support/needs.js';

let ipCounter = 0;
/** Each test asks from its own client address, so the per-IP limit of one does not touch another. */
const freshIp = () => `10.9.${Math.floor(++ipCounter / 250)}.${ipCounter % 250}`;

describeOnEachDatabase('forgot password (%s)', (kind) => {
  let h: Harness;
  let app: FastifyInstance;
  let smtp: TestSmtp;
  useHarness({ db: kind, redis: kind === 'postgres', smtp: true, admin: false }, (s) => ({ h, app, smtp } = s));

  const ask = (email: string, ip = freshIp()) => call(app, 'POST', '/api/auth/password-reset', { body: { email }, headers: { 'x-forwarded-for': ip } });
  const confirm = (token: string, password: string) => call(app, 'POST', '/api/auth/password-reset/confirm', { body: { token, password } });
  const login = (email: string, password: string) => call(app, 'POST', '/api/auth/login', { body: { email, password }, headers: { 'x-forwarded-for': freshIp() } });
  const resetMailsTo = async (email: string) => {
    await h.ticketClub.services.mail!.sendDue();
    return smtp.received.filter((m) => (m.to as { text: string } | undefined)?.text === email);
  };
  /** The token of the link in the latest reset email to `email`. */
  async function tokenFor(email: string): Promise<string> {
    const mails = await resetMailsTo(email);
    const link = /https:\/\/tickets\.example\.test\/reset-password\?token=([A-Za-z0-9_-]+)/.exec(mails.at(-1)?.text ?? '');
    expect(link, 'a reset link in the email').not.toBeNull();
    return decodeURIComponent(link![1]!);
  }

  it('when the email has no account, then it answers 202 all the same and nothing is sent', async () => {
    const r = await ask(`nobody${Date.now()}@example.com`);
    expect(r.status).toBe(202);
    const known = await newCustomer(app);
    const k = await ask(known.email);
    expect(k.status).toBe(202);
    expect(k.body).toEqual(r.body);
    await h.ticketClub.services.mail!.sendDue();
    expect(smtp.received).toHaveLength(1);
    expect((smtp.received[0]!.to as { text: string }).text).toBe(known.email);
  });

  it('when an account asks, then it gets a link whose token is stored only as its hash, and the sent message forgets it', async () => {
    const fan = await newCustomer(app);
    expect((await ask(fan.email.toUpperCase())).status).toBe(202);
    const token = await tokenFor(fan.email);
    const { rows } = await h.db.query<{ token_hash: string }>(`SELECT token_hash FROM password_resets WHERE user_id = $1`, [fan.id]);
    expect(rows).toEqual([{ token_hash: createHash('sha256').update(token).digest('hex') }]);
    const stored = await h.db.query<{ payload: unknown }>(`SELECT payload FROM mail_outbox WHERE kind = 'password-reset' AND to_address = $1`, [fan.email]);
    expect(JSON.stringify(stored.rows)).not.toContain(token);
  });

  it('when the token is used, then the password changes, every session of the account ends, and the token does not work again', async () => {
    const fan = await newCustomer(app);
    const second = (await login(fan.email, 'password123')).body.token as string;
    await ask(fan.email);
    const token = await tokenFor(fan.email);
    expect((await confirm(token, 'a-new-password')).status).toBe(204);

    for (const t of [fan.token, second]) expect((await call(app, 'GET', '/api/me', { token: t })).status).toBe(401);
    expect((await login(fan.email, 'password123')).body.error.code).toBe('INVALID_CREDENTIALS');
    expect((await login(fan.email, 'a-new-password')).status).toBe(200);

    const again = await confirm(token, 'yet-another-one');
    expect(again.status).toBe(400);
    expect(again.body.error.code).toBe('RESET_TOKEN_INVALID');
    expect((await login(fan.email, 'a-new-password')).status).toBe(200);
  });

  it('when the same token is used twice at once, then exactly one succeeds', async () => {
    const fan = await newCustomer(app);
    await ask(fan.email);
    const token = await tokenFor(fan.email);
    const results = await Promise.all([confirm(token, 'first-password'), confirm(token, 'second-password')]);
    expect(results.map((r) => r.status).sort()).toEqual([204, 400]);
    const winner = results[0]!.status === 204 ? 'first-password' : 'second-password';
    expect((await login(fan.email, winner)).status).toBe(200);
  });

  it('when the link has expired, or a newer one was used, then it is refused and the password stays', async () => {
    const fan = await newCustomer(app);
    await ask(fan.email);
    const old = await tokenFor(fan.email);
    await h.db.query(`UPDATE password_resets SET expires_at = now() - interval '1 second' WHERE user_id = $1`, [fan.id]);
    expect((await confirm(old, 'too-late-password')).body.error.code).toBe('RESET_TOKEN_INVALID');
    expect((await login(fan.email, 'password123')).status).toBe(200);

    await ask(fan.email);
    const first = await tokenFor(fan.email);
    await ask(fan.email);
    const latest = await tokenFor(fan.email);
    expect(latest).not.toBe(first);
    expect((await confirm(latest, 'the-right-password')).status).toBe(204);
    expect((await confirm(first, 'another-password')).body.error.code).toBe('RESET_TOKEN_INVALID');
  });

  it('when the input is bad, then it answers 400 VALIDATION_FAILED and the token still works', async () => {
    const fan = await newCustomer(app);
    expect((await call(app, 'POST', '/api/auth/password-reset', { body: {} })).body.error.code).toBe('VALIDATION_FAILED');
    await ask(fan.email);
    const token = await tokenFor(fan.email);
    expect((await confirm(token, 'short')).body.error.code).toBe('VALIDATION_FAILED');
    expect((await call(app, 'POST', '/api/auth/password-reset/confirm', { body: { token: 'x', password: 'long-enough' } })).body.error.code).toBe('VALIDATION_FAILED');
    expect((await confirm(token, 'long-enough')).status).toBe(204);
  });

  it('when one address asks too often, then 429; when one account is asked for too often, then 202 but no more email', async () => {
    const ip = freshIp();
    const statuses = [];
    for (let i = 0; i < 11; i++) statuses.push((await ask(`flood${i}-${Date.now()}@example.com`, ip)).status);
    expect(statuses.slice(0, 10).every((s) => s === 202)).toBe(true);
    expect(statuses[10]).toBe(429);

    const fan = await newCustomer(app);
    for (let i = 0; i < 5; i++) expect((await ask(fan.email)).status).toBe(202);
    expect(await resetMailsTo(fan.email)).toHaveLength(3);
  });
});
