import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { PG_URL, sleep, uniqueName } from '../support/harness-env.js';
import { http, onSaleShow, startInstance, type Instance } from '../support/instances.js';
import { connect, emitAck } from '../support/sockets.js';
import { describeNeeding } from '../support/needs.js';

/** Two server processes on one PostgreSQL + Redis: 60 admitted buyers race for the same 10 seats. */
describeNeeding(['postgres', 'redis'], 'seat race across two instances', () => {
  const schema = uniqueName('seats2');
  let a: Instance;
  let b: Instance;
  let db: pg.Client;
  let admin: string;

  beforeAll(async () => {
    const env = { DATABASE_SCHEMA: schema, ADMIN_EMAIL: 'ops@example.com', ADMIN_PASSWORD: 'opsopsops' };
    a = await startInstance(env);
    b = await startInstance(env);
    admin = (await http(a.url, 'POST', '/api/auth/login', { body: { email: 'ops@example.com', password: 'opsopsops' } })).body.token;
    db = new pg.Client({ connectionString: PG_URL, options: `-c search_path=${schema}` });
    await db.connect();
  }, 120_000);

  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await db?.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await db?.end();
  });

  it('when 60 buyers on two instances race for 10 seats, then each seat has exactly one holder and watchers on both instances see it', async () => {
    const show = await onSaleShow(admin, { venue: a.url, event: a.url, show: b.url }, { title: 'Race', rows: 1, seatsPerRow: 10, pageCapacity: 100, maxTicketsPerAccount: 10 });
    const buyers: { id: string; token: string }[] = (
      await http(a.url, 'POST', '/api/admin/users/bulk', { token: admin, body: { count: 60, emailPrefix: uniqueName('race'), password: 'password123' } })
    ).body.users;
    const at = (i: number) => (i % 2 === 0 ? a : b);
    for (const [i, u] of buyers.entries()) {
      const r = await http(at(i).url, 'POST', `/api/shows/${show.id}/queue`, { token: u.token });
      expect(r.body.state).toBe('admitted');
    }
    const seats: { id: string }[] = (await http(a.url, 'GET', `/api/shows/${show.id}/seats`, { token: buyers[0]!.token })).body.seats;
    expect(seats).toHaveLength(10);

    // Watchers on each instance: a hold committed on one must reach both.
    const wa = await connect(a.url, buyers[0]!.token);
    const wb = await connect(b.url, buyers[1]!.token);
    await emitAck(wa, 'show:watch', show.id);
    await emitAck(wb, 'show:watch', show.id);
    const seen = { a: new Set<string>(), b: new Set<string>() };
    wa.on('seat:update', (e) => e.status === 'selected' && seen.a.add(e.seatId));
    wb.on('seat:update', (e) => e.status === 'selected' && seen.b.add(e.seatId));

    // Every buyer tries every seat, in a different order, all at once.
    const results = await Promise.all(
      buyers.flatMap((u, i) =>
        seats.map((_, k) => {
          const seat = seats[(k + i) % seats.length]!;
          return http(at(i + k).url, 'POST', `/api/shows/${show.id}/seats/${seat.id}/hold`, { token: u.token }).then((r) => ({ r, seat: seat.id, user: u.id }));
        }),
      ),
    );
    expect(results.every(({ r }) => r.status === 200 || (r.status === 409 && r.body.error.code === 'SEAT_UNAVAILABLE'))).toBe(true);
    const winners = new Map<string, Set<string>>();
    for (const { r, seat, user } of results) if (r.status === 200) winners.set(seat, (winners.get(seat) ?? new Set()).add(user));
    expect(winners.size).toBe(10);
    for (const holders of winners.values()) expect(holders.size).toBe(1);

    const { rows } = await db.query(`SELECT seat_id, status, holder_id FROM show_seats WHERE show_id = $1`, [show.id]);
    for (const row of rows) {
      expect(row.status).toBe('selected');
      expect([...winners.get(row.seat_id)!]).toEqual([row.holder_id]);
    }
    const deadline = Date.now() + 3_000;
    while ((seen.a.size < 10 || seen.b.size < 10) && Date.now() < deadline) await sleep(50);
    expect(seen.a.size).toBe(10);
    expect(seen.b.size).toBe(10);
    wa.disconnect();
    wb.disconnect();
  }, 120_000);

  it('when a fan logs out on one instance, then the other instance refuses the token at once, although it had just cached the session', async () => {
    const [fan] = (await http(a.url, 'POST', '/api/admin/users/bulk', { token: admin, body: { count: 1, emailPrefix: uniqueName('out'), password: 'password123' } })).body.users;
    // b looks the session up (and keeps it for a few seconds); a, where the logout lands, too.
    expect((await http(b.url, 'GET', '/api/me', { token: fan.token })).status).toBe(200);
    expect((await http(a.url, 'GET', '/api/me', { token: fan.token })).status).toBe(200);
    expect((await http(a.url, 'POST', '/api/auth/logout', { token: fan.token })).status).toBe(204);
    expect((await http(b.url, 'GET', '/api/me', { token: fan.token })).status).toBe(401);
    expect((await http(a.url, 'GET', '/api/me', { token: fan.token })).status).toBe(401);
    await expect(connect(b.url, fan.token)).rejects.toThrow();
  }, 60_000);
});
