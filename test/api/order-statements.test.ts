import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Database, Queryable } from '../../src/server/platform/database.js';
import { call, createShow, newCustomers } from '../support/api-client.js';
import { useHarness } from '../support/api-suite.js';
import { openTestDb, type Harness } from '../support/harness.js';
import { describeOnEachDatabase } from '../support/needs.js';

/**
 * A statement costs the server and the database a round trip whatever it does (docs/benchmarks.md,
 * "One statement per step"): these are the budgets of the purchase's steps, counted at the database
 * handle the app is given (a transaction's BEGIN and COMMIT count as statements).
 */
function countingDatabase(): { db: Database; open(inner: Database): void; take(): string[] } {
  let inner: Database | undefined;
  let seen: string[] = [];
  const counted = (q: Queryable): Queryable => ({
    query: (sql, params) => {
      seen.push(sql.replace(/\s+/g, ' ').trim().slice(0, 60));
      return q.query(sql, params);
    },
  });
  const db: Database = {
    get kind() {
      return inner!.kind;
    },
    query: (sql, params) => counted(inner!).query(sql, params),
    async transaction(fn) {
      seen.push('BEGIN');
      try {
        return await inner!.transaction((tx) => fn(counted(tx)));
      } finally {
        seen.push('COMMIT');
      }
    },
    close: () => inner!.close(),
  } as Database;
  return {
    db,
    open: (d) => void (inner = d),
    take() {
      const out = seen;
      seen = [];
      return out;
    },
  };
}

describeOnEachDatabase('the statements of a paid order on %s', (kind) => {
  const counter = countingDatabase();
  let drop: () => Promise<void> = async () => undefined;
  beforeAll(async () => {
    const t = await openTestDb(kind);
    counter.open(t.db);
    drop = t.drop;
  }, 180_000);
  // Registered before the harness's own: runs after the app has closed.
  afterAll(() => drop());
  let h: Harness;
  let admin: string;
  useHarness({ sharedDb: counter.db, redis: kind === 'postgres' }, (s) => ({ h, admin } = s));

  it('when a fan holds a seat, checks out and pays, then the hold is one statement, the checkout one transaction and five statements, the payment five with no transaction', async () => {
    const app = h.ticketClub.app;
    const show = await createShow(app, admin, { areas: [{ name: 'A', rows: 2, seatsPerRow: 5 }] });
    const [fan] = await newCustomers(app, admin, 1);
    const s = `/api/shows/${show.id}`;
    const step = async (method: 'POST', url: string, body?: unknown) => {
      counter.take();
      const r = await call(app, method, url, { token: fan!.token, body });
      expect(r.status, JSON.stringify(r.body)).toBeLessThan(300);
      return { body: r.body, statements: counter.take() };
    };
    expect((await call(app, 'POST', `${s}/queue`, { token: fan!.token })).body.state).toBe('admitted');
    const seatId = (await call(app, 'GET', `${s}/seats`, { token: fan!.token })).body.seats[0].id as string;

    const hold = await step('POST', `${s}/seats/${seatId}/hold`);
    expect(hold.statements).toHaveLength(1);

    const checkout = await step('POST', `${s}/checkout`, { seatIds: [seatId] });
    expect(checkout.statements.filter((q) => q === 'BEGIN')).toHaveLength(1);
    expect(checkout.statements.length, checkout.statements.join('\n')).toBeLessThanOrEqual(5);

    const pay = await step('POST', `/api/orders/${checkout.body.order.id}/pay`, { method: 'card', card: { number: '4242424242424242', expMonth: 12, expYear: 2099, cvc: '123' } });
    expect(pay.body.order.tickets).toHaveLength(1);
    expect(pay.statements).not.toContain('BEGIN');
    expect(pay.statements.length, pay.statements.join('\n')).toBeLessThanOrEqual(5);
  });
});
