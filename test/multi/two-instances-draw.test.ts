import { createHash, createHmac } from 'node:crypto';
import { expect, it } from 'vitest';
import { http } from '../support/instances.js';
import { sleep, uniqueName } from '../support/harness-env.js';
import { useInstancePair } from '../support/instance-pair.js';
import { describeNeeding } from '../support/needs.js';

/**
 * Two server processes sharing PostgreSQL and Redis race the pre-queue's draw at onSaleAt: both
 * run the draw job (every second, and a timer for the exact moment), and each holds its claim open
 * and waits before putting the draw in line (TICKETCLUB_TEST_DRAW_DELAY_MS), so they overlap.
 */
describeNeeding(['postgres', 'redis'], 'the draw across two instances', () => {
  const pair = useInstancePair('multidraw', { TICKETCLUB_TEST_DRAW_DELAY_MS: '300' });

  it('draws exactly once: one seed, every entry once in the published order, everyone in line once in that order, later joiners behind', async () => {
    const capacity = 4;
    const venue = await http(pair.a.url, 'POST', '/api/admin/venues', {
      token: pair.adminToken,
      body: { name: 'Hall', city: 'Taipei', address: '', areas: [{ name: 'A', rows: 5, seatsPerRow: 10 }] },
    });
    const event = await http(pair.b.url, 'POST', '/api/admin/events', { token: pair.adminToken, body: { title: 'Draw', artist: 'Instances' } });
    const onSaleAt = Date.now() + 8_000;
    const show = (
      await http(pair.a.url, 'POST', '/api/admin/shows', {
        token: pair.adminToken,
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
      await http(pair.a.url, 'POST', '/api/admin/users/bulk', { token: pair.adminToken, body: { count: 30, emailPrefix: uniqueName('draw'), password: 'password123' } })
    ).body.users;
    const at = (i: number) => (i % 2 === 0 ? pair.a : pair.b);
    const early = users.slice(0, 26);
    const late = users.slice(26);

    const commitment = (await http(pair.b.url, 'GET', `/api/shows/${show.id}/draw`)).body.commitment;
    const tokenOf = new Map<string, string>();
    for (const [i, u] of early.entries()) {
      const r = await http(at(i).url, 'POST', `/api/shows/${show.id}/queue`, { token: u.token });
      expect(r.body.state).toBe('early');
      tokenOf.set(r.body.entryId, u.token);
    }
    expect(Date.now()).toBeLessThan(onSaleAt);

    // Wait for the draw; nobody joins meanwhile, so the instances' jobs race each other.
    await sleep(Math.max(0, onSaleAt - Date.now()) + 3_000);
    const [da, db] = await Promise.all([http(pair.a.url, 'GET', `/api/shows/${show.id}/draw`), http(pair.b.url, 'GET', `/api/shows/${show.id}/draw`)]);
    expect(da.body).toEqual(db.body);
    expect(da.body.commitment).toBe(commitment);
    expect(createHash('sha256').update(Buffer.from(da.body.seed, 'hex')).digest('hex')).toBe(commitment);
    const entries: string[] = da.body.entries;
    expect([...entries].sort()).toEqual([...tokenOf.keys()].sort());
    const key = Buffer.from(da.body.seed, 'hex');
    const h = (id: string) => createHmac('sha256', key).update(id, 'utf8').digest('hex');
    expect(entries).toEqual([...entries].sort((x, y) => (h(x) < h(y) ? -1 : 1)));

    const stats = (await http(pair.a.url, 'GET', `/api/admin/shows/${show.id}/stats`, { token: pair.adminToken })).body;
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
