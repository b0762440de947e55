import { expect, it } from 'vitest';
import { ManualClock } from '../../src/server/platform/clock.js';
import { call, createShow, newCustomers } from '../support/api-client.js';
import { useHarness, type ApiSuite } from '../support/api-suite.js';
import type { DbKind, Harness } from '../support/harness.js';
import { describeOnEachDatabase } from '../support/needs.js';
import { emitAck, nextEvent } from '../support/sockets.js';
import { admit, checkout, hold, pay, seatIdsOf, seatRow } from './seat-helpers.js';

/** Both setups: PGlite with the in-process line, PostgreSQL with the line in Redis. */
const setup = (kind: DbKind) => ({ db: kind, redis: kind === 'postgres' });

/** Polls `read` until it returns `want` or 4 s pass (the stock is counted at most once a second). */
async function eventually<T>(read: () => Promise<T>, want: T): Promise<T> {
  const end = Date.now() + 4_000;
  let got = await read();
  while (JSON.stringify(got) !== JSON.stringify(want) && Date.now() < end) {
    await new Promise((r) => setTimeout(r, 50));
    got = await read();
  }
  return got;
}

describeOnEachDatabase('a line that knows the stock on %s', (kind) => {
  let h: Harness;
  let admin: string;
  let open: ApiSuite['open'];

  useHarness({ ...setup(kind), listen: true }, (s) => ({ h, admin, open } = s));

  const queueOf = async (showId: string, token: string) => (await call(h.ticketClub.app, 'GET', `/api/shows/${showId}/queue`, { token })).body;
  const smallShow = (pageCapacity: number) => createShow(h.ticketClub.app, admin, { pageCapacity, areas: [{ name: 'A', rows: 1, seatsPerRow: 3 }] });

  it('when a fan waits, then the join, GET and queue:status say how many seats are neither sold nor held, and follow holds and releases', async () => {
    const show = await smallShow(1);
    const [buyer, waiter] = await newCustomers(h.ticketClub.app, admin, 2);
    await admit(h.ticketClub.app, show.id, buyer!.token);
    const joined = await call(h.ticketClub.app, 'POST', `/api/shows/${show.id}/queue`, { token: waiter!.token });
    expect(joined.body).toMatchObject({ state: 'waiting', position: 1, seatsLeft: 3 });
    // The admitted are not told (they see the seat map itself).
    expect(await queueOf(show.id, buyer!.token)).not.toHaveProperty('seatsLeft');

    const [s1, s2] = await seatIdsOf(h.db, show.id);
    expect((await hold(h.ticketClub.app, show.id, s1!, buyer!.token)).status).toBe(200);
    expect((await hold(h.ticketClub.app, show.id, s2!, buyer!.token)).status).toBe(200);
    const seatsLeft = async () => (await queueOf(show.id, waiter!.token)).seatsLeft as number;
    expect(await eventually(seatsLeft, 1)).toBe(1);

    const s = await open(waiter!.token);
    const status = nextEvent(s, 'queue:status', (e) => e.showId === show.id);
    expect(await emitAck(s, 'queue:watch', show.id)).toEqual({ ok: true });
    expect(await status).toMatchObject({ state: 'waiting', position: 1, seatsLeft: 1 });

    expect((await call(h.ticketClub.app, 'DELETE', `/api/shows/${show.id}/seats/${s1}/hold`, { token: buyer!.token })).status).toBe(204);
    expect(await eventually(seatsLeft, 2)).toBe(2);
  });

  it('when the last seat is sold, then every waiter is told sold_out at once and is out of line, new joins are refused, and the admitted keep their turn', async () => {
    const show = await smallShow(2);
    const [buyer, other, w1, w2, late] = await newCustomers(h.ticketClub.app, admin, 5);
    await admit(h.ticketClub.app, show.id, buyer!.token);
    await admit(h.ticketClub.app, show.id, other!.token);
    for (const w of [w1, w2]) expect((await call(h.ticketClub.app, 'POST', `/api/shows/${show.id}/queue`, { token: w!.token })).body.state).toBe('waiting');
    const [s1, s2] = [await open(w1!.token), await open(w2!.token)];
    for (const s of [s1, s2]) expect(await emitAck(s, 'queue:watch', show.id)).toEqual({ ok: true });
    const ends = [s1, s2].map((s) => nextEvent(s, 'queue:ended', (e) => e.showId === show.id));

    const seats = await seatIdsOf(h.db, show.id);
    for (const seat of seats) expect((await hold(h.ticketClub.app, show.id, seat, buyer!.token)).status).toBe(200);
    const order = await checkout(h.ticketClub.app, show.id, seats, buyer!.token);
    expect(order.status).toBe(201);
    expect((await call(h.ticketClub.app, 'POST', `/api/orders/${order.body.order.id}/pay`, { token: buyer!.token, body: pay() })).status).toBe(200);

    // At once: the pay's own step, not a sweep (no jobs run in this harness).
    expect(await Promise.all(ends)).toEqual([
      { showId: show.id, reason: 'sold_out' },
      { showId: show.id, reason: 'sold_out' },
    ]);
    // Told why on return (a fresh tab, a refresh).
    for (const w of [w1, w2]) expect(await queueOf(show.id, w!.token)).toEqual({ state: 'none', lastEnded: { reason: 'sold_out', at: expect.any(String) } });
    const refused = await call(h.ticketClub.app, 'POST', `/api/shows/${show.id}/queue`, { token: late!.token });
    expect([refused.status, refused.body.error.code]).toEqual([409, 'SOLD_OUT']);
    expect(await queueOf(show.id, late!.token)).toEqual({ state: 'none' });
    expect((await queueOf(show.id, other!.token)).state).toBe('admitted');
    expect((await h.ticketClub.services.queue.stats(show.id)).waiting).toBe(0);

    // A seat that comes back (a cancellation) opens the line again.
    await h.db.query(`UPDATE show_seats SET status = 'available', holder_id = NULL, hold_expires_at = NULL, order_id = NULL, admission_id = NULL WHERE show_id = $1 AND seat_id = $2`, [show.id, seats[0]]);
    const rejoin = async () => (await call(h.ticketClub.app, 'POST', `/api/shows/${show.id}/queue`, { token: late!.token })).status;
    expect(await eventually(rejoin, 200)).toBe(200);
  });

  it('when every seat becomes sold without the purchase step ending the waits, then the next sweep ends them with sold_out', async () => {
    const show = await smallShow(1);
    const [buyer, waiter] = await newCustomers(h.ticketClub.app, admin, 2);
    await admit(h.ticketClub.app, show.id, buyer!.token);
    await call(h.ticketClub.app, 'POST', `/api/shows/${show.id}/queue`, { token: waiter!.token });
    const s = await open(waiter!.token);
    expect(await emitAck(s, 'queue:watch', show.id)).toEqual({ ok: true });
    const ended = nextEvent(s, 'queue:ended', (e) => e.showId === show.id, 6_000);
    // Sold behind the line's back, as if the instance that sold the last seat died before ending the waits.
    const seats = await seatIdsOf(h.db, show.id);
    for (const seat of seats) expect((await hold(h.ticketClub.app, show.id, seat, buyer!.token)).status).toBe(200);
    const order = await checkout(h.ticketClub.app, show.id, seats, buyer!.token);
    await h.db.query(`UPDATE show_seats SET status = 'sold' WHERE order_id = $1`, [order.body.order.id]);
    const read = async () => (await h.ticketClub.services.queue.sweep(show.id), (await queueOf(show.id, waiter!.token)).state as string);
    expect(await eventually(read, 'none')).toBe('none');
    expect(await ended).toEqual({ showId: show.id, reason: 'sold_out' });
    expect((await queueOf(show.id, buyer!.token)).state).toBe('admitted');
  });
});

