import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { PG_URL, sleep, uniqueName } from '../support/harness-env.js';
import { http, onSaleShow, startInstance, type Instance } from '../support/instances.js';
import { connect, emitAck, nextEvent, type ClientSocket } from '../support/sockets.js';
import { describeNeeding } from '../support/needs.js';

/**
 * Presence lives in the shared store, not in the instance holding the socket: when that instance
 * dies (SIGKILL, no goodbye), the other one removes its accounts after the grace.
 */
describeNeeding(['postgres', 'redis'], 'presence when an instance dies', () => {
  const schema = uniqueName('presence');
  let a: Instance;
  let b: Instance;
  let adminToken: string;
  const sockets: ClientSocket[] = [];

  beforeAll(async () => {
    const env = { DATABASE_SCHEMA: schema, ADMIN_EMAIL: 'ops@example.com', ADMIN_PASSWORD: 'opsopsops', QUEUE_GRACE_SECONDS: '3', ADMITTED_GRACE_SECONDS: '3' };
    a = await startInstance(env);
    b = await startInstance(env);
    adminToken = (await http(a.url, 'POST', '/api/auth/login', { body: { email: 'ops@example.com', password: 'opsopsops' } })).body.token;
  }, 120_000);

  afterAll(async () => {
    for (const s of sockets) s.disconnect();
    await Promise.all([a?.stop(), b?.stop()]);
    const c = new pg.Client({ connectionString: PG_URL });
    await c.connect();
    await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await c.end();
  });

  it('when the instance holding an admitted account\'s socket is killed, then the other instance removes it after the grace and admits the next', async () => {
    const show = await onSaleShow(adminToken, { venue: b.url, event: b.url, show: b.url }, { title: 'Presence', rows: 1, seatsPerRow: 5, pageCapacity: 1 });
    const [onA, onB]: { id: string; token: string }[] = (
      await http(b.url, 'POST', '/api/admin/users/bulk', { token: adminToken, body: { count: 2, emailPrefix: uniqueName('pr'), password: 'password123' } })
    ).body.users;
    const place = async (u: { token: string }) => (await http(b.url, 'GET', `/api/shows/${show.id}/queue`, { token: u.token })).body;

    expect((await http(a.url, 'POST', `/api/shows/${show.id}/queue`, { token: onA!.token })).body.state).toBe('admitted');
    expect((await http(b.url, 'POST', `/api/shows/${show.id}/queue`, { token: onB!.token })).body.state).toBe('waiting');
    const sa = await connect(a.url, onA!.token);
    const sb = await connect(b.url, onB!.token);
    sockets.push(sa, sb);
    expect(await emitAck(sa, 'queue:watch', show.id)).toEqual({ ok: true });
    expect(await emitAck(sb, 'queue:watch', show.id)).toEqual({ ok: true });

    // While A lives, its heartbeats keep the account present well past the grace.
    await sleep(4_500);
    expect((await place(onA!)).state).toBe('admitted');

    const admitted = nextEvent(sb, 'queue:admitted', (e) => e.showId === show.id, 10_000);
    const killedAt = Date.now();
    await a.stop('SIGKILL');
    await admitted;
    // Not before the grace (3 s from A's last heartbeat, at most ~1 s before the kill), not much after.
    expect(Date.now() - killedAt).toBeGreaterThanOrEqual(1_500);
    expect(await place(onA!)).toMatchObject({ state: 'none' });
    expect((await place(onB!)).state).toBe('admitted');
  }, 60_000);
});
