/**
 * Seats and checkout throughput through the HTTP API of a real listening server.
 *
 *   npm run bench:seats                      # PostgreSQL (TEST_DATABASE_URL) and PGlite
 *   npm run bench:seats -- --db=pglite --buyers=200 --concurrency=50 --seconds=20
 *
 * Scenarios, each bounded by a number of buyers and by time:
 *   holds, spread       every buyer holds 4 seats of its own (no two buyers want the same seat)
 *   holds, contended    every buyer tries the same 20 seats in its own order until it has 4 or none are left
 *   orders, spread      join -> hold 2 own seats -> checkout -> pay
 *   orders, contended   join -> hold 2 random seats of a small block (retrying on 409) -> checkout -> pay
 *   baseline            GET /api/me (session lookup only), to compare machines
 * Prints a markdown table.
 */
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import { startHarness, type DbKind, type Harness } from '../test/support/harness.js';
import { createShow, newAdmin, newCustomers } from '../test/support/api-client.js';

const { values: args } = parseArgs({
  options: {
    db: { type: 'string', default: 'postgres,pglite' },
    buyers: { type: 'string', default: '300' },
    concurrency: { type: 'string', default: '50' },
    seconds: { type: 'string', default: '20' },
  },
});
const DBS = args.db.split(',').map((s) => s.trim()) as DbKind[];
const BUYERS = Number(args.buyers);
const CONCURRENCY = Number(args.concurrency);
const TIME_LIMIT_MS = Number(args.seconds) * 1000;
const CARD = { method: 'card', card: { number: '4242424242424242', expMonth: 12, expYear: 2099, cvc: '123' } };

interface Row {
  db: DbKind;
  scenario: string;
  concurrency: number;
  /** Units of work done: holds won, or paid orders. */
  done: number;
  requests: number;
  refused: number;
  errors: number;
  seconds: number;
  latencies: number[];
  unit: string;
}

/** The fields of the answers the scenarios look at. */
interface Reply {
  state?: string;
  order?: { id: string; status: string };
}

class Client {
  requests = 0;
  refused = 0;
  errors = 0;
  readonly latencies: number[] = [];
  constructor(private readonly base: string) {}

