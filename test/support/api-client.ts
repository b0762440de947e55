import type { FastifyInstance } from 'fastify';
import type { ShowDetail } from '../../src/shared/api.js';

export interface Res<T = any> {
  status: number;
  body: T;
  headers: Record<string, string | string[] | number | undefined>;
}

/** Calls the in-process app like an HTTP client would (fastify inject). */
export async function call<T = any>(
  app: FastifyInstance,
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE',
  url: string,
  opts: { token?: string; body?: unknown; headers?: Record<string, string>; raw?: string } = {},
): Promise<Res<T>> {
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  if (opts.body !== undefined || opts.raw !== undefined) headers['content-type'] ??= 'application/json';
  const r = await app.inject({ method, url, headers, payload: opts.raw ?? (opts.body === undefined ? undefined : JSON.stringify(opts.body)) });
  return { status: r.statusCode, body: (r.body ? JSON.parse(r.body) : undefined) as T, headers: r.headers };
}

let n = 0;
/** A new customer account; returns its token and id. */
export async function newCustomer(app: FastifyInstance, name = 'Fan'): Promise<{ token: string; id: string; email: string }> {
  const email = `fan${Date.now()}${++n}${Math.floor(Math.random() * 1e6)}@example.com`;
  const r = await call(app, 'POST', '/api/auth/signup', { body: { name, email, password: 'password123' } });
  if (r.status !== 201) throw new Error(`signup failed: ${r.status} ${JSON.stringify(r.body)}`);
  return { token: r.body.token, id: r.body.user.id, email };
}

/** Many customers at once through the bulk endpoint (one password hash): for races and queues. */
export async function newCustomers(app: FastifyInstance, adminToken: string, count: number): Promise<{ token: string; id: string }[]> {
  const r = await call(app, 'POST', '/api/admin/users/bulk', {
    token: adminToken,
    body: { count, emailPrefix: `bulk${Date.now()}${++n}-`, password: 'password123' },
  });
  if (r.status !== 201) throw new Error(`bulk failed: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body.users;
}

/** An admin account created directly (admins are not signed up through the API). */
export async function newAdmin(tc: { services: { auth: any } }, app: FastifyInstance): Promise<string> {
  const email = `admin${Date.now()}${++n}@example.com`;
  await tc.services.auth.ensureAccount({ name: 'Admin', email, password: 'adminadmin', role: 'admin' });
  const r = await call(app, 'POST', '/api/auth/login', { body: { email, password: 'adminadmin' } });
  return r.body.token;
}

export interface ShowOptions {
  pageCapacity?: number;
  purchaseWindowSeconds?: number;
  maxTicketsPerAccount?: number;
  onSaleAt?: string;
  /** Default: the server's (30 minutes before onSaleAt). */
  queueOpensAt?: string;
  startsAt?: string;
  areas?: (
    | { name: string; rows: number; seatsPerRow: number; accessibleSeats?: { row: number; number: number }[] }
    | { name: string; kind: 'standing'; capacity: number }
  )[];
  /** The clock's now, when the app runs on a manual clock. */
  now?: number;
  venueName?: string;
  event?: { title: string; artist: string; description?: string; imageUrl?: string };
  /** Price of the i-th area (default 1000 × (i + 1)). */
  price?: (i: number) => number;
}

/** A venue, an event and one show on sale now; returns the show as GET /api/shows/:id gives it. */
export async function createShow(app: FastifyInstance, adminToken: string, o: ShowOptions = {}): Promise<ShowDetail> {
  const now = o.now ?? Date.now();
  const venue = await call(app, 'POST', '/api/admin/venues', {
    token: adminToken,
    body: {
      name: o.venueName ?? 'Test Hall',
      city: 'Taipei',
      address: '1 Test Rd',
      areas: o.areas ?? [
        { name: 'A', rows: 3, seatsPerRow: 4 },
        { name: 'B', rows: 2, seatsPerRow: 5 },
      ],
    },
  });
  if (venue.status !== 201) throw new Error(`venue: ${JSON.stringify(venue.body)}`);
  const event = await call(app, 'POST', '/api/admin/events', {
    token: adminToken,
    body: o.event ?? { title: 'Test Event', artist: 'Test Artist', description: 'A test' },
  });
  if (event.status !== 201) throw new Error(`event: ${JSON.stringify(event.body)}`);
  const show = await call(app, 'POST', '/api/admin/shows', {
    token: adminToken,
    body: {
      eventId: event.body.event.id,
      venueId: venue.body.venue.id,
      startsAt: o.startsAt ?? new Date(now + 30 * 86_400_000).toISOString(),
      onSaleAt: o.onSaleAt ?? new Date(now - 3_600_000).toISOString(),
      ...(o.queueOpensAt ? { queueOpensAt: o.queueOpensAt } : {}),
      pageCapacity: o.pageCapacity ?? 100,
      purchaseWindowSeconds: o.purchaseWindowSeconds ?? 600,
      maxTicketsPerAccount: o.maxTicketsPerAccount ?? 4,
      prices: venue.body.venue.areas.map((a: { id: string }, i: number) => ({ areaId: a.id, price: o.price?.(i) ?? 1000 * (i + 1) })),
    },
  });
  if (show.status !== 201) throw new Error(`show: ${JSON.stringify(show.body)}`);
  return show.body.show;
}
