import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { QueueStatusEvent } from '../../src/shared/realtime.js';
import { PG_URL, sleep, uniqueName } from '../support/harness-env.js';
import { http, onSaleShow, startInstance, type Instance } from '../support/instances.js';
import { describeNeeding } from '../support/needs.js';
import { connect, emitAck, type ClientSocket } from '../support/sockets.js';

/**
 * Two server processes on one PostgreSQL and Redis: waiters watch from both, and the line is moved
 * by leaves (admitted and waiting, front, middle and back) and rejoins sent to either instance.
 */
describeNeeding(['postgres', 'redis'], 'line ticks across two instances', () => {
  const schema = uniqueName('ticks');
  let a: Instance;
  let b: Instance;
  let adminToken: string;
  const sockets: ClientSocket[] = [];

  beforeAll(async () => {
    const env = { DATABASE_SCHEMA: schema, ADMIN_EMAIL: 'ops@example.com', ADMIN_PASSWORD: 'opsopsops' };
    [a, b] = await Promise.all([startInstance(env), startInstance(env)]);
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

  it('every waiting connection, on either instance, hears its true place within about a second of each move of the line', async () => {
    const show = await onSaleShow(adminToken, { venue: a.url, event: b.url, show: a.url }, { title: 'Ticks', rows: 5, seatsPerRow: 10, pageCapacity: 3 });
    const users: { id: string; token: string }[] = (
      await http(a.url, 'POST', '/api/admin/users/bulk', { token: adminToken, body: { count: 130, emailPrefix: uniqueName('tick'), password: 'password123' } })
    ).body.users;
    const instanceOf = (i: number) => (i % 2 === 0 ? a : b);
    const last = new Map<string, QueueStatusEvent>();
    // Longer than the front (2 × capacity + 100), which was the only part told its place every second.
    for (const [i, u] of users.entries()) {
      expect((await http(instanceOf(i + 1).url, 'POST', `/api/shows/${show.id}/queue`, { token: u.token })).status).toBe(200);
    }
    await Promise.all(
      users.map(async (u, i) => {
        const s = await connect(instanceOf(i).url, u.token);
        sockets.push(s);
        s.on('queue:status', (e) => {
          if (e.showId === show.id) last.set(u.id, e);
        });
        expect(await emitAck(s, 'queue:watch', show.id)).toEqual({ ok: true });
      }),
    );

    /** Every account's true place against the last status its connection heard. */
    const disagreements = async () => {
      const truth = await Promise.all(users.map((u, i) => http(instanceOf(i).url, 'GET', `/api/shows/${show.id}/queue`, { token: u.token })));
      return users.flatMap((u, i) => {
        const t = truth[i]!.body;
        const heard = last.get(u.id);
        const want = t.state === 'waiting' ? t.position : t.state;
        const got = heard?.state === 'waiting' ? heard.position : heard?.state;
        return want === got ? [] : [{ user: i, want, got }];
      });
    };
    const settles = async () => {
      const deadline = Date.now() + 2_500;
      let off = await disagreements();
      while (off.length > 0 && Date.now() < deadline) {
        await sleep(200);
        off = await disagreements();
      }
      return off;
    };

    expect(await settles()).toEqual([]);
    let rng = 7;
    const random = (n: number) => ((rng = (rng * 1103515245 + 12345) % 2 ** 31) % n);
    for (let round = 0; round < 6; round++) {
      // Leaves on both instances: an admitted account (admits the next), and waiters anywhere in line.
      const places = await Promise.all(users.map((u, i) => http(instanceOf(i).url, 'GET', `/api/shows/${show.id}/queue`, { token: u.token })));
      const admitted = users.filter((_, i) => places[i]!.body.state === 'admitted');
      const waiting = users.filter((_, i) => places[i]!.body.state === 'waiting');
      const leaving = [admitted[random(admitted.length)]!, waiting[random(waiting.length)]!, waiting[random(waiting.length)]!];
      await Promise.all(leaving.map((u, k) => http((k % 2 ? a : b).url, 'DELETE', `/api/shows/${show.id}/queue`, { token: u.token })));
      // One who left comes back at the back, through the other instance.
      await http((round % 2 ? a : b).url, 'POST', `/api/shows/${show.id}/queue`, { token: leaving[1]!.token });
      expect(await settles()).toEqual([]);
    }
  }, 120_000);
});
