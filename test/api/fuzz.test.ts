import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { ERROR_STATUS } from '../../src/shared/errors.js';
import { call, createShow, newCustomers } from '../support/api-client.js';
import { useHarness } from '../support/api-suite.js';
import type { Harness } from '../support/harness.js';
import { declaredRoutes } from '../support/routes.js';
import { connect, sleep, type ClientSocket } from '../support/sockets.js';
import { admit, GOOD_CARD, seatIdsOf } from './seat-helpers.js';

/*
 * Thousands of malformed, oversized, wrongly typed and out-of-order requests against every
 * /api route the app serves (each with the request schemas it declares),
 * and the socket events. The server must never answer 5xx, must stay up, and a refused request
 * must change nothing.
 *
 * Password hashing runs with the cheapest argon2 parameters here: the fuzzer sends hundreds of
 * well-formed logins, each of which verifies a password.
 */
vi.mock('argon2', async (importOriginal) => {
  const mod = await importOriginal<{ default: typeof import('argon2') }>();
  const real = mod.default;
  const hash: typeof real.hash = ((password: string, options?: Parameters<typeof real.hash>[1]) =>
    real.hash(password, { ...options, memoryCost: 1024, timeCost: 1, parallelism: 1 })) as typeof real.hash;
  return { ...mod, default: { ...real, hash } };
});

const HTTP_RUNS = 2_400;
const BATCH = 8;
const MIN_HTTP_RUNS = 2_000;
const HTTP_TIME_LIMIT_MS = 48_000; // reached only on a heavily loaded machine: 2,400 requests take ~15 s
const SOCKET_RUNS = 400;
const SOCKET_TIME_LIMIT_MS = 12_000;
const SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : Date.now() % 2 ** 31;

type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE' | 'PUT';

interface FuzzRequest {
  method: Method;
  url: string;
  headers: Record<string, string>;
  payload?: string;
  /** For the report. */
  route: string;
}

/** A row count and digest of everything a request could change, in one query. */
const FINGERPRINT_SQL = `SELECT concat_ws('|',
  (SELECT count(*) FROM users),
  (SELECT count(*) FROM sessions),
  (SELECT md5(coalesce(string_agg(v.id::text || v.name || v.city || v.address, ',' ORDER BY v.id), '')) FROM venues v),
  (SELECT count(*) FROM areas),
  (SELECT md5(coalesce(string_agg(e.id::text || e.title || e.artist || e.description || coalesce(e.image_url, ''), ',' ORDER BY e.id), '')) FROM events e),
  (SELECT count(*) FROM shows),
  (SELECT md5(coalesce(string_agg(o.id::text || o.status || o.total::text, ',' ORDER BY o.id), '')) FROM orders o),
  (SELECT md5(coalesce(string_agg(s.show_id::text || s.seat_id::text || s.status || coalesce(s.holder_id::text, '') || coalesce(s.order_id::text, ''), ','
     ORDER BY s.show_id, s.seat_id), '')) FROM show_seats s WHERE s.status <> 'available'),
  (SELECT md5(coalesce(string_agg(t.id::text || coalesce(t.checked_in_at::text, ''), ',' ORDER BY t.id), '')) FROM tickets t)
) AS fp`;

