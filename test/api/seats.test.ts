import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { io as connect, type Socket } from 'socket.io-client';
import { ManualClock, systemClock } from '../../src/server/platform/clock.js';
import type { AdmissionGate } from '../../src/server/modules/queue/admission.js';
import { SeatsService } from '../../src/server/modules/seats/seats-service.js';
import type { SeatUpdateEvent } from '../../src/shared/realtime.js';
import type { Harness } from '../support/harness.js';
import { call, createShow, newCustomer, newCustomers } from '../support/api-client.js';
import { useHarness } from '../support/api-suite.js';
import { admit, hold, MISSING_ID, seatIdsOf, seatRow } from './seat-helpers.js';
import { describeOnEachDatabase } from '../support/needs.js';

describeOnEachDatabase('seats on %s', (kind) => {
  let h: Harness;
  let admin: string;
  useHarness({ db: kind }, (s) => ({ h, admin } = s));

  const app = () => h.ticketClub.app;

  it('when 60 admitted buyers race for the same 10 seats, then each seat has exactly one holder', async () => {
    const show = await createShow(app(), admin, { pageCapacity: 100, areas: [{ name: 'Front', rows: 1, seatsPerRow: 10 }] });
    const seats = await seatIdsOf(h.db, show.id);
    expect(seats).toHaveLength(10);
    const buyers = await newCustomers(app(), admin, 60);
    await Promise.all(buyers.map((b) => admit(app(), show.id, b.token)));

    // Every buyer tries 4 of the seats (so each seat has 24 contenders and nobody reaches the limit), all at once.
    const attempts = buyers.flatMap((b, i) => [0, 1, 2, 3].map((j) => ({ buyer: b, seatId: seats[(i + j) % seats.length]! })));
    const results = await Promise.all(attempts.map(async (a) => ({ ...a, res: await hold(app(), show.id, a.seatId, a.buyer.token) })));

    expect(new Set(results.map((r) => r.res.status))).toEqual(new Set([200, 409]));
    const wins = results.filter((r) => r.res.status === 200);
    expect(wins).toHaveLength(10);
    const winnerOf = new Map(wins.map((w) => [w.seatId, w.buyer.id]));
    expect(winnerOf.size).toBe(10);
    for (const r of results.filter((x) => x.res.status === 409)) expect(r.res.body.error.code).toBe('SEAT_UNAVAILABLE');
    // The database agrees with the answers.
    const { rows } = await h.db.query<{ seat_id: string; holder_id: string; status: string }>(
      `SELECT seat_id, holder_id, status FROM show_seats WHERE show_id = $1`,
      [show.id],
    );
    for (const r of rows) {
      expect(r.status).toBe('selected');
      expect(r.holder_id).toBe(winnerOf.get(r.seat_id));
    }
    // And so does the seat map each winner sees.
    const someWinner = buyers.find((b) => b.id === wins[0]!.buyer.id)!;
    const map = await call(app(), 'GET', `/api/shows/${show.id}/seats`, { token: someWinner.token });
    expect(map.status).toBe(200);
    for (const s of map.body.seats) {
      expect(s.status).toBe('selected');
      expect(s.mine).toBe(winnerOf.get(s.id) === someWinner.id);
    }
  }, 60_000);

  it('when one account sends 12 holds at once, then at most maxTicketsPerAccount succeed', async () => {
    const show = await createShow(app(), admin, { maxTicketsPerAccount: 4 });
    const seats = (await seatIdsOf(h.db, show.id)).slice(0, 12);
    const buyer = await newCustomer(app());
    await admit(app(), show.id, buyer.token);

    const results = await Promise.all(seats.map((s) => hold(app(), show.id, s, buyer.token)));
    const ok = results.filter((r) => r.status === 200);
    expect(ok).toHaveLength(4);
    for (const r of results.filter((x) => x.status !== 200)) {
      expect(r.status).toBe(409);
      expect(r.body.error.code).toBe('TICKET_LIMIT_REACHED');
    }
    const { rows } = await h.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM show_seats WHERE show_id = $1 AND holder_id = $2`,
      [show.id, buyer.id],
    );
    expect(rows[0]!.n).toBe(4);
    // Releasing one makes room for exactly one more.
    const mine = ok.map((r) => r.body.seat.id as string);
    expect((await call(app(), 'DELETE', `/api/shows/${show.id}/seats/${mine[0]}/hold`, { token: buyer.token })).status).toBe(204);
    const free = seats.filter((s) => !mine.includes(s));
    expect((await hold(app(), show.id, free[0]!, buyer.token)).status).toBe(200);
    expect((await hold(app(), show.id, free[1]!, buyer.token)).body.error.code).toBe('TICKET_LIMIT_REACHED');
  }, 60_000);

  it('when the waiting room cannot say after the claim whether the admission is still live, then the hold fails and the seat stays available', async () => {
    const show = await createShow(app(), admin);
    const [seat] = await seatIdsOf(h.db, show.id);
    const fan = await newCustomer(app());
    const { queue } = h.ticketClub.services;
    await admit(app(), show.id, fan.token);
    const admission = await queue.requireAdmission(show.id, fan.id);
    // The same use case, with a waiting room that answers the first look and fails the second.
    const gate = { ...queue, requireAdmission: async () => admission, isLive: async () => Promise.reject(new Error('store unreachable')) } as unknown as AdmissionGate;
    const seats = new SeatsService(h.db, systemClock, { toUser: () => undefined, toRoom: () => undefined }, gate);
    await expect(seats.hold(show.id, seat!, fan.id)).rejects.toThrow('store unreachable');
    expect(await seatRow(h.db, show.id, seat!)).toMatchObject({ status: 'available', holder_id: null });
  });

  it('holds, lists, releases; a repeated hold of your own seat is answered the same', async () => {
    const show = await createShow(app(), admin);
    const [s1, s2] = await seatIdsOf(h.db, show.id);
    const a = await newCustomer(app());
    const b = await newCustomer(app());
    await admit(app(), show.id, a.token);
    await admit(app(), show.id, b.token);

    const held = await hold(app(), show.id, s1!, a.token);
    expect(held.status).toBe(200);
    expect(held.body.seat).toMatchObject({ id: s1, status: 'selected', mine: true, row: 1, number: 1 });
    expect(typeof held.body.seat.areaId).toBe('string');
    expect((await hold(app(), show.id, s1!, a.token)).status).toBe(200);

    const taken = await hold(app(), show.id, s1!, b.token);
    expect(taken.status).toBe(409);
    expect(taken.body.error.code).toBe('SEAT_UNAVAILABLE');

    const forB = await call(app(), 'GET', `/api/shows/${show.id}/seats`, { token: b.token });
    expect(forB.body.seats).toHaveLength(22);
    expect(forB.body.seats.find((s: { id: string }) => s.id === s1)).toMatchObject({ status: 'selected', mine: false });
    const areaId = show.areas[1]!.id;
    const areaB = await call(app(), 'GET', `/api/shows/${show.id}/seats?areaId=${areaId}`, { token: b.token });
    expect(areaB.body.seats).toHaveLength(10);
    expect(areaB.body.seats.every((s: { areaId: string }) => s.areaId === areaId)).toBe(true);

    // Only the holder can release, and only a selected seat.
    const notYours = await call(app(), 'DELETE', `/api/shows/${show.id}/seats/${s1}/hold`, { token: b.token });
    expect(notYours.status).toBe(409);
    expect(notYours.body.error.code).toBe('SEAT_UNAVAILABLE');
    expect((await call(app(), 'DELETE', `/api/shows/${show.id}/seats/${s2}/hold`, { token: a.token })).status).toBe(409);
    expect((await call(app(), 'DELETE', `/api/shows/${show.id}/seats/${s1}/hold`, { token: a.token })).status).toBe(204);
    expect((await seatRow(h.db, show.id, s1!)).status).toBe('available');
    expect((await hold(app(), show.id, s1!, b.token)).status).toBe(200);
  });

  it('refuses without auth, without admission, with malformed or unknown ids', async () => {
    const show = await createShow(app(), admin);
    const [s1] = await seatIdsOf(h.db, show.id);
    const outsider = await newCustomer(app());
    const buyer = await newCustomer(app());
    await admit(app(), show.id, buyer.token);

    expect((await call(app(), 'POST', `/api/shows/${show.id}/seats/${s1}/hold`)).status).toBe(401);
    expect((await call(app(), 'GET', `/api/shows/${show.id}/seats`)).status).toBe(401);
    for (const r of [
      await hold(app(), show.id, s1!, outsider.token),
      await call(app(), 'GET', `/api/shows/${show.id}/seats`, { token: outsider.token }),
      await call(app(), 'DELETE', `/api/shows/${show.id}/seats/${s1}/hold`, { token: outsider.token }),
    ]) {
      expect(r.status).toBe(403);
      expect(r.body.error.code).toBe('NOT_ADMITTED');
    }
    expect((await seatRow(h.db, show.id, s1!)).status).toBe('available');

    const bad = await hold(app(), show.id, 'not-a-uuid', buyer.token);
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('VALIDATION_FAILED');
    expect((await hold(app(), 'nope', s1!, buyer.token)).status).toBe(400);
    expect((await call(app(), 'GET', `/api/shows/${show.id}/seats?areaId=x`, { token: buyer.token })).status).toBe(400);
    expect((await call(app(), 'GET', `/api/shows/${show.id}/seats?mine=maybe`, { token: buyer.token })).status).toBe(400);

    const unknownSeat = await hold(app(), show.id, MISSING_ID, buyer.token);
    expect(unknownSeat.status).toBe(404);
    expect(unknownSeat.body.error.code).toBe('NOT_FOUND');
    expect((await call(app(), 'DELETE', `/api/shows/${show.id}/seats/${MISSING_ID}/hold`, { token: buyer.token })).status).toBe(404);
    expect((await hold(app(), MISSING_ID, s1!, buyer.token)).status).toBe(404);
  });

  describe('seat:update', () => {
    let base: string;
    const sockets: Socket[] = [];
    beforeAll(async () => {
      base = await h.listen();
    });
    afterAll(() => {
      for (const s of sockets) s.disconnect();
    });

    async function watcher(token: string, showId: string): Promise<{ socket: Socket; events: SeatUpdateEvent[] }> {
      const socket = connect(base, { path: '/socket.io', transports: ['websocket'], auth: { token }, forceNew: true });
      sockets.push(socket);
      const events: SeatUpdateEvent[] = [];
      socket.on('seat:update', (e: SeatUpdateEvent) => events.push(e));
      const ack = await socket.timeout(2_000).emitWithAck('show:watch', { showId });
      expect(ack).toEqual({ ok: true });
      return { socket, events };
    }

    const until = async (cond: () => boolean, ms: number) => {
      const end = Date.now() + ms;
      while (!cond() && Date.now() < end) await new Promise((r) => setTimeout(r, 10));
      return cond();
    };

    it('reaches a second watcher within a second of a hold, and not for a refused hold', async () => {
      const show = await createShow(app(), admin);
      const [s1] = await seatIdsOf(h.db, show.id);
      const a = await newCustomer(app());
      const b = await newCustomer(app());
      await admit(app(), show.id, a.token);
      await admit(app(), show.id, b.token);
      const w = await watcher(b.token, show.id);

      const started = Date.now();
      expect((await hold(app(), show.id, s1!, a.token)).status).toBe(200);
      expect(await until(() => w.events.length > 0, 1_000)).toBe(true);
      expect(Date.now() - started).toBeLessThan(1_000);
      expect(w.events).toEqual([{ showId: show.id, areaId: show.areas[0]!.id, seatId: s1, status: 'selected' }]);

      // A refused hold changes nothing, so says nothing.
      expect((await hold(app(), show.id, s1!, b.token)).status).toBe(409);
      await new Promise((r) => setTimeout(r, 300));
      expect(w.events).toHaveLength(1);

      expect((await call(app(), 'DELETE', `/api/shows/${show.id}/seats/${s1}/hold`, { token: a.token })).status).toBe(204);
      expect(await until(() => w.events.length === 2, 1_000)).toBe(true);
      expect(w.events[1]).toMatchObject({ seatId: s1, status: 'available' });

      // After show:unwatch, nothing more arrives.
      expect(await w.socket.timeout(2_000).emitWithAck('show:unwatch', { showId: show.id })).toEqual({ ok: true });
      expect((await hold(app(), show.id, s1!, a.token)).status).toBe(200);
      await new Promise((r) => setTimeout(r, 300));
      expect(w.events).toHaveLength(2);
    });

    it('show:watch refuses a malformed or unknown show', async () => {
      const a = await newCustomer(app());
      const socket = connect(base, { path: '/socket.io', transports: ['websocket'], auth: { token: a.token }, forceNew: true });
      sockets.push(socket);
      const bad = await socket.timeout(2_000).emitWithAck('show:watch', { showId: 'x' });
      expect(bad.error.code).toBe('VALIDATION_FAILED');
      const unknown = await socket.timeout(2_000).emitWithAck('show:watch', { showId: MISSING_ID });
      expect(unknown.error.code).toBe('NOT_FOUND');
    });
  });
});

describeOnEachDatabase('seat holds over time on %s', (kind) => {
  const clock = new ManualClock();
  let h: Harness;
  let admin: string;
  useHarness({ db: kind, clock }, (s) => ({ h, admin } = s));

  it('when a hold runs out, then another buyer can take the seat, and the release job frees the rest', async () => {
    const app = h.ticketClub.app;
    const show = await createShow(app, admin, { purchaseWindowSeconds: 5, now: clock.now() });
    const [s1, s2] = await seatIdsOf(h.db, show.id);
    const a = await newCustomer(app);
    await admit(app, show.id, a.token);
    expect((await hold(app, show.id, s1!, a.token)).status).toBe(200);
    expect((await hold(app, show.id, s2!, a.token)).status).toBe(200);

    clock.advance(6_000);
    const b = await newCustomer(app);
    await admit(app, show.id, b.token);
    const map = await call(app, 'GET', `/api/shows/${show.id}/seats`, { token: b.token });
    expect(map.body.seats.find((s: { id: string }) => s.id === s1)).toMatchObject({ status: 'available', mine: false });
    expect((await hold(app, show.id, s1!, b.token)).status).toBe(200);
    expect(await seatRow(h.db, show.id, s1!)).toMatchObject({ status: 'selected', holder_id: b.id });
    // The expired hold no longer counts towards A's limit either.
    expect(await h.ticketClub.services.seats.countForAccount(show.id, a.id)).toBe(0);

    // s2 still says selected in the table until the job runs; then it is free for everyone.
    expect((await seatRow(h.db, show.id, s2!)).status).toBe('selected');
    const released = await h.ticketClub.services.orders.releaseExpired();
    expect(released.seats).toBeGreaterThanOrEqual(1);
    expect(await seatRow(h.db, show.id, s2!)).toMatchObject({ status: 'available', holder_id: null });
    expect(await seatRow(h.db, show.id, s1!)).toMatchObject({ status: 'selected', holder_id: b.id });
  });
});
