import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Database, Queryable } from '../../src/server/platform/database.js';
import { createShow, newAdmin, newCustomers } from '../support/api-client.js';
import { openTestDb, startHarness, type Harness } from '../support/harness.js';
import { describeNeeding } from '../support/needs.js';
import { sleep } from '../support/sockets.js';
import { spelling } from '../support/spellings.js';
import { seatIdsOf } from './seat-helpers.js';

const WINDOW_MS = 300;

/**
 * The database, with a pause right after a statement takes an account's seat lock: a hold that
 * got the lock sits inside it long enough for any hold that could run beside it to do so. A hold
 * takes the lock inside its one statement (`hold_seat`, migrations/013): here that statement runs in
 * a transaction that stays open for the pause, and the lock (a transaction's) with it.
 */
function pausingAfterSeatLock(db: Database): Database {
  const takesLock = (sql: string) => (sql.includes('pg_advisory_xact_lock') && sql.includes('seat-holds')) || sql.includes('hold_seat(');
  const wrap = (tx: Queryable): Queryable => ({
    async query<T>(sql: string, params?: unknown[]) {
      const r = await tx.query<T>(sql, params);
      if (takesLock(sql)) await sleep(WINDOW_MS);
      return r;
    },
  });
  return {
    kind: db.kind,
    query: (sql, params) => (takesLock(sql) ? db.transaction((tx) => wrap(tx).query(sql, params)) : db.query(sql, params)),
    transaction: (fn) => db.transaction((tx) => fn(wrap(tx))),
    close: () => db.close(),
  };
}

/**
 * The ticket limit on PostgreSQL rests on one advisory lock per account and show. Its key must
 * not depend on how the show id was spelled: the service layer is called here directly, past the
 * HTTP door that canonicalises ids, with one account admitted under several spellings.
 * (PGlite runs one transaction at a time, so there is no race to lose there.)
 */
for (const redis of [false, true])
  describeNeeding(redis ? ['postgres', 'redis'] : ['postgres'], `ticket limit lock, whatever the spelling (postgres, redis: ${redis})`, () => {
  let h: Harness;
  let owned: Awaited<ReturnType<typeof openTestDb>>;

  beforeAll(async () => {
    owned = await openTestDb('postgres');
    h = await startHarness({ sharedDb: pausingAfterSeatLock(owned.db), redis });
  }, 60_000);
  afterAll(async () => {
    await h?.close();
    await owned?.drop();
  });

  it('when one account holds seats under six spellings of the show id at once, then the limit of 2 holds', async () => {
    const admin = await newAdmin(h.ticketClub, h.ticketClub.app);
    const show = await createShow(h.ticketClub.app, admin, { maxTicketsPerAccount: 2, pageCapacity: 10 });
    const [fan] = await newCustomers(h.ticketClub.app, admin, 1);
    const { queue, seats } = h.ticketClub.services;
    const names = [0, 1, 2, 3, 0b1010, 0xff].map((m) => spelling(show.id, m));
    expect(new Set(names).size).toBe(names.length);
    // Admitted under every spelling, as a client past the door could have been.
    for (const id of names) expect((await queue.join(id, fan!.id)).state).toBe('admitted');
    const seatIds = (await seatIdsOf(h.db, show.id)).slice(0, names.length);

    const t0 = Date.now();
    const results = await Promise.allSettled(names.map((id, i) => seats.hold(id, seatIds[i]!, fan!.id)));
    const held = results.filter((r) => r.status === 'fulfilled');
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(held).toHaveLength(2);
    expect(refused.map((r) => (r.reason as { code?: string }).code)).toEqual(Array(names.length - 2).fill('TICKET_LIMIT_REACHED'));
    // The holds ran one after another: each sat in the lock for the whole window.
    expect(Date.now() - t0).toBeGreaterThanOrEqual(names.length * WINDOW_MS - 50);
    const { rows } = await h.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM show_seats WHERE show_id = $1 AND holder_id = $2`, [show.id, fan!.id]);
    expect(rows[0]!.n).toBe(2);
  }, 30_000);
});
