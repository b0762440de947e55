/** What a run needs on the server: an admin session, a venue/event/show, and many fans with tokens. */
import { Redis } from 'ioredis';
import type { Context } from './context.js';
import { JsonClient, errorCode } from './http.js';
import { sourceAddresses } from './pool.js';
import type { CommonInit, WorkerAccount } from './protocol.js';
import { treeRssKb } from './servers.js';
import { sleep } from './util.js';

export interface Account {
  id: string;
  token: string;
}

export interface ShowSetup {
  showId: string;
  areaIds: string[];
  seats: number;
  pageCapacity: number;
  purchaseWindowSeconds: number;
  maxTicketsPerAccount: number;
}

function fail(what: string, r: { status: number; body: unknown }): never {
  throw new Error(`${what}: HTTP ${r.status} ${JSON.stringify(r.body).slice(0, 400)}`);
}

export async function adminLogin(http: JsonClient, email: string, password: string): Promise<string> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const r = await http.request<{ token?: string }>(0, 'POST', '/api/auth/login', { body: { email, password } });
    if (r.status === 200 && r.body.token) return r.body.token;
    if (r.status !== 429 && r.status < 500) fail(`admin login as ${email}`, r);
    await new Promise((res) => setTimeout(res, 1_000));
  }
  throw new Error(`admin login as ${email} kept failing`);
}

/**
 * Exactly `seats` seats in rows of 50: at most 99 areas of whole rows (each at most 200 rows),
 * plus one short row for the remainder, so a buyer's GET of one area stays small.
 */
export function seatLayout(seats: number): { name: string; rows: number; seatsPerRow: number }[] {
  const perRow = 50;
  const perArea = Math.min(200 * perRow, Math.ceil(Math.max(500, Math.ceil(seats / 99)) / perRow) * perRow);
  const areas: { name: string; rows: number; seatsPerRow: number }[] = [];
  let left = seats;
  while (left >= perRow && areas.length < 99) {
    const rows = Math.min(perArea, left) / perRow;
    const whole = Math.floor(rows);
    areas.push({ name: `Area ${areas.length + 1}`, rows: whole, seatsPerRow: perRow });
    left -= whole * perRow;
  }
  if (left > 0) areas.push({ name: `Area ${areas.length + 1}`, rows: 1, seatsPerRow: left });
  return areas;
}

export async function createShow(
  http: JsonClient,
  token: string,
  o: { title: string; seats: number; pageCapacity: number; windowSeconds: number; maxTickets: number },
): Promise<ShowSetup> {
  const areas = seatLayout(o.seats);
  const venue = await http.request<{ venue: { id: string; areas: { id: string; rows: number; seatsPerRow: number }[] } }>(0, 'POST', '/api/admin/venues', {
    token,
    body: { name: `${o.title} Hall`, city: 'Loopback', address: '127.0.0.1', areas },
    timeoutMs: 120_000,
  });
  if (venue.status !== 201) fail('create venue', venue);
  const event = await http.request<{ event: { id: string } }>(0, 'POST', '/api/admin/events', {
    token,
    body: { title: o.title, artist: 'The Load Generators', description: 'Created by npm run load' },
  });
  if (event.status !== 201) fail('create event', event);
  const show = await http.request<{ show: { id: string; pageCapacity: number; purchaseWindowSeconds: number; maxTicketsPerAccount: number } }>(
    0,
    'POST',
    '/api/admin/shows',
    {
      token,
      timeoutMs: 120_000,
      body: {
        eventId: event.body.event.id,
        venueId: venue.body.venue.id,
        startsAt: new Date(Date.now() + 7 * 86_400_000).toISOString(),
        onSaleAt: new Date(Date.now() - 60_000).toISOString(),
        pageCapacity: o.pageCapacity,
        purchaseWindowSeconds: o.windowSeconds,
        maxTicketsPerAccount: o.maxTickets,
        prices: venue.body.venue.areas.map((a, i) => ({ areaId: a.id, price: 1000 + 100 * (i % 10) })),
      },
    },
  );
  if (show.status !== 201) fail('create show', show);
  return {
    showId: show.body.show.id,
    areaIds: venue.body.venue.areas.map((a) => a.id),
    seats: venue.body.venue.areas.reduce((n, a) => n + a.rows * a.seatsPerRow, 0),
    pageCapacity: show.body.show.pageCapacity,
    purchaseWindowSeconds: show.body.show.purchaseWindowSeconds,
    maxTicketsPerAccount: show.body.show.maxTicketsPerAccount,
  };
}