describe('fuzz: malformed, oversized, wrongly typed and out-of-order input', () => {
  let h: Harness;
  let url: string;
  let admin: string;
  let fixture: {
    showId: string;
    scheduledShowId: string;
    eventId: string;
    venueId: string;
    areaId: string;
    seatIds: string[];
    orderId: string;
    customers: { token: string; id: string }[];
    disposable: string[];
  };
  const app = () => h.ticketClub.app;

  useHarness({ db: 'pglite', listen: true }, async (s) => {
    ({ h, url, admin } = s);
    const now = Date.now();
    const show = await createShow(app(), admin, { pageCapacity: 2, maxTicketsPerAccount: 2, areas: [{ name: 'Floor', rows: 2, seatsPerRow: 5 }] });
    const later = await createShow(app(), admin, { onSaleAt: new Date(now + 86_400_000).toISOString(), startsAt: new Date(now + 2 * 86_400_000).toISOString() });
    const customers = await newCustomers(app(), admin, 4);
    const disposable = (await newCustomers(app(), admin, 60)).map((c) => c.token);
    const seatIds = await seatIdsOf(h.db, show.id);
    // c0 admitted with a pending order, c1 admitted holding a seat, c2 waiting, c3 nowhere.
    await admit(app(), show.id, customers[0]!.token);
    await admit(app(), show.id, customers[1]!.token);
    await call(app(), 'POST', `/api/shows/${show.id}/queue`, { token: customers[2]!.token });
    await call(app(), 'POST', `/api/shows/${show.id}/seats/${seatIds[0]}/hold`, { token: customers[0]!.token });
    const order = await call(app(), 'POST', `/api/shows/${show.id}/checkout`, { token: customers[0]!.token, body: { seatIds: [seatIds[0]] } });
    expect(order.status).toBe(201);
    await call(app(), 'POST', `/api/shows/${show.id}/seats/${seatIds[1]}/hold`, { token: customers[1]!.token });
    fixture = {
      showId: show.id,
      scheduledShowId: later.id,
      eventId: show.eventId,
      venueId: show.venue.id,
      areaId: show.areas[0]!.id,
      seatIds,
      orderId: order.body.order.id,
      customers,
      disposable,
    };
  });

  /** The database digest plus the waiting room of the fixture shows. */
  async function fingerprint(): Promise<string> {
    const { rows } = await h.db.query<{ fp: string }>(FINGERPRINT_SQL);
    const line = await Promise.all(
      [fixture.showId, fixture.scheduledShowId].map(async (s) => {
        const c = await h.store.counts(s);
        const places = await h.store.places(s, fixture.customers.map((x) => x.id), 2);
        return `${c.waiting}/${c.admitted}/${places.map((p) => p.state).join(',')}`;
      }),
    );
    return `${rows[0]!.fp}|${line.join(';')}`;
  }

  // ---- Generators

  const garbageStrings = [
    '',
    ' ',
    '..',
    '%2e%2e',
    'null',
    'undefined',
    '-1',
    '0',
    '1e309',
    'NaN',
    "' OR '1'='1",
    '"; DROP TABLE users; --',
    '<script>alert(1)</script>',
    '00000000-0000-0000-0000-000000000000',
    'ffffffff-ffff-ffff-ffff-ffffffffffff',
    '00000000-0000-4000-8000-00000000000',
    '00000000-0000-4000-8000-0000000000000',
    '{{7*7}}',
    '\u0000',
    '\u202e',
    '💥',
    'a'.repeat(3000),
  ];

  const idArb = () =>
    fc.oneof(
      { weight: 4, arbitrary: fc.constantFrom(fixture.showId, fixture.scheduledShowId, fixture.eventId, fixture.venueId, fixture.areaId, fixture.orderId, ...fixture.seatIds, fixture.customers[0]!.id) },
      { weight: 2, arbitrary: fc.uuid() },
      { weight: 2, arbitrary: fc.constantFrom(...garbageStrings) },
      { weight: 1, arbitrary: fc.string({ maxLength: 40 }) },
      { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 20 }) },
    );

  /** A path segment: mostly encoded, sometimes raw (broken percent-encoding, slashes). */
  const segmentArb = () =>
    fc.oneof(
      { weight: 8, arbitrary: idArb().map((s) => encodeURIComponent(s)) },
      { weight: 1, arbitrary: fc.constantFrom('%', '%zz', '%00', '..%2f..', '/', '?x=1', '#frag', ';x', '%C0%AE') },
    );

  const tokenArb = () =>
    fc.oneof(
      { weight: 5, arbitrary: fc.constantFrom(...fixture.customers.map((c) => ({ kind: 'bearer' as const, token: c.token }))) },
      { weight: 2, arbitrary: fc.constant({ kind: 'bearer' as const, token: admin }) },
      { weight: 2, arbitrary: fc.constant({ kind: 'none' as const }) },
      {
        weight: 2,
        arbitrary: fc.oneof(fc.string({ maxLength: 300 }), fc.base64String({ minLength: 40, maxLength: 48 }), fc.constant('x'.repeat(5000))).map((token) => ({
          kind: 'bearer' as const,
          token,
        })),
      },
      {
        weight: 2,
        arbitrary: fc
          .record({ c: fc.constantFrom(...fixture.customers, { token: admin, id: '' }), origin: fc.constantFrom(undefined, 'http://localhost', 'https://evil.example', 'null') })
          .map(({ c, origin }) => ({ kind: 'cookie' as const, token: c.token, origin })),
      },
      { weight: 1, arbitrary: fc.constantFrom({ kind: 'raw' as const, value: 'Basic YWRtaW46YWRtaW4=' }, { kind: 'raw' as const, value: 'Bearer' }, { kind: 'raw' as const, value: 'bearer   ' }) },
    );

  const anyJson = fc.oneof(fc.anything({ maxDepth: 3 }), fc.jsonValue({ maxDepth: 3 }), fc.constantFrom(null, true, 0, -1, 1.5, 2 ** 53, '', [], {}));

  /** A body the route would accept (or nearly), to mutate. */
  function validBody(key: string): Record<string, unknown> {
    const f = fixture;
    switch (key) {
      case 'POST /api/auth/signup':
        return { name: 'Fuzz', email: 'fuzz@example.com', password: 'password123' };
      case 'POST /api/auth/login':
        return { email: 'fuzz@example.com', password: 'password123' };
      case 'POST /api/auth/password-reset':
        return { email: 'fuzz@example.com' };
      case 'POST /api/auth/password-reset/confirm':
        return { token: 'a'.repeat(43), password: 'password123' };
      case 'POST /api/shows/:showId/checkout':
        return { seatIds: [f.seatIds[1]] };
      case 'POST /api/orders/:orderId/pay':
        return { method: 'card', card: { ...GOOD_CARD } };
      case 'POST /api/admin/venues':
        return { name: 'Hall', city: 'Taipei', address: '', areas: [{ name: 'A', rows: 1, seatsPerRow: 2 }] };
      case 'POST /api/admin/events':
        return { title: 'Fuzz', artist: 'Fuzzers', description: '' };
      case 'PATCH /api/admin/events/:eventId':
        return { title: 'Renamed' };
      case 'POST /api/admin/shows':
        return {
          eventId: f.eventId,
          venueId: f.venueId,
          startsAt: new Date(Date.now() + 86_400_000).toISOString(),
          onSaleAt: new Date().toISOString(),
          prices: [{ areaId: f.areaId, price: 100 }],
        };
      case 'POST /api/admin/users/bulk':
        return { count: 1, emailPrefix: 'fuzzbulk', password: 'password123' };
      case 'POST /api/admin/checkin':
        return { code: 'not-a-ticket', showId: f.showId };
      default:
        return {};
    }
  }

  const mutate = (base: Record<string, unknown>) => {
    const keys = Object.keys(base);
    const key = keys.length > 0 ? fc.constantFrom(...keys) : fc.string({ maxLength: 8 });
    return fc.oneof(
      { weight: 1, arbitrary: fc.constant<unknown>(base) },
      { weight: 3, arbitrary: fc.record({ k: key, v: anyJson }).map(({ k, v }) => ({ ...base, [k]: v })) },
      { weight: 2, arbitrary: key.map((k) => Object.fromEntries(Object.entries(base).filter(([x]) => x !== k))) },
      { weight: 1, arbitrary: fc.record({ k: fc.string({ maxLength: 12 }), v: anyJson }).map(({ k, v }) => ({ ...base, [k]: v })) },
      { weight: 1, arbitrary: key.map((k) => ({ ...base, [k]: 'x'.repeat(20_000) })) },
      { weight: 1, arbitrary: key.map((k) => ({ ...base, [k]: Array.from({ length: 2_000 }, (_, i) => i) })) },
      { weight: 1, arbitrary: fc.constantFrom<unknown>([base], null, 'body', 42, true) },
      { weight: 1, arbitrary: anyJson },
    );
  };

  const rawBodies = [
    '{',
    '{"a":',
    '{"a":1}}',
    "{'single':'quotes'}",
    'null',
    '[]',
    '"just a string"',
    '{"__proto__":{"role":"admin"}}',
    '{"constructor":{"prototype":{"role":"admin"}}}',
    '\u0000',
    '\ufeff{}',
    '[' .repeat(20_000) + ']'.repeat(20_000),
    '{"a":"' + 'x'.repeat(300 * 1024) + '"}', // over the 256 KB body limit
  ];

  const contentTypes = ['application/json', 'application/json; charset=utf-8', 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/xml', 'application/JSON', 'application/json; charset=latin1'];

  function requestArb(): fc.Arbitrary<FuzzRequest> {
    const declared = declaredRoutes(h.ticketClub.app);
    const routes = Object.keys(declared);
    const known = fc.constantFrom(...routes).chain((key) => {
      const [method, pattern] = key.split(' ') as [Method, string];
      const segments = (pattern.match(/:\w+/g) ?? []).length;
      const body = declared[key]!.body
        ? fc.oneof(
            { weight: 6, arbitrary: mutate(validBody(key)).map((v) => (v === undefined ? undefined : JSON.stringify(v))) },
            { weight: 2, arbitrary: fc.constantFrom(...rawBodies) },
            { weight: 1, arbitrary: fc.constant(undefined) },
          )
        : fc.oneof(
            { weight: 5, arbitrary: fc.constant(undefined) },
            { weight: 2, arbitrary: anyJson.map((v) => JSON.stringify(v)) },
            { weight: 1, arbitrary: fc.constantFrom(...rawBodies) },
          );
      const query = fc.oneof(
        { weight: 4, arbitrary: fc.constant('') },
        {
          weight: 2,
          arbitrary: fc
            .array(fc.tuple(fc.constantFrom('q', 'areaId', 'x', '__proto__', 'token'), idArb()), { maxLength: 3 })
            .map((kv) => (kv.length ? '?' + kv.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&') : '')),
        },
        { weight: 1, arbitrary: fc.constantFrom('?q=%', '?q[]=1&q[]=2', '?areaId=' + fixture.areaId, '?q=' + 'x'.repeat(5000)) },
      );
      return fc.record({
        method: fc.oneof({ weight: 12, arbitrary: fc.constant(method) }, { weight: 1, arbitrary: fc.constantFrom<Method>('GET', 'POST', 'PATCH', 'DELETE', 'PUT') }),
        segs: fc.array(segmentArb(), { minLength: segments, maxLength: segments }),
        query,
        body,
        auth: tokenArb(),
        contentType: fc.oneof({ weight: 8, arbitrary: fc.constant('application/json') }, { weight: 2, arbitrary: fc.constantFrom(...contentTypes) }),
        extra: fc.oneof(
          { weight: 6, arbitrary: fc.constant({} as Record<string, string>) },
          {
            weight: 1,
            arbitrary: fc.record({
              'x-request-id': fc.constantFrom('x'.repeat(1000), 'a"b', '../etc'),
              'x-forwarded-for': fc.constantFrom('not-an-ip', '::1, 1.2.3.4', '999.999.999.999', ''),
              'x-forwarded-host': fc.constantFrom('evil.example', 'localhost', '[::1]', 'a b'),
            }),
          },
        ),
      }).map(({ method: m, segs, query, body, auth, contentType, extra }) => {
        let i = 0;
        const path = pattern.replace(/:\w+/g, () => segs[i++]!);
        const headers: Record<string, string> = { ...extra };
        if (auth.kind === 'bearer') headers.authorization = `Bearer ${auth.token}`;
        if (auth.kind === 'raw') headers.authorization = auth.value;
        if (auth.kind === 'cookie') {
          headers.cookie = `tc_session=${encodeURIComponent(auth.token)}`;
          if (auth.origin) headers.origin = auth.origin;
        }
        // Logging out a fixture session would end the fuzz for it: log out spare accounts instead.
        if (key === 'POST /api/auth/logout' && auth.kind !== 'none') {
          const spare = fixture.disposable.pop();
          headers.authorization = `Bearer ${spare ?? 'spent'}`;
          delete headers.cookie;
        }
        if (body !== undefined) headers['content-type'] = contentType;
        return { method: m, url: path + query, headers, payload: body, route: key };
      });
    });
    const unknown = fc
      .record({
        method: fc.constantFrom<Method>('GET', 'POST', 'DELETE', 'PUT', 'PATCH'),
        path: fc.constantFrom('/api', '/api/', '/api/admin', '/api/shows', '/api/orders/', '/api/shows//queue', '/api/../api/health', '/metrics', '/docs/json', '/socket.io/?EIO=4&transport=polling', '/%', '/api/%zz'),
        auth: tokenArb(),
      })
      .map(({ method, path, auth }) => ({
        method,
        url: path,
        headers: (auth.kind === 'bearer' ? { authorization: `Bearer ${auth.token}` } : {}) as Record<string, string>,
        payload: undefined,
        route: 'unknown',
      }));
    return fc.oneof({ weight: 15, arbitrary: known }, { weight: 1, arbitrary: unknown });
  }

  // ---- The HTTP fuzz

  it(`sends ≥${MIN_HTTP_RUNS} generated requests: no 5xx, well-formed errors, and refused requests change nothing`, async () => {
    const seen = { runs: 0, byStatus: new Map<number, number>(), refusedWrites: 0, byRoute: new Map<string, number>(), msByRoute: new Map<string, number>(), injectMs: 0, fingerprintMs: 0 };
    let last = await fingerprint();

    /** Sends one request and checks its answer; returns whether it was a refused write (undefined: not sent). */
    const send = async (req: FuzzRequest): Promise<{ write: boolean; refused: boolean; context: string } | undefined> => {
      seen.runs++;
      seen.byRoute.set(req.route, (seen.byRoute.get(req.route) ?? 0) + 1);
      const t0 = performance.now();
      let res;
      try {
        res = await app().inject({ method: req.method, url: req.url, headers: req.headers, payload: req.payload });
      } catch (e) {
        // light-my-request refused to build the request (e.g. a header value Node rejects): not sent.
        if (e instanceof TypeError || (e as { code?: string }).code?.startsWith('ERR_')) return undefined;
        throw e;
      } finally {
        const ms = performance.now() - t0;
        seen.injectMs += ms;
        seen.msByRoute.set(req.route, (seen.msByRoute.get(req.route) ?? 0) + ms);
      }
      seen.byStatus.set(res.statusCode, (seen.byStatus.get(res.statusCode) ?? 0) + 1);
      const context = `${req.method} ${req.url.slice(0, 200)} -> ${res.statusCode} ${res.body.slice(0, 300)}`;
      expect(res.statusCode, context).toBeLessThan(500);
      if (res.statusCode >= 400 && req.url.startsWith('/api')) {
        const body = JSON.parse(res.body) as { error?: { code?: string; message?: string } };
        const code = body.error?.code as keyof typeof ERROR_STATUS | undefined;
        expect(code && ERROR_STATUS[code], context).toBe(res.statusCode);
        expect(typeof body.error?.message, context).toBe('string');
      }
      return { write: req.method !== 'GET', refused: res.statusCode >= 400, context };
    };

    // Requests go in batches with one state fingerprint per batch: when every write of a batch was
    // refused, the state must be exactly what it was before the batch.
    const result = await fc.check(
      fc.asyncProperty(fc.array(requestArb(), { minLength: BATCH, maxLength: BATCH }), async (batch) => {
        const outcomes = [];
        for (const req of batch) outcomes.push(await send(req));
        const writes = outcomes.filter((o) => o?.write);
        if (writes.length === 0) return true;
        const t0 = performance.now();
        const now = await fingerprint();
        seen.fingerprintMs += performance.now() - t0;
        if (writes.every((o) => o!.refused)) {
          seen.refusedWrites += writes.length;
          expect(now, `refused but changed state, one of:\n${writes.map((o) => o!.context).join('\n')}`).toBe(last);
        }
        last = now;
        return true;
      }),
      { numRuns: Math.ceil(HTTP_RUNS / BATCH), seed: SEED, endOnFailure: true, interruptAfterTimeLimit: HTTP_TIME_LIMIT_MS, markInterruptAsFailure: false },
    );
    if (result.failed) {
      throw new Error(`fuzz failed (FUZZ_SEED=${SEED}) after ${seen.runs} requests: ${String((result as { errorInstance?: unknown }).errorInstance)}\ncounterexample: ${JSON.stringify(result.counterexample)?.slice(0, 2000)}`);
    }
    console.info(
      `fuzz: ${seen.runs} requests (seed ${SEED}), ${seen.refusedWrites} refused writes checked, ${Math.round(seen.injectMs)} ms in requests, ${Math.round(seen.fingerprintMs)} ms in fingerprints;`,
      Object.fromEntries([...seen.byStatus].sort(([a], [b]) => a - b)),
      'slowest routes (ms/request):',
      [...seen.msByRoute]
        .map(([r, ms]) => [r, Math.round(ms / (seen.byRoute.get(r) ?? 1))] as const)
        .sort((a, b) => b[1] - a[1])
        .slice(0, 5),
    );
    expect(seen.runs).toBeGreaterThanOrEqual(MIN_HTTP_RUNS);
    // Every documented endpoint was hit.
    const served = Object.keys(declaredRoutes(h.ticketClub.app));
    expect(served.length).toBeGreaterThan(20);
    for (const key of served) expect(seen.byRoute.get(key) ?? 0, key).toBeGreaterThan(10);

    const health = await call(app(), 'GET', '/api/health');
    expect(health.status).toBe(200);
    expect(health.body).toEqual({ status: 'ok' });
  }, 90_000);

  // ---- The socket fuzz

  it('survives malformed and out-of-order socket events: every ack is well-formed, the server stays up', async () => {
    const events = ['queue:watch', 'queue:unwatch', 'show:watch', 'show:unwatch', 'stats:watch', 'stats:unwatch'] as const;
    const tokens = [...fixture.customers.map((c) => c.token), admin];
    const sockets: ClientSocket[] = [];
    const socketFor = async (i: number) => {
      const s = sockets[i];
      if (s?.connected) return s;
      s?.disconnect();
      sockets[i] = await connect(url, tokens[i]!);
      return sockets[i]!;
    };
    const before = await fingerprint();
    const payloadArb = fc.oneof(
      { weight: 4, arbitrary: idArb().map((showId) => ({ showId })) },
      { weight: 2, arbitrary: anyJson },
      { weight: 1, arbitrary: fc.record({ showId: anyJson }) },
      { weight: 1, arbitrary: fc.constant({ showId: 'x'.repeat(20_000) }) }, // over the 16 KB frame limit: the server drops the socket
    );
    const emitArb = fc.record({
      event: fc.oneof({ weight: 8, arbitrary: fc.constantFrom<string>(...events) }, { weight: 1, arbitrary: fc.constantFrom('nope', 'queue:status', 'seat:update', '__proto__', 'constructor') }),
      payload: payloadArb,
      ack: fc.constantFrom('function', 'none', 'not-a-function'),
    });
    let acked = 0;
    let runs = 0;
    /** One event on socket i; resolves once it is answered, dropped or not expected to be answered. */
    const fire = async (i: number, { event, payload, ack }: { event: string; payload: unknown; ack: string }) => {
      runs++;
      const s = await socketFor(i);
      const emit = s.emit.bind(s) as (ev: string, ...args: unknown[]) => void;
      const handled = (events as readonly string[]).includes(event);
      if (ack === 'not-a-function') return emit(event, payload, 'ack?', 42);
      if (ack === 'none' || !handled) return emit(event, payload);
      const reply = await new Promise<unknown>((resolve) => {
        const done = (r: unknown) => {
          clearTimeout(timer);
          s.off('disconnect', dropped);
          resolve(r);
        };
        const dropped = () => done('no ack');
        const timer = setTimeout(dropped, 5_000);
        s.once('disconnect', dropped);
        emit(event, payload, done);
      });
      if (reply === 'no ack' && !s.connected) return; // dropped for the oversized frame
      acked++;
      const ok = typeof reply === 'object' && reply !== null && ('ok' in reply || 'error' in reply);
      expect(ok, `${event} ${JSON.stringify(payload)?.slice(0, 100)} -> ${JSON.stringify(reply)}`).toBe(true);
      const code = (reply as { error?: { code?: string } }).error?.code;
      if (code !== undefined) expect(['VALIDATION_FAILED', 'NOT_FOUND', 'FORBIDDEN']).toContain(code);
    };
    // Each run sends one event on each of the five sockets at once (four customers and the admin).
    const result = await fc.check(
      fc.asyncProperty(fc.array(emitArb, { minLength: tokens.length, maxLength: tokens.length }), async (batch) => {
        await Promise.all(batch.map((e, i) => fire(i, e)));
        return true;
      }),
      { numRuns: Math.ceil(SOCKET_RUNS / tokens.length), seed: SEED, endOnFailure: true, interruptAfterTimeLimit: SOCKET_TIME_LIMIT_MS, markInterruptAsFailure: false },
    );
    if (result.failed) {
      throw new Error(`socket fuzz failed (FUZZ_SEED=${SEED}): ${String((result as { errorInstance?: unknown }).errorInstance)}`);
    }
    console.info(`socket fuzz: ${runs} events (seed ${SEED}), ${acked} acks checked`);
    expect(runs).toBeGreaterThanOrEqual(100);
    expect(acked).toBeGreaterThanOrEqual(20);

    // Handshakes with garbage credentials are refused, not crashed on.
    for (const token of ['', 'x'.repeat(10_000), '\u0000', fixture.customers[0]!.token + 'x']) {
      await expect(connect(url, token)).rejects.toThrow();
    }

    await sleep(200);
    // Still up and serving sockets; watching moved presence only, not the line or the seats.
    const s = await socketFor(0);
    const ok = await new Promise((resolve) => s.emit('queue:watch', { showId: fixture.showId }, resolve));
    expect(ok).toEqual({ ok: true });
    expect((await call(app(), 'GET', '/api/health')).status).toBe(200);
    expect(await fingerprint()).toBe(before);
    for (const x of sockets) x?.disconnect();
  }, 60_000);
});