describeOnEachDatabase('presence grace, admitted and waiting apart, on %s', (kind) => {
  let h: Harness;
  let admin: string;
  const clock = new ManualClock(Date.now());

  useHarness({ ...setup(kind), clock, env: { QUEUE_GRACE_SECONDS: '120', ADMITTED_GRACE_SECONDS: '30' } }, (s) => ({ h, admin } = s));

  const stateOf = async (showId: string, token: string) => (await call(h.ticketClub.app, 'GET', `/api/shows/${showId}/queue`, { token })).body.state;

  it('when the show starts, then nothing more is sold: holds and checkouts are 409 SALE_ENDED, a pending order cannot be paid, and every wait and admission ends with its seats released', async () => {
    const startsAt = clock.now() + 60_000;
    const show = await createShow(h.ticketClub.app, admin, {
      pageCapacity: 1,
      now: clock.now(),
      startsAt: new Date(startsAt).toISOString(),
      areas: [{ name: 'A', rows: 1, seatsPerRow: 3 }],
    });
    const [buyer, waiter] = await newCustomers(h.ticketClub.app, admin, 2);
    await admit(h.ticketClub.app, show.id, buyer!.token);
    expect((await call(h.ticketClub.app, 'POST', `/api/shows/${show.id}/queue`, { token: waiter!.token })).body.state).toBe('waiting');
    const [s1, s2, s3] = await seatIdsOf(h.db, show.id);
    for (const seat of [s1!, s2!]) expect((await hold(h.ticketClub.app, show.id, seat, buyer!.token)).status).toBe(200);
    const order = await checkout(h.ticketClub.app, show.id, [s1!], buyer!.token);
    expect(order.status).toBe(201);
    // The 10-minute window would outlast the show's start: the order is payable until the start only.
    expect(order.body.order.expiresAt).toBe(new Date(startsAt).toISOString());

    clock.set(startsAt);
    for (const r of [await hold(h.ticketClub.app, show.id, s3!, buyer!.token), await checkout(h.ticketClub.app, show.id, [s2!], buyer!.token)]) {
      expect(r.status).toBe(409);
      expect(r.body.error.code).toBe('SALE_ENDED');
    }
    const paid = await call(h.ticketClub.app, 'POST', `/api/orders/${order.body.order.id}/pay`, { token: buyer!.token, body: pay() });
    expect(paid.status).toBe(409);
    expect(paid.body.error.code).toBe('ORDER_EXPIRED');

    const changes = await h.ticketClub.services.queue.sweep(show.id);
    expect(changes.admitted).toEqual([]);
    expect(changes.ended.map((e) => [e.userId, e.reason, e.wasAdmitted]).sort()).toEqual(
      [
        [buyer!.id, 'expired', true],
        [waiter!.id, 'expired', false],
      ].sort(),
    );
    for (const f of [buyer!, waiter!]) {
      expect((await call(h.ticketClub.app, 'GET', `/api/shows/${show.id}/queue`, { token: f.token })).body).toEqual({ state: 'none', lastEnded: { reason: 'expired', at: expect.any(String) } });
    }
    for (const seat of [s1!, s2!]) expect(await seatRow(h.db, show.id, seat)).toMatchObject({ status: 'available', holder_id: null });
    expect((await call(h.ticketClub.app, 'GET', `/api/orders/${order.body.order.id}`, { token: buyer!.token })).body.order.status).not.toBe('pending');
    const rejoin = await call(h.ticketClub.app, 'POST', `/api/shows/${show.id}/queue`, { token: waiter!.token });
    expect(rejoin.status).toBe(409);
    expect(rejoin.body.error.code).toBe('SALE_ENDED');
  });

  it('when nobody watches, then the admitted lose the page after ADMITTED_GRACE_SECONDS while waiters keep their place until QUEUE_GRACE_SECONDS', async () => {
    const show = await createShow(h.ticketClub.app, admin, { pageCapacity: 1, now: clock.now() });
    const [first, second, third] = await newCustomers(h.ticketClub.app, admin, 3);
    await admit(h.ticketClub.app, show.id, first!.token);
    await call(h.ticketClub.app, 'POST', `/api/shows/${show.id}/queue`, { token: second!.token });
    await call(h.ticketClub.app, 'POST', `/api/shows/${show.id}/queue`, { token: third!.token });

    clock.advance(29_000);
    await h.ticketClub.services.queue.sweep(show.id);
    expect(await stateOf(show.id, first!.token)).toBe('admitted');

    clock.advance(2_000); // 31 s unseen
    const changes = await h.ticketClub.services.queue.sweep(show.id);
    expect(changes.ended.map((e) => [e.userId, e.reason])).toEqual([[first!.id, 'removed']]);
    expect(await stateOf(show.id, first!.token)).toBe('none');
    const told = (await call(h.ticketClub.app, 'GET', `/api/shows/${show.id}/queue`, { token: first!.token })).body;
    expect(told).toEqual({ state: 'none', lastEnded: { reason: 'removed', at: new Date(clock.now()).toISOString() } });
    // Away for 31 s as a waiter: still in line, and admitted now, with the admitted grace from here.
    expect(await stateOf(show.id, second!.token)).toBe('admitted');
    expect(await stateOf(show.id, third!.token)).toBe('waiting');

    clock.advance(29_000);
    await h.ticketClub.services.queue.sweep(show.id);
    expect(await stateOf(show.id, second!.token)).toBe('admitted');
    clock.advance(2_000);
    await h.ticketClub.services.queue.sweep(show.id);
    expect(await stateOf(show.id, second!.token)).toBe('none');
    expect(await stateOf(show.id, third!.token)).toBe('admitted');

    // The note is for a return soon after, not forever.
    clock.advance(60 * 60_000 + 1);
    expect((await call(h.ticketClub.app, 'GET', `/api/shows/${show.id}/queue`, { token: first!.token })).body).toEqual({ state: 'none' });
  });
});