  async call(method: string, path: string, token: string, body?: unknown): Promise<{ status: number; body: Reply }> {
    const t0 = performance.now();
    this.requests++;
    const res = await fetch(this.base + path, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    this.latencies.push(performance.now() - t0);
    if (res.status === 409) this.refused++;
    else if (res.status >= 400) this.errors++;
    return { status: res.status, body: (text ? JSON.parse(text) : {}) as Reply };
  }
}

/** Runs `job` for each item with at most `concurrency` at once; stops starting new ones after the deadline. */
async function pool<T>(items: T[], concurrency: number, deadline: number, job: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length && performance.now() < deadline) await job(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
}

const shuffle = <T>(a: T[]): T[] => {
  const b = [...a];
  for (let i = b.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [b[i], b[j]] = [b[j]!, b[i]!];
  }
  return b;
};

async function seatIds(h: Harness, showId: string): Promise<string[]> {
  const { rows } = await h.db.query<{ seat_id: string }>(
    `SELECT ss.seat_id FROM show_seats ss JOIN seats s ON s.id = ss.seat_id WHERE ss.show_id = $1 ORDER BY s.row_number, s.seat_number`,
    [showId],
  );
  return rows.map((r) => r.seat_id);
}

async function scenario(
  h: Harness,
  base: string,
  admin: string,
  kind: DbKind,
  name: string,
  unit: string,
  seatsPerRow: number,
  run: (c: Client, showId: string, seats: string[], buyers: { token: string }[], deadline: number) => Promise<number>,
): Promise<Row> {
  const show = await createShow(h.tc.app, admin, {
    pageCapacity: 100_000,
    maxTicketsPerAccount: 4,
    areas: [{ name: 'Floor', rows: Math.ceil((BUYERS * 4) / seatsPerRow), seatsPerRow }],
  });
  const seats = await seatIds(h, show.id);
  const buyers = await newCustomers(h.tc.app, admin, BUYERS);
  const c = new Client(base);
  const t0 = performance.now();
  const done = await run(c, show.id, seats, buyers, t0 + TIME_LIMIT_MS);
  const seconds = (performance.now() - t0) / 1000;
  return { db: kind, scenario: name, concurrency: CONCURRENCY, done, requests: c.requests, refused: c.refused, errors: c.errors, seconds, latencies: c.latencies, unit };
}

async function join(c: Client, showId: string, token: string): Promise<boolean> {
  const r = await c.call('POST', `/api/shows/${showId}/queue`, token);
  return r.status === 200 && r.body.state === 'admitted';
}

async function benchDb(kind: DbKind): Promise<Row[]> {
  const h = await startHarness({ db: kind });
  const base = await h.listen();
  const admin = await newAdmin(h.tc, h.tc.app);
  const rows: Row[] = [];
  try {
    rows.push(
      await scenario(h, base, admin, kind, 'baseline: GET /api/me', 'req/s', 40, async (c, _showId, _seats, buyers, deadline) => {
        let ok = 0;
        await pool(
          Array.from({ length: BUYERS * 4 }, (_, i) => buyers[i % buyers.length]!),
          CONCURRENCY,
          deadline,
          async (b) => {
            if ((await c.call('GET', '/api/me', b.token)).status === 200) ok++;
          },
        );
        return ok;
      }),
    );

    // Buyers join outside the timed part for the hold scenarios.
    const admitAll = async (showId: string, buyers: { token: string }[]) => {
      const c = new Client(base);
      await pool(buyers, CONCURRENCY, Infinity, async (b) => void (await join(c, showId, b.token)));
    };

    rows.push(
      await scenario(h, base, admin, kind, 'holds, spread', 'holds/s', 40, async (c, showId, seats, buyers, deadline) => {
        await admitAll(showId, buyers);
        c.latencies.length = 0;
        c.requests = 0;
        const work = buyers.flatMap((b, i) => seats.slice(i * 4, i * 4 + 4).map((s) => ({ token: b.token, seat: s })));
        let won = 0;
        await pool(shuffle(work), CONCURRENCY, deadline, async (w) => {
          if ((await c.call('POST', `/api/shows/${showId}/seats/${w.seat}/hold`, w.token)).status === 200) won++;
        });
        return won;
      }),
    );

    rows.push(
      await scenario(h, base, admin, kind, 'holds, contended (20 seats)', 'holds/s', 40, async (c, showId, seats, buyers, deadline) => {
        await admitAll(showId, buyers);
        c.latencies.length = 0;
        c.requests = 0;
        const block = seats.slice(0, 20);
        let won = 0;
        await pool(buyers, CONCURRENCY, deadline, async (b) => {
          let mine = 0;
          for (const s of shuffle(block)) {
            if (mine >= 4 || performance.now() > deadline) break;
            if ((await c.call('POST', `/api/shows/${showId}/seats/${s}/hold`, b.token)).status === 200) {
              mine++;
              won++;
            }
          }
        });
        return won;
      }),
    );

    const buy = (c: Client, showId: string, token: string, pick: () => string[], retries: number, deadline: number) => async () => {
      if (!(await join(c, showId, token))) return false;
      const held: string[] = [];
      for (let attempt = 0; attempt < retries && held.length < 2 && performance.now() < deadline; attempt++) {
        for (const s of pick()) {
          if (held.length >= 2 || held.includes(s)) continue;
          if ((await c.call('POST', `/api/shows/${showId}/seats/${s}/hold`, token)).status === 200) held.push(s);
        }
      }
      if (held.length === 0) return false;
      const co = await c.call('POST', `/api/shows/${showId}/checkout`, token, { seatIds: held });
      if (co.status !== 201 || !co.body.order) return false;
      const paid = await c.call('POST', `/api/orders/${co.body.order.id}/pay`, token, CARD);
      return paid.status === 200 && paid.body.order?.status === 'paid';
    };

    rows.push(
      await scenario(h, base, admin, kind, 'paid orders, spread', 'orders/s', 40, async (c, showId, seats, buyers, deadline) => {
        let paid = 0;
        await pool(
          buyers.map((b, i) => ({ b, i })),
          CONCURRENCY,
          deadline,
          async ({ b, i }) => {
            if (await buy(c, showId, b.token, () => seats.slice(i * 2, i * 2 + 2), 1, deadline)()) paid++;
          },
        );
        return paid;
      }),
    );

    rows.push(
      await scenario(h, base, admin, kind, 'paid orders, contended (100 seats)', 'orders/s', 40, async (c, showId, seats, buyers, deadline) => {
        const block = seats.slice(0, 100);
        let paid = 0;
        await pool(buyers, CONCURRENCY, deadline, async (b) => {
          if (await buy(c, showId, b.token, () => shuffle(block).slice(0, 2), 3, deadline)()) paid++;
        });
        return paid;
      }),
    );
  } finally {
    await h.close();
  }
  return rows;
}

const pct = (xs: number[], p: number): number => {
  if (xs.length === 0) return 0;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
};

const all: Row[] = [];
for (const kind of DBS) all.push(...(await benchDb(kind)));

console.log(`\nSeats and checkout through HTTP (${BUYERS} buyers per scenario, concurrency ${CONCURRENCY}, limit ${TIME_LIMIT_MS / 1000} s, Node ${process.version})\n`);
console.log('| database | scenario | done | rate | requests | req/s | 409 | other errors | seconds | p50 ms | p95 ms |');
console.log('|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
for (const r of all) {
  console.log(
    `| ${r.db} | ${r.scenario} | ${r.done} | ${(r.done / r.seconds).toFixed(1)} ${r.unit} | ${r.requests} | ${(r.requests / r.seconds).toFixed(0)} | ${r.refused} | ${r.errors} | ${r.seconds.toFixed(2)} | ${pct(r.latencies, 50).toFixed(1)} | ${pct(r.latencies, 95).toFixed(1)} |`,
  );
}
