import { expect, it } from 'vitest';
import type { QueueStatusEvent } from '../../src/shared/realtime.js';
import { sleep, uniqueName } from '../support/harness-env.js';
import { http, onSaleShow } from '../support/instances.js';
import { useInstancePair } from '../support/instance-pair.js';
import { describeNeeding } from '../support/needs.js';
import { connect, emitAck } from '../support/sockets.js';

/**
 * Two server processes on one PostgreSQL and Redis: waiters watch from both, and the line is moved
 * by leaves (admitted and waiting, front, middle and back) and rejoins sent to either instance.
 */
describeNeeding(['postgres', 'redis'], 'line ticks across two instances', () => {
  const pair = useInstancePair('ticks');

  it('every waiting connection, on either instance, hears its true place within about a second of each move of the line', async () => {
    const show = await onSaleShow(pair.adminToken, { venue: pair.a.url, event: pair.b.url, show: pair.a.url }, { title: 'Ticks', rows: 5, seatsPerRow: 10, pageCapacity: 3 });
    const users: { id: string; token: string }[] = (
      await http(pair.a.url, 'POST', '/api/admin/users/bulk', { token: pair.adminToken, body: { count: 130, emailPrefix: uniqueName('tick'), password: 'password123' } })
    ).body.users;
    const instanceOf = (i: number) => (i % 2 === 0 ? pair.a : pair.b);
    const last = new Map<string, QueueStatusEvent>();
    // Longer than the front (2 × capacity + 100), which was the only part told its place every second.
    for (const [i, u] of users.entries()) {
      expect((await http(instanceOf(i + 1).url, 'POST', `/api/shows/${show.id}/queue`, { token: u.token })).status).toBe(200);
    }
    await Promise.all(
      users.map(async (u, i) => {
        const s = await connect(instanceOf(i).url, u.token);
        pair.sockets.push(s);
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
      await Promise.all(leaving.map((u, k) => http((k % 2 ? pair.a : pair.b).url, 'DELETE', `/api/shows/${show.id}/queue`, { token: u.token })));
      // One who left comes back at the back, through the other instance.
      await http((round % 2 ? pair.a : pair.b).url, 'POST', `/api/shows/${show.id}/queue`, { token: leaving[1]!.token });
      expect(await settles()).toEqual([]);
    }
  }, 120_000);

  it('a connection watching on one instance before its account joins on the other hears the place (or the early entry) at once', async () => {
    const show = await onSaleShow(pair.adminToken, { venue: pair.a.url, event: pair.b.url, show: pair.a.url }, { title: 'Join told', rows: 2, seatsPerRow: 5, pageCapacity: 1 });
    const users: { id: string; token: string }[] = (
      await http(pair.a.url, 'POST', '/api/admin/users/bulk', { token: pair.adminToken, body: { count: 4, emailPrefix: uniqueName('joined'), password: 'password123' } })
    ).body.users;
    expect((await http(pair.a.url, 'POST', `/api/shows/${show.id}/queue`, { token: users[0]!.token })).body.state).toBe('admitted');
    for (const [i, u] of users.slice(1).entries()) {
      const heard: QueueStatusEvent[] = [];
      const s = await connect((i % 2 ? pair.a : pair.b).url, u.token);
      pair.sockets.push(s);
      s.on('queue:status', (e) => {
        if (e.showId === show.id) heard.push(e);
      });
      expect(await emitAck(s, 'queue:watch', show.id)).toEqual({ ok: true });
      // Joined through the instance the socket is not on.
      const joined = await http((i % 2 ? pair.b : pair.a).url, 'POST', `/api/shows/${show.id}/queue`, { token: u.token });
      expect(joined.body).toMatchObject({ state: 'waiting', position: i + 1 });
      const t0 = Date.now();
      while (!heard.some((e) => e.state === 'waiting') && Date.now() - t0 < 2_000) await sleep(10);
      // Its next read would have come up to a second or two later.
      expect(Date.now() - t0).toBeLessThan(300);
      expect(heard.at(-1)).toMatchObject({ state: 'waiting', position: i + 1 });
    }
  }, 60_000);
});
