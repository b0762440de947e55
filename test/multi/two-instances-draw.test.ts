import { createHash, createHmac } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { http, startInstance, type Instance } from '../support/instances.js';
import { PG_URL, sleep, uniqueName } from '../support/harness-env.js';
import { describeNeeding } from '../support/needs.js';

/**
 * Two server processes sharing PostgreSQL and Redis race the pre-queue's draw at onSaleAt: both
 * run the draw job (every second, and a timer for the exact moment), and each holds its claim open
 * and waits before putting the draw in line (TICKETCLUB_TEST_DRAW_DELAY_MS), so they overlap.
 */
describeNeeding(['postgres', 'redis'], 'the draw across two instances', () => {
  const schema = uniqueName('multidraw');
  let a: Instance;
  let b: Instance;
  let adminToken: string;

  beforeAll(async () => {
    const env = { DATABASE_SCHEMA: schema, ADMIN_EMAIL: 'ops@example.com', ADMIN_PASSWORD: 'opsopsops', TICKETCLUB_TEST_DRAW_DELAY_MS: '300' };
    [a, b] = await Promise.all([startInstance(env), startInstance(env)]);
    adminToken = (await http(a.url, 'POST', '/api/auth/login', { body: { email: 'ops@example.com', password: 'opsopsops' } })).body.token;
  }, 120_000);

  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    const c = new pg.Client({ connectionString: PG_URL });
    await c.connect();
    await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await c.end();
  });

  it('draws exactly once: one seed, every entry once in the published order, everyone in line once in that order, later joiners behind', async () => {
    const capacity = 4;
    const venue = await http(a.url, 'POST', '/api/admin/venues', {
      token: adminToken,
      body: { name: 'Hall', city: 'Taipei', address: '', areas: [{ name: 'A', rows: 5, seatsPerRow: 10 }] },
    });
    const event = await http(b.url, 'POST', '/api/admin/events', { token: adminToken, body: { title: 'Draw', artist: 'Instances' } });
    const onSaleAt = Date.now() + 8_000;
    const show = (
      await http(a.url, 'POST', '/api/admin/shows', {
        token: adminToken,
        body: {
          eventId: event.body.event.id,
          venueId: venue.body.venue.id,
          startsAt: new Date(Date.now() + 86_400_000).toISOString(),
          onSaleAt: new Date(onSaleAt).toISOString(),
          queueOpensAt: new Date(Date.now() - 60_000).toISOString(),
          pageCapacity: capacity,
          prices: [{ areaId: venue.body.venue.areas[0].id, price: 1000 }],
        },
      })
    ).body.show;
    const users: { id: string; token: string }[] = (
      await http(a.url, 'POST', '/api/admin/users/bulk', { token: adminToken, body: { count: 30, emailPrefix: uniqueName('draw'), password: 'password123' } })
    ).body.users;
    const at = (i: number) => (i % 2 === 0 ? a : b);
    const early = users.slice(0, 26);
    const late = users.slice(26);

    const commitment = (await http(b.url, 'GET', `/api/shows/${show.id}/draw`)).body.commitment;
    const tokenOf = new Map<string, string>();
    for (const [i, u] of early.entries()) {
      const r = await http(at(i).url, 'POST', `/api/shows/${show.id}/queue`, { token: u.token });
      expect(r.body.state).toBe('early');
      tokenOf.set(r.body.entryId, u.token);
    }
    expect(Date.now()).toBeLessThan(onSaleAt);

    // Wait for the draw; nobody joins meanwhile, so the instances' jobs race each other.
    await sleep(Math.max(0, onSaleAt - Date.now()) + 3_000);
    const [da, db] = await Promise.all([http(a.url, 'GET', `/api/shows/${show.id}/draw`), http(b.url, 'GET', `/api/shows/${show.id}/draw`)]);
    expect(da.body).toEqual(db.body);
    expect(da.body.commitment).toBe(commitment);
    expect(createHash('sha256').update(Buffer.from(da.body.seed, 'hex')).digest('hex')).toBe(commitment);
    const entries: string[] = da.body.entries;
    expect([...entries].sort()).toEqual([...tokenOf.keys()].sort());
    const key = Buffer.from(da.body.seed, 'hex');
    const h = (id: string) => createHmac('sha256', key).update(id, 'utf8').digest('hex');
    expect(entries).toEqual([...entries].sort((x, y) => (h(x) < h(y) ? -1 : 1)));

    const stats = (await http(a.url, 'GET', `/api/admin/shows/${show.id}/stats`, { token: adminToken })).body;
    expect([stats.admitted, stats.waiting]).toEqual([capacity, early.length - capacity]);
    for (const [i, e] of entries.entries()) {
      const p = (await http(at(i).url, 'GET', `/api/shows/${show.id}/queue`, { token: tokenOf.get(e)! })).body;
      if (i < capacity) expect(p.state).toBe('admitted');
      else expect(p).toMatchObject({ state: 'waiting', position: i - capacity + 1 });
    }
    for (const [i, u] of late.entries()) {
      const r = await http(at(i).url, 'POST', `/api/shows/${show.id}/queue`, { token: u.token });
      expect(r.body).toMatchObject({ state: 'waiting', position: early.length - capacity + i + 1 });
    }
  }, 60_000);
});