/** POST /api/admin/users/bulk in batches of at most 10,000, two at a time spread over the instances. */
export async function createAccounts(
  http: JsonClient,
  token: string,
  count: number,
  runId: string,
  onProgress: (done: number) => void,
): Promise<Account[]> {
  const batch = 10_000;
  const batches = Math.ceil(count / batch);
  const out: Account[][] = new Array(batches);
  let done = 0;
  let next = 0;
  const worker = async () => {
    while (next < batches) {
      const b = next++;
      const n = Math.min(batch, count - b * batch);
      let r = await http.request<{ users: { id: string; token: string }[] }>(b % http.size, 'POST', '/api/admin/users/bulk', {
        token,
        body: { count: n, emailPrefix: `${runId}b${b}u`, password: 'load-test-password' },
        timeoutMs: 300_000,
      });
      if (r.status >= 500) {
        r = await http.request(b % http.size, 'POST', '/api/admin/users/bulk', {
          token,
          body: { count: n, emailPrefix: `${runId}b${b}u`, password: 'load-test-password' },
          timeoutMs: 300_000,
        });
      }
      if (r.status === 404 && errorCode(r.body) === 'NOT_FOUND') {
        throw new Error('POST /api/admin/users/bulk answered 404: start the servers with ENABLE_LOAD_TEST_API=1');
      }
      if (r.status !== 201) fail('bulk users', r);
      out[b] = r.body.users.map((u) => ({ id: u.id, token: u.token }));
      done += n;
      onProgress(done);
    }
  };
  await Promise.all(Array.from({ length: Math.min(2, batches) }, worker));
  return out.flat();
}

/** Removes the waiting-room keys of a run's show from Redis (runs that started their own instances). */
export async function dropQueueKeys(redisUrl: string, showId: string): Promise<void> {
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 2, lazyConnect: true });
  try {
    await redis.connect();
    let cursor = '0';
    let rounds = 0;
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `tc:q:{${showId}}:*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length) await redis.del(...keys);
    } while (cursor !== '0' && ++rounds < 100_000);
    await redis.zrem('tc:q:active', showId);
  } finally {
    redis.disconnect();
  }
}

/**
 * What both scenarios do before forking their clients: the show (its Redis keys dropped at the
 * end), the fans, the servers' memory before the load, and each client's share. Account g goes to
 * client g mod P, so the clients' ramps interleave into one join order.
 */
export async function prepareRun(
  ctx: Context,
  o: {
    show: Parameters<typeof createShow>[2];
    /** The log line that introduces the show. */
    describe: (show: ShowSetup) => string;
    fans: number;
    clients: number;
    /** Sockets per client process besides its HTTP keep-alive sockets. */
    perClient: number;
    httpSockets: number;
    /** Pause after the bulk account creation, before memory is read. */
    settleMs?: number;
  },
): Promise<{ show: ShowSetup; accounts: Account[]; rssBefore: (number | undefined)[]; addrs: string[][]; clientInit: (w: number) => CommonInit }> {
  const { http, adminToken, progress } = ctx;
  const show = await createShow(http, adminToken, o.show);
  const redisUrl = ctx.redisUrl;
  if (redisUrl) ctx.onCleanup(() => dropQueueKeys(redisUrl, show.showId));
  ctx.log(o.describe(show));
  const accountsBar = progress.bar('accounts', o.fans);
  const accounts = await createAccounts(http, adminToken, o.fans, ctx.runId, (n) => accountsBar.update(n));
  if (o.settleMs) await sleep(o.settleMs);
  const rssBefore = ctx.instances.map((i) => treeRssKb(i.pid));

  const slices: WorkerAccount[][] = Array.from({ length: o.clients }, () => []);
  accounts.forEach((a, g) => slices[g % o.clients]!.push({ g, id: a.id, token: a.token }));
  const addrs = sourceAddresses(o.clients, o.perClient + o.httpSockets * ctx.instances.length, ctx.common.perAddress, ctx.common.srcBase);
  ctx.log(`${o.clients} client process(es), source addresses ${addrs.flat()[0]}..${addrs.flat().at(-1)}, ${ctx.instances.length} instance(s)`);
  const clientInit = (w: number): CommonInit => ({
    workerIndex: w,
    urls: ctx.instances.map((i) => i.url),
    showId: show.showId,
    accounts: slices[w]!,
    srcAddrs: addrs[w]!,
    deadlineAt: ctx.deadlineAt,
    seed: ctx.common.seed,
    httpSockets: o.httpSockets,
  });
  return { show, accounts, rssBefore, addrs, clientInit };
}
