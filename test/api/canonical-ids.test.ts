import { expect, it } from 'vitest';
import { call, createShow, newCustomers } from '../support/api-client.js';
import { useHarness, type ApiSuite } from '../support/api-suite.js';
import type { DbKind, Harness } from '../support/harness.js';
import { describeNeeding } from '../support/needs.js';
import { emitAck, nextEvent, sleep } from '../support/sockets.js';
import { spelling } from '../support/spellings.js';
import { admit, GOOD_CARD, seatIdsOf, seatRow } from './seat-helpers.js';

/**
 * The API reference (docs/api.md): ids that differ only in letter case are the same id. PostgreSQL agrees by itself (uuid
 * compares values), but the waiting room, the locks, the socket rooms and the metric labels key on
 * the string: every entry point must hand the rest of the code one spelling.
 */

const UPPER = (id: string) => id.toUpperCase();

const SETUPS: { db: DbKind; redis: boolean }[] = [
  { db: 'pglite', redis: false },
  { db: 'postgres', redis: true },
];

for (const { db, redis } of SETUPS)
  describeNeeding(db === 'postgres' ? ['postgres', 'redis'] : [], `ids in another letter case are the same id (${db}, redis: ${redis})`, () => {
  let h: Harness;
  let admin: string;
  let open: ApiSuite['open'];
  const app = () => h.ticketClub.app;

  useHarness({ db, redis, jobs: true, env: { QUEUE_GRACE_SECONDS: '2', ADMITTED_GRACE_SECONDS: '2' }, listen: true }, (s) => ({ h, admin, open } = s));

  it('when a waiter at #1 joins again with the show id in capitals, then it keeps place #1 and the line does not grow', async () => {
    const show = await createShow(app(), admin, { pageCapacity: 1 });
    const [a, b, c] = await newCustomers(app(), admin, 3);
    await admit(app(), show.id, a!.token);
    expect((await call(app(), 'POST', `/api/shows/${show.id}/queue`, { token: b!.token })).body).toMatchObject({ state: 'waiting', position: 1 });

    for (const id of [UPPER(show.id), spelling(show.id, 0b1010_1010), spelling(show.id, 1)]) {
      const again = await call(app(), 'POST', `/api/shows/${id}/queue`, { token: b!.token });
      expect(again.status).toBe(200);
      expect(again.body).toMatchObject({ state: 'waiting', position: 1 });
      expect((await call(app(), 'GET', `/api/shows/${id}/queue`, { token: b!.token })).body).toMatchObject({ state: 'waiting', position: 1 });
      // The one already admitted gets its admission, not a place in line under another name.
      const admitted = await call(app(), 'POST', `/api/shows/${id}/queue`, { token: a!.token });
      expect(admitted.body.state).toBe('admitted');
    }
    // A newcomer with capitals queues behind, in the same line.
    expect((await call(app(), 'POST', `/api/shows/${UPPER(show.id)}/queue`, { token: c!.token })).body).toMatchObject({ state: 'waiting', position: 2 });
    const counts = await h.store.counts(show.id);
    expect(counts).toMatchObject({ waiting: 2, admitted: 1 });
    // The store holds one waiting room for the show, under its one spelling.
    const active = await h.store.activeShows();
    expect(active.filter((s) => s.toLowerCase() === show.id)).toEqual([show.id]);

    const stats = await call(app(), 'GET', `/api/admin/shows/${UPPER(show.id)}/stats`, { token: admin });
    expect(stats.status).toBe(200);
    expect(stats.body).toMatchObject({ waiting: 2, admitted: 1 });

    // Leaving with capitals leaves the one line.
    expect((await call(app(), 'DELETE', `/api/shows/${UPPER(show.id)}/queue`, { token: c!.token })).status).toBe(204);
    expect((await call(app(), 'GET', `/api/shows/${show.id}/queue`, { token: c!.token })).body).toMatchObject({ state: 'none' });
  });

  it('when the admitted hold, list, check out and pay with ids in capitals, then it behaves exactly as with the canonical ids', async () => {
    const show = await createShow(app(), admin, { pageCapacity: 1, maxTicketsPerAccount: 2 });
    const [a, b] = await newCustomers(app(), admin, 2);
    await admit(app(), UPPER(show.id), a!.token);
    // Admitted under the canonical id: the next fan waits.
    expect((await call(app(), 'POST', `/api/shows/${show.id}/queue`, { token: b!.token })).body).toMatchObject({ state: 'waiting', position: 1 });
    const seats = await seatIdsOf(h.db, show.id);
    const area = show.areas[0]!.id;

    const listed = await call(app(), 'GET', `/api/shows/${UPPER(show.id)}/seats?areaId=${UPPER(area)}`, { token: a!.token });
    expect(listed.status).toBe(200);
    expect(listed.body.seats.length).toBe(show.areas[0]!.seatCount);

    const held = await call(app(), 'POST', `/api/shows/${UPPER(show.id)}/seats/${UPPER(seats[0]!)}/hold`, { token: a!.token });
    expect(held.status).toBe(200);
    expect(held.body.seat).toMatchObject({ id: seats[0], status: 'selected', mine: true });
    expect((await seatRow(h.db, show.id, seats[0]!)).holder_id).toBe(a!.id);
    const mine = await call(app(), 'GET', `/api/shows/${show.id}/seats?mine=true`, { token: a!.token });
    expect(mine.body.seats.map((s: { id: string }) => s.id)).toEqual([seats[0]]);

    // Release with capitals, hold again canonically.
    expect((await call(app(), 'DELETE', `/api/shows/${spelling(show.id, 0b111)}/seats/${UPPER(seats[0]!)}/hold`, { token: a!.token })).status).toBe(204);
    expect((await seatRow(h.db, show.id, seats[0]!)).status).toBe('available');
    expect((await call(app(), 'POST', `/api/shows/${show.id}/seats/${seats[0]}/hold`, { token: a!.token })).status).toBe(200);
    expect((await call(app(), 'POST', `/api/shows/${show.id}/seats/${UPPER(seats[1]!)}/hold`, { token: a!.token })).status).toBe(200);
    // The limit counts one account on one show, however the ids are spelled.
    const third = await call(app(), 'POST', `/api/shows/${UPPER(show.id)}/seats/${UPPER(seats[2]!)}/hold`, { token: a!.token });
    expect(third.status).toBe(409);
    expect(third.body.error.code).toBe('TICKET_LIMIT_REACHED');

    // The same seat twice in two spellings is the same seat twice.
    const twice = await call(app(), 'POST', `/api/shows/${show.id}/checkout`, { token: a!.token, body: { seatIds: [seats[0], UPPER(seats[0]!)] } });
    expect(twice.status).toBe(400);
    expect(twice.body.error.code).toBe('VALIDATION_FAILED');

    const order = await call(app(), 'POST', `/api/shows/${UPPER(show.id)}/checkout`, { token: a!.token, body: { seatIds: [UPPER(seats[0]!), seats[1]] } });
    expect(order.status).toBe(201);
    expect(order.body.order).toMatchObject({ showId: show.id, status: 'pending' });
    expect(order.body.order.items.map((i: { seatId: string }) => i.seatId).sort()).toEqual([seats[0], seats[1]].sort());
    const orderId = order.body.order.id as string;
    const got = await call(app(), 'GET', `/api/orders/${UPPER(orderId)}`, { token: a!.token });
    expect(got.status).toBe(200);
    expect(got.body.order.id).toBe(orderId);
    const paid = await call(app(), 'POST', `/api/orders/${UPPER(orderId)}/pay`, { token: a!.token, body: { method: 'card', card: GOOD_CARD } });
    expect(paid.status).toBe(200);
    expect(paid.body.order).toMatchObject({ id: orderId, status: 'paid' });
    expect((await seatRow(h.db, show.id, seats[0]!)).status).toBe('sold');
    // The purchase ended the one admission: the waiter at #1 is admitted.
    expect((await call(app(), 'GET', `/api/shows/${UPPER(show.id)}/queue`, { token: b!.token })).body.state).toBe('admitted');
    expect((await call(app(), 'GET', `/api/shows/${show.id}/queue`, { token: a!.token })).body).toMatchObject({ state: 'none' });

    // Cancelling with capitals cancels the order.
    await call(app(), 'POST', `/api/shows/${show.id}/seats/${seats[3]}/hold`, { token: b!.token });
    const other = await call(app(), 'POST', `/api/shows/${show.id}/checkout`, { token: b!.token, body: { seatIds: [seats[3]] } });
    expect(other.status).toBe(201);
    expect((await call(app(), 'DELETE', `/api/orders/${UPPER(other.body.order.id)}`, { token: b!.token })).status).toBe(204);
    expect((await seatRow(h.db, show.id, seats[3]!)).status).toBe('available');
  });

  it('when catalogue and admin routes get ids in capitals, then they name the same events, venues, areas and shows', async () => {
    const show = await createShow(app(), admin);
    const event = await call(app(), 'GET', `/api/events/${UPPER(show.eventId)}`);
    expect(event.status).toBe(200);
    expect(event.body.event.id).toBe(show.eventId);
    const detail = await call(app(), 'GET', `/api/shows/${UPPER(show.id)}`);
    expect(detail.status).toBe(200);
    expect(detail.body.show.id).toBe(show.id);

    const renamed = await call(app(), 'PATCH', `/api/admin/events/${UPPER(show.eventId)}`, { token: admin, body: { title: 'Renamed in capitals' } });
    expect(renamed.status).toBe(200);
    expect(renamed.body.event).toMatchObject({ id: show.eventId, title: 'Renamed in capitals' });

    const prices = show.areas.map((a, i) => ({ areaId: UPPER(a.id), price: 777 + i }));
    const patched = await call(app(), 'PATCH', `/api/admin/shows/${UPPER(show.id)}`, { token: admin, body: { prices } });
    expect(patched.status).toBe(200);
    expect(patched.body.show.areas.map((a: { id: string; price: number }) => [a.id, a.price])).toEqual(show.areas.map((a, i) => [a.id, 777 + i]));

    const created = await call(app(), 'POST', '/api/admin/shows', {
      token: admin,
      body: {
        eventId: UPPER(show.eventId),
        venueId: UPPER(show.venue.id),
        startsAt: new Date(Date.now() + 86_400_000).toISOString(),
        onSaleAt: new Date(Date.now() - 60_000).toISOString(),
        prices: show.areas.map((a) => ({ areaId: UPPER(a.id), price: 100 })),
      },
    });
    expect(created.status).toBe(201);
    expect(created.body.show).toMatchObject({ eventId: show.eventId, venue: { id: show.venue.id } });
    expect(created.body.show.areas.map((a: { id: string }) => a.id).sort()).toEqual(show.areas.map((a) => a.id).sort());
  });

  it('when a socket watches the line with the show id in capitals, then it hears the one place and counts as presence for it', async () => {
    const show = await createShow(app(), admin, { pageCapacity: 1 });
    const [a, b] = await newCustomers(app(), admin, 2);
    const sa = await open(a!.token);
    const sb = await open(b!.token);
    await admit(app(), show.id, a!.token);
    expect(await emitAck(sa, 'queue:watch', show.id)).toEqual({ ok: true });
    await call(app(), 'POST', `/api/shows/${show.id}/queue`, { token: b!.token });

    const status = nextEvent(sb, 'queue:status');
    expect(await emitAck(sb, 'queue:watch', UPPER(show.id))).toEqual({ ok: true });
    expect(await status).toMatchObject({ showId: show.id, state: 'waiting', position: 1 });
    // Watching under capitals is presence for the place: it outlives the 2 s grace.
    await sleep(4_500);
    expect((await call(app(), 'GET', `/api/shows/${show.id}/queue`, { token: b!.token })).body).toMatchObject({ state: 'waiting', position: 1 });
    // And unwatching in yet another spelling ends that watch.
    sb.emit('queue:unwatch', { showId: spelling(show.id, 0b101) });
    await sleep(4_500);
    expect((await call(app(), 'GET', `/api/shows/${show.id}/queue`, { token: b!.token })).body).toMatchObject({ state: 'none' });
  }, 20_000);

  it('when a socket watches the seat map or the stats with the show id in capitals, then it joins the one show', async () => {
    const show = await createShow(app(), admin, { pageCapacity: 1 });
    const [a] = await newCustomers(app(), admin, 1);
    const watcher = await open(a!.token);
    expect(await emitAck(watcher, 'show:watch', UPPER(show.id))).toEqual({ ok: true });
    await admit(app(), show.id, a!.token);
    const [seat] = await seatIdsOf(h.db, show.id);
    const update = nextEvent(watcher, 'seat:update', (e) => e.seatId === seat);
    expect((await call(app(), 'POST', `/api/shows/${show.id}/seats/${seat}/hold`, { token: a!.token })).status).toBe(200);
    expect(await update).toMatchObject({ showId: show.id, seatId: seat, status: 'selected' });

    const dash = await open(admin);
    const stats = nextEvent(dash, 'stats:update');
    expect(await emitAck(dash, 'stats:watch', UPPER(show.id))).toEqual({ ok: true });
    expect(await stats).toMatchObject({ showId: show.id, admitted: 1 });
  });
});
