import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { PG_URL, uniqueName } from '../support/harness-env.js';
import { http, startInstance, type Instance } from '../support/instances.js';
import { connect, type ClientSocket } from '../support/sockets.js';

/** Two server processes sharing PostgreSQL and Redis: a session ended on one ends on the other too. */
describe('sessions across instances', () => {
  const schema = uniqueName('multisess');
  const env = { DATABASE_SCHEMA: schema, ADMIN_EMAIL: 'ops@example.com', ADMIN_PASSWORD: 'opsopsops' };
  let a: Instance;
  let b: Instance;
  const promoters: Instance[] = [];
  const sockets: ClientSocket[] = [];

  beforeAll(async () => {
    a = await startInstance(env);
    b = await startInstance(env);
  }, 120_000);

  afterAll(async () => {
    for (const s of sockets) s.disconnect();
    await Promise.all([a?.stop(), b?.stop(), ...promoters.map((p) => p.stop())]);
    const client = new pg.Client({ connectionString: PG_URL });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await client.end();
  });

  const open = async (url: string, token: string) => {
    const s = await connect(url, token);
    sockets.push(s);
    return s;
  };
  const closed = (s: ClientSocket) =>
    new Promise<string>((resolve, reject) => {
      if (!s.connected) return resolve('already');
      const t = setTimeout(() => reject(new Error('socket still open after 3 s')), 3_000);
      s.once('disconnect', (reason) => {
        clearTimeout(t);
        resolve(reason);
      });
    });
  const signup = async (url: string, email: string) => {
    const r = await http(url, 'POST', '/api/auth/signup', { body: { name: 'Fan', email, password: 'password123' } });
    expect(r.status).toBe(201);
    return r.body.token as string;
  };

  it('when a session logs out on one instance, then its socket on the other is closed and the other no longer trusts its cached copy', async () => {
    const token = await signup(a.url, `${uniqueName('out')}@example.com`);
    expect((await http(b.url, 'GET', '/api/me', { token })).status).toBe(200); // cached on b
    const onB = await open(b.url, token);
    const onA = await open(a.url, token);
    const goneB = closed(onB);
    const goneA = closed(onA);
    expect((await http(a.url, 'POST', '/api/auth/logout', { token })).status).toBe(204);
    expect(await goneB).toBe('io server disconnect');
    expect(await goneA).toBe('io server disconnect');
    expect((await http(b.url, 'GET', '/api/me', { token })).status).toBe(401);
    await expect(connect(b.url, token)).rejects.toThrow(/log in/i);
  });

  it.each([
    ['one process', {}],
    ['cluster mode (the primary seeds before forking)', { WORKERS: '2' }],
  ])('when an instance starts (%s) with ADMIN_EMAIL naming a self-registered account, then it logs the promotion and the squatter’s sessions end on the running instances', async (_mode, extra) => {
    const email = `${uniqueName('squat')}@example.com`;
    const token = await signup(a.url, email);
    expect((await http(a.url, 'GET', '/api/me', { token })).body.user.role).toBe('customer');
    expect((await http(b.url, 'GET', '/api/me', { token })).status).toBe(200);
    const socket = await open(b.url, token);
    let reason: string | undefined;
    socket.once('disconnect', (r) => (reason = r));
    // The instance's start takes a while on a busy machine: the 3 s count from when it serves.
    const c = await startInstance({ ...env, ...extra, ADMIN_EMAIL: email, ADMIN_PASSWORD: 'the-operators-password' });
    promoters.push(c);
    expect(c.output()).toMatch(/ADMIN_EMAIL promoted the existing customer account/);
    await vi.waitFor(() => expect(reason).toBe('io server disconnect'), { timeout: 3_000 });
    for (const inst of [a, b]) expect((await http(inst.url, 'GET', '/api/me', { token })).status).toBe(401);
    const admin = await http(a.url, 'POST', '/api/auth/login', { body: { email, password: 'the-operators-password' } });
    expect(admin.body.user.role).toBe('admin');
  }, 90_000);
});
