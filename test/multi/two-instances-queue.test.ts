import { expect, it } from 'vitest';
import { http, onSaleShow } from '../support/instances.js';
import { sleep, uniqueName } from '../support/harness-env.js';
import { connect, emitAck } from '../support/sockets.js';
import { useInstancePair } from '../support/instance-pair.js';
import { describeNeeding } from '../support/needs.js';

/**
 * Two server processes sharing PostgreSQL and Redis, as behind a load balancer: 30 accounts join
 * alternately on both with capacity 5.
 */
describeNeeding(['postgres', 'redis'], 'waiting room across two instances', () => {
  const pair = useInstancePair('multi');

  it('never admits more than the capacity, admits in join order, and a leave on one instance admits a waiter on the other', async () => {
    const show = await onSaleShow(pair.adminToken, { venue: pair.a.url, event: pair.b.url, show: pair.a.url }, { title: 'Two', rows: 5, seatsPerRow: 10, pageCapacity: 5 });
    const users: { id: string; token: string }[] = (
      await http(pair.a.url, 'POST', '/api/admin/users/bulk', { token: pair.adminToken, body: { count: 30, emailPrefix: uniqueName('two'), password: 'password123' } })
    ).body.users;
    const instanceOf = (i: number) => (i % 2 === 0 ? pair.a : pair.b);

    // Every account watches from "its" instance; record the order in which admissions arrive.
    const admittedOrder: number[] = [];
    for (const [i, u] of users.entries()) {
      const s = await connect(instanceOf(i).url, u.token);
      pair.sockets.push(s);
      s.on('queue:admitted', (e) => {
        if (e.showId === show.id) admittedOrder.push(i);
      });
      expect(await emitAck(s, 'queue:watch', show.id)).toEqual({ ok: true });
    }

    // Sample the page from both instances all along.
    let maxAdmitted = 0;
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        for (const inst of [pair.a, pair.b]) {
          const st = await http(inst.url, 'GET', `/api/admin/shows/${show.id}/stats`, { token: pair.adminToken });
          maxAdmitted = Math.max(maxAdmitted, st.body.admitted);
        }
        await sleep(20);
      }
    })();

    // Join alternately on both instances, two at a time so the instances race.
    for (let i = 0; i < users.length; i += 2) {
      const [r0, r1] = await Promise.all([
        http(instanceOf(i).url, 'POST', `/api/shows/${show.id}/queue`, { token: users[i]!.token }),
        http(instanceOf(i + 1).url, 'POST', `/api/shows/${show.id}/queue`, { token: users[i + 1]!.token }),
      ]);
      expect([r0.status, r1.status]).toEqual([200, 200]);
    }
    const places = await Promise.all(users.map((u, i) => http(instanceOf(i + 1).url, 'GET', `/api/shows/${show.id}/queue`, { token: u.token })));
    expect(places.filter((p) => p.body.state === 'admitted')).toHaveLength(5);
    const positions = places.flatMap((p) => (p.body.state === 'waiting' ? [p.body.position] : [])).sort((x, y) => x - y);
    expect(positions).toEqual(Array.from({ length: 25 }, (_, k) => k + 1));

    // The pairs raced, so the join order is what the server decided: by position, after the admitted.
    const joinOrder = places
      .map((p, i) => ({ i, key: p.body.state === 'admitted' ? Date.parse(p.body.admittedAt) - 1e13 : p.body.position }))
      .sort((x, y) => x.key - y.key)
      .map((x) => x.i);
    const firstFive = joinOrder.slice(0, 5);
    await sleep(300);
    expect([...admittedOrder].sort((x, y) => x - y)).toEqual([...firstFive].sort((x, y) => x - y));

    // Admitted accounts leave, two at once from different instances; each leave admits the next waiter.
    const leavers = [...firstFive];
    for (let k = 0; k < 20; k += 2) {
      const [x, y] = [leavers[k]!, leavers[k + 1]!];
      await Promise.all([
        http(pair.a.url, 'DELETE', `/api/shows/${show.id}/queue`, { token: users[x]!.token }),
        http(pair.b.url, 'DELETE', `/api/shows/${show.id}/queue`, { token: users[y]!.token }),
      ]);
      const deadline = Date.now() + 3_000;
      while (admittedOrder.length < 5 + k + 2 && Date.now() < deadline) await sleep(20);
      leavers.push(...admittedOrder.slice(5 + k, 5 + k + 2));
    }
    sampling = false;
    await sampler;

    expect(admittedOrder).toHaveLength(25);
    // Each pair of leaves was concurrent, so its two admissions may arrive in either order; as pairs
    // they must be exactly the next two in line.
    const pairs = (xs: number[]) => Array.from({ length: xs.length / 2 }, (_, k) => [xs[2 * k]!, xs[2 * k + 1]!].sort((p, q) => p - q));
    expect(pairs(admittedOrder.slice(5))).toEqual(pairs(joinOrder.slice(5, 25)));
    expect(maxAdmitted).toBeLessThanOrEqual(5);
    expect(maxAdmitted).toBe(5);
    // Admissions crossed instances: accounts on B were admitted by leaves sent to A and vice versa.
    expect(admittedOrder.slice(5).some((i) => i % 2 === 1)).toBe(true);
    expect(admittedOrder.slice(5).some((i) => i % 2 === 0)).toBe(true);
  }, 120_000);
});
