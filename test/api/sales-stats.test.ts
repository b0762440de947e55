import type { FastifyInstance } from 'fastify';
import { expect, it } from 'vitest';
import { call, createShow, newAdmin, newCustomer } from '../support/api-client.js';
import { useHarness } from '../support/api-suite.js';
import { startHarness, type Harness } from '../support/harness.js';
import { describeOnEachDatabase } from '../support/needs.js';
import { admit, checkout, hold, MISSING_ID, pay, seatIdsOf } from './seat-helpers.js';

describeOnEachDatabase('the money on the dashboard (%s)', (kind) => {
  let h: Harness;
  let app: FastifyInstance;
  let admin: string;
  useHarness({ db: kind, redis: kind === 'postgres' }, (s) => ({ h, app, admin } = s));

  async function buy(showId: string, seats: string[], paid = true) {
    const fan = await newCustomer(app);
    await admit(app, showId, fan.token);
    for (const s of seats) expect((await hold(app, showId, s, fan.token)).status).toBe(200);
    const order = (await checkout(app, showId, seats, fan.token)).body.order;
    if (paid) expect((await call(app, 'POST', `/api/orders/${order.id}/pay`, { token: fan.token, body: pay() })).status).toBe(200);
    return order;
  }

  it('when orders are paid, then the stats count paid orders and revenue, and the history has them in their minute, also for a server started afresh', async () => {
    const show = await createShow(app, admin, { price: (i) => [1500, 800][i]! });
    const seats = await seatIdsOf(h.db, show.id); // area A (1500) first, then B (800)
    const before = await call(app, 'GET', `/api/admin/shows/${show.id}/stats`, { token: admin });
    expect(before.body).toMatchObject({ paidOrders: 0, revenue: 0, currency: 'TWD' });

    await buy(show.id, [seats[0]!, seats[1]!]);
    await buy(show.id, [seats.at(-1)!]);
    await buy(show.id, [seats[2]!], false); // pending: neither sold nor revenue

    const stats = await call(app, 'GET', `/api/admin/shows/${show.id}/stats`, { token: admin });
    expect(stats.body).toMatchObject({ sold: 3, paidOrders: 2, revenue: 3800, currency: 'TWD' });

    const history = async (a: FastifyInstance, q = '') => (await call(a, 'GET', `/api/admin/shows/${show.id}/stats/history${q}`, { token: admin })).body;
    const h1 = await history(app, '?minutes=5');
    expect(h1.currency).toBe('TWD');
    expect(h1.points).toHaveLength(5);
    expect(h1.points.map((p: { at: string }) => Date.parse(p.at) % 60_000)).toEqual([0, 0, 0, 0, 0]);
    const sum = (k: 'sold' | 'paidOrders' | 'revenue') => h1.points.reduce((n: number, p: Record<string, number>) => n + p[k]!, 0);
    expect([sum('sold'), sum('paidOrders'), sum('revenue')]).toEqual([3, 2, 3800]);

    // Another instance on the same database (a restart, a reload served elsewhere) tells the same story.
    const other = await startHarness({ sharedDb: h.db });
    try {
      const otherAdmin = await newAdmin(other.ticketClub, other.ticketClub.app);
      const h2 = (await call(other.ticketClub.app, 'GET', `/api/admin/shows/${show.id}/stats/history?minutes=5`, { token: otherAdmin })).body;
      // Compared minute by minute: the five-minute window may have moved on by one since h1.
      type Point = { at: string; sold: number; paidOrders: number; revenue: number };
      const figures = (ps: Point[]) => new Map(ps.map((p) => [p.at, [p.sold, p.paidOrders, p.revenue]]));
      const [m1, m2] = [figures(h1.points), figures(h2.points)];
      const shared = [...m2.keys()].filter((at) => m1.has(at));
      expect(shared.length).toBeGreaterThanOrEqual(4);
      for (const at of shared) expect(m2.get(at)).toEqual(m1.get(at));
      const total = [...m2.values()].reduce((n, v) => n.map((x, i) => x + v[i]!), [0, 0, 0]);
      expect(total).toEqual([3, 2, 3800]);
    } finally {
      await other.ticketClub.close();
    }
    expect((await history(app)).points).toHaveLength(60);
  });

  it('when the history is asked wrongly or by a customer, then 400, 403 or 404', async () => {
    const show = await createShow(app, admin);
    const fan = await newCustomer(app);
    const url = `/api/admin/shows/${show.id}/stats/history`;
    for (const q of ['?minutes=0', '?minutes=1441', '?minutes=abc', '?minutes=-5']) expect((await call(app, 'GET', url + q, { token: admin })).body.error.code, q).toBe('VALIDATION_FAILED');
    expect((await call(app, 'GET', url, { token: fan.token })).body.error.code).toBe('FORBIDDEN');
    expect((await call(app, 'GET', `/api/admin/shows/${MISSING_ID}/stats/history`, { token: admin })).body.error.code).toBe('NOT_FOUND');
  });
});
