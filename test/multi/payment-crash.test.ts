import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { PG_URL, sleep, uniqueName } from '../support/harness-env.js';
import { http, onSaleShow, startInstance, type Instance } from '../support/instances.js';
import { describeNeeding } from '../support/needs.js';

const CARD = { number: '4242424242424242', expMonth: 12, expYear: 2099, cvc: '123' };

/**
 * A server process killed between the provider's charge and the order's completion (the
 * test-only fault TICKETCLUB_TEST_FAULTS=crash-after-charge), then a server started on the same
 * PostgreSQL + Redis: the order ends paid with its tickets, and the card was charged once.
 */
describeNeeding(['postgres', 'redis'], 'a payment interrupted by a crash', () => {
  const schema = uniqueName('paycrash');
  const env = { DATABASE_SCHEMA: schema, ADMIN_EMAIL: 'ops@example.com', ADMIN_PASSWORD: 'opsopsops', NODE_ENV: 'test' };
  const running: Instance[] = [];
  let db: pg.Client;
  let admin: string;

  const start = async (extra: Record<string, string> = {}) => {
    const i = await startInstance({ ...env, ...extra });
    running.push(i);
    return i;
  };

  beforeAll(async () => {
    db = new pg.Client({ connectionString: PG_URL, options: `-c search_path=${schema}` });
    await db.connect();
  }, 120_000);

  afterAll(async () => {
    await Promise.all(running.map((i) => i.stop()));
    await db?.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await db?.end();
  });

  /** On a crashing instance: a buyer with a pending order of `n` seats, who then pays and the process dies. */
  async function payIntoACrash(n: number) {
    const doomed = await start({ TICKETCLUB_TEST_FAULTS: 'crash-after-charge' });
    admin = (await http(doomed.url, 'POST', '/api/auth/login', { body: { email: 'ops@example.com', password: 'opsopsops' } })).body.token;
    const show = await onSaleShow(admin, { venue: doomed.url, event: doomed.url, show: doomed.url }, { title: 'Crash', rows: 1, seatsPerRow: 10, pageCapacity: 10 });
    const [buyer] = (await http(doomed.url, 'POST', '/api/admin/users/bulk', { token: admin, body: { count: 1, emailPrefix: uniqueName('pc'), password: 'password123' } }))
      .body.users;
    expect((await http(doomed.url, 'POST', `/api/shows/${show.id}/queue`, { token: buyer.token })).body.state).toBe('admitted');
    const seats: { id: string }[] = (await http(doomed.url, 'GET', `/api/shows/${show.id}/seats`, { token: buyer.token })).body.seats.slice(0, n);
    for (const s of seats) expect((await http(doomed.url, 'POST', `/api/shows/${show.id}/seats/${s.id}/hold`, { token: buyer.token })).status).toBe(200);
    const co = await http(doomed.url, 'POST', `/api/shows/${show.id}/checkout`, { token: buyer.token, body: { seatIds: seats.map((s) => s.id) } });
    expect(co.status).toBe(201);
    const orderId: string = co.body.order.id;

    const exited = new Promise<NodeJS.Signals | null>((r) => doomed.proc.once('exit', (_code, signal) => r(signal)));
    await expect(http(doomed.url, 'POST', `/api/orders/${orderId}/pay`, { token: buyer.token, body: { method: 'card', card: CARD } })).rejects.toThrow();
    expect(await exited).toBe('SIGKILL');
    // The provider charged the card; our side only knows an attempt was in flight.
    expect((await db.query(`SELECT count(*)::int AS n FROM test_provider_charges WHERE order_id = $1 AND status = 'succeeded'`, [orderId])).rows[0].n).toBe(1);
    expect((await db.query(`SELECT status FROM orders WHERE id = $1`, [orderId])).rows[0].status).toBe('pending');
    expect((await db.query(`SELECT state FROM payment_attempts WHERE order_id = $1`, [orderId])).rows).toEqual([{ state: 'charging' }]);
    return { show, buyer, orderId, seats };
  }

  async function expectPaidOnce(orderId: string, showId: string, seats: number) {
    expect((await db.query(`SELECT status FROM orders WHERE id = $1`, [orderId])).rows[0].status).toBe('paid');
    expect((await db.query(`SELECT count(*)::int AS n FROM tickets WHERE order_id = $1`, [orderId])).rows[0].n).toBe(seats);
    expect((await db.query(`SELECT count(*)::int AS n FROM show_seats WHERE show_id = $1 AND status = 'sold'`, [showId])).rows[0].n).toBe(seats);
    const charges = await db.query(
      `SELECT c.status, r.id IS NOT NULL AS refunded FROM test_provider_charges c LEFT JOIN test_provider_refunds r ON r.charge_id = c.id WHERE c.order_id = $1`,
      [orderId],
    );
    expect(charges.rows).toEqual([{ status: 'succeeded', refunded: false }]);
    expect((await db.query(`SELECT state FROM payment_attempts WHERE order_id = $1`, [orderId])).rows).toEqual([{ state: 'succeeded' }]);
  }

  it('when the process dies right after the charge, then the restarted server reconciles: the order is paid with its tickets, charged once', async () => {
    const { show, buyer, orderId, seats } = await payIntoACrash(2);
    const survivor = await start();
    const deadline = Date.now() + 30_000;
    let order = (await http(survivor.url, 'GET', `/api/orders/${orderId}`, { token: buyer.token })).body.order;
    while (order.status !== 'paid' && Date.now() < deadline) {
      await sleep(250);
      order = (await http(survivor.url, 'GET', `/api/orders/${orderId}`, { token: buyer.token })).body.order;
    }
    expect(order.status).toBe('paid');
    expect(order.tickets).toHaveLength(2);
    await expectPaidOnce(orderId, show.id, seats.length);
    await survivor.stop();
  }, 120_000);

  it('when the buyer retries the payment on the restarted server, then the first charge pays the order and no second one is made', async () => {
    const { show, buyer, orderId, seats } = await payIntoACrash(1);
    const survivor = await start();
    const r = await http(survivor.url, 'POST', `/api/orders/${orderId}/pay`, { token: buyer.token, body: { method: 'card', card: CARD } });
    expect(r.status).toBe(200);
    expect(r.body.order.status).toBe('paid');
    expect(r.body.order.tickets).toHaveLength(1);
    await expectPaidOnce(orderId, show.id, seats.length);
    await survivor.stop();
  }, 120_000);
});
