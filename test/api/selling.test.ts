/**
 * Selling more than seats (docs/selling.md): standing areas, best-available blocks, accessible
 * seats. The waitlist and refunds are in waitlist-refunds.test.ts.
 */
import type { FastifyInstance } from 'fastify';
import { expect, it } from 'vitest';
import { call, createShow, newCustomers, type Res } from '../support/api-client.js';
import { useHarness } from '../support/api-suite.js';
import type { Harness } from '../support/harness.js';
import { describeOnEachDatabase } from '../support/needs.js';
import { admit, hold } from './seat-helpers.js';

type SeatOut = { id: string; areaId: string; row: number | null; number: number | null; status: string; mine: boolean; accessible: boolean };

describeOnEachDatabase('standing areas, best available and accessible seats (%s)', (kind) => {
  let h: Harness;
  let app: FastifyInstance;
  let admin: string;
  useHarness({ db: kind, redis: kind === 'postgres' }, (s) => ({ h, app, admin } = s));

  const holdArea = (showId: string, areaId: string, quantity: unknown, token: string): Promise<Res> =>
    call(app, 'POST', `/api/shows/${showId}/areas/${areaId}/hold`, { token, body: { quantity } });
  const seatsOf = async (showId: string, token: string): Promise<SeatOut[]> => (await call(app, 'GET', `/api/shows/${showId}/seats`, { token })).body.seats;
  /** `n` fans admitted to the show's selling page. */
  async function admittedFans(showId: string, n: number) {
    const fans = await newCustomers(app, admin, n);
    for (const f of fans) await admit(app, showId, f.token);
    return fans;
  }
  const heldInDb = async (showId: string, areaId: string) =>
    (await h.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM show_seats WHERE show_id = $1 AND area_id = $2 AND status <> 'available'`, [showId, areaId])).rows[0]!.n;

  it('when a venue has a standing area and marked wheelchair seats, then the venue, the show and the seat map say so', async () => {
    const res = await call(app, 'POST', '/api/admin/venues', {
      token: admin,
      body: {
        name: 'Mixed Hall',
        city: 'Taipei',
        areas: [
          { name: 'Stalls', rows: 2, seatsPerRow: 3, accessibleSeats: [{ row: 2, number: 1 }, { row: 2, number: 3 }] },
          { name: 'Floor', kind: 'standing', capacity: 5 },
        ],
      },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.venue.areas).toEqual([
      expect.objectContaining({ name: 'Stalls', kind: 'seated', rows: 2, seatsPerRow: 3, capacity: 6, accessibleSeats: [{ row: 2, number: 1 }, { row: 2, number: 3 }] }),
      expect.objectContaining({ name: 'Floor', kind: 'standing', rows: null, seatsPerRow: null, capacity: 5, accessibleSeats: [] }),
    ]);
    const listed = (await call(app, 'GET', '/api/admin/venues', { token: admin })).body.venues.find((v: { id: string }) => v.id === res.body.venue.id);
    expect(listed.areas).toEqual(res.body.venue.areas);

    const show = await createShow(app, admin, { areas: [{ name: 'Stalls', rows: 2, seatsPerRow: 3, accessibleSeats: [{ row: 1, number: 2 }] }, { name: 'Floor', kind: 'standing', capacity: 5 }] });
    expect(show.areas.map((a) => [a.name, a.kind, a.seatCount])).toEqual([
      ['Stalls', 'seated', 6],
      ['Floor', 'standing', 5],
    ]);
    const [fan] = await admittedFans(show.id, 1);
    const seats = await seatsOf(show.id, fan!.token);
    const stalls = seats.filter((s) => s.areaId === show.areas[0]!.id);
    expect(stalls.filter((s) => s.accessible).map((s) => [s.row, s.number])).toEqual([[1, 2]]);
    const floor = seats.filter((s) => s.areaId === show.areas[1]!.id);
    expect(floor).toHaveLength(5);
    for (const s of floor) expect(s).toMatchObject({ row: null, number: null, accessible: false, status: 'available' });
  });

  it('when an accessible seat is outside the grid, or a standing area has no or too large a capacity, then the venue is a 400 and nothing is made', async () => {
    const before = (await h.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM venues`)).rows[0]!.n;
    for (const areas of [
      [{ name: 'A', rows: 2, seatsPerRow: 2, accessibleSeats: [{ row: 3, number: 1 }] }],
      [{ name: 'A', kind: 'standing' }],
      [{ name: 'A', kind: 'standing', capacity: 0 }],
      [{ name: 'A', kind: 'standing', capacity: 20_001 }],
      [{ name: 'A', kind: 'standing', capacity: 10, rows: 2 }],
    ]) {
      const r = await call(app, 'POST', '/api/admin/venues', { token: admin, body: { name: 'Bad', city: 'X', areas } });
      expect(r.status, JSON.stringify(areas)).toBe(400);
      expect(r.body.error.code).toBe('VALIDATION_FAILED');
    }
    expect((await h.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM venues`)).rows[0]!.n).toBe(before);
  });

  it('when many fans rush a standing area at once for 3 places each, then it is never oversold and every hold is all or none', async () => {
    const show = await createShow(app, admin, { areas: [{ name: 'Floor', kind: 'standing', capacity: 10 }], maxTicketsPerAccount: 20 });
    const areaId = show.areas[0]!.id;
    const fans = await admittedFans(show.id, 8);
    const results = await Promise.all(fans.map((f) => holdArea(show.id, areaId, 3, f.token)));
    const won = results.filter((r) => r.status === 200);
    for (const r of results.filter((x) => x.status !== 200)) expect(r.body.error.code).toBe('SEAT_UNAVAILABLE');
    expect(won.length).toBeGreaterThanOrEqual(1);
    expect(won.length).toBeLessThanOrEqual(3);
    for (const r of won) expect(r.body.seats).toHaveLength(3);
    const ids = won.flatMap((r) => r.body.seats.map((s: SeatOut) => s.id));
    expect(new Set(ids).size).toBe(ids.length);
    expect(await heldInDb(show.id, areaId)).toBe(3 * won.length);
    // What is left is exactly what a late fan can still get, and no more.
    const [late] = await admittedFans(show.id, 1);
    const left = 10 - 3 * won.length;
    const tooMany = await holdArea(show.id, areaId, left + 1, late!.token);
    expect(tooMany.body.error?.code).toBe('SEAT_UNAVAILABLE');
    expect((await holdArea(show.id, areaId, left, late!.token)).status).toBe(200);
    expect(await heldInDb(show.id, areaId)).toBe(10);
  }, 60_000);

  it('when standing places are held, then they show as the holder\'s on the map and the area\'s available count drops', async () => {
    const show = await createShow(app, admin, { areas: [{ name: 'Floor', kind: 'standing', capacity: 6 }] });
    const areaId = show.areas[0]!.id;
    const [fan] = await admittedFans(show.id, 1);
    const r = await holdArea(show.id, areaId, 2, fan!.token);
    expect(r.status).toBe(200);
    for (const s of r.body.seats) expect(s).toMatchObject({ areaId, row: null, number: null, status: 'selected', mine: true });
    expect((await seatsOf(show.id, fan!.token)).filter((s) => s.mine)).toHaveLength(2);
    expect((await call(app, 'GET', `/api/shows/${show.id}`)).body.show.areas[0]).toMatchObject({ seatCount: 6, availableCount: 4 });
  });

  it('when best available is asked for, then it gives adjacent seats of the lowest row, avoiding a single empty seat where another block does', async () => {
    const show = await createShow(app, admin, { areas: [{ name: 'Stalls', rows: 3, seatsPerRow: 6 }], maxTicketsPerAccount: 6 });
    const areaId = show.areas[0]!.id;
    const [blocker, a, b, c, d] = await admittedFans(show.id, 5);
    const grid = await seatsOf(show.id, blocker!.token);
    const at = (row: number, n: number) => grid.find((s) => s.row === row && s.number === n)!.id;
    const place = (r: Res) => r.body.seats.map((s: SeatOut) => [s.row, s.number]);

    // An empty area: the front row, from its first seat.
    const first = await holdArea(show.id, areaId, 2, a!.token);
    expect(first.status).toBe(200);
    expect(place(first)).toEqual([[1, 1], [1, 2]]);

    // Row 1: 1-2 taken; with seat 5 taken too, the pair 3-4 fills the gap between them exactly.
    expect((await hold(app, show.id, at(1, 5), blocker!.token)).status).toBe(200);
    expect(place(await holdArea(show.id, areaId, 2, b!.token))).toEqual([[1, 3], [1, 4]]);

    // Row 2: seat 4 taken. Free 1,2,3 | 5,6. A pair at 1-2 would strand seat 3 between the pair and
    // seat 4; 2-3 leaves seat 1 at the row's end, next to nobody: that is the pick.
    expect((await hold(app, show.id, at(2, 4), blocker!.token)).status).toBe(200);
    expect(place(await holdArea(show.id, areaId, 2, c!.token))).toEqual([[2, 2], [2, 3]]);

    // Row 1 has only seat 6 left; row 2: 1 | 5, 6. Three together only fit in row 3.
    expect(place(await holdArea(show.id, areaId, 3, d!.token))).toEqual([[3, 1], [3, 2], [3, 3]]);
  });

  it('when every block of the row would strand a single seat, then a block in a further row that strands none is preferred', async () => {
    const show = await createShow(app, admin, { areas: [{ name: 'Stalls', rows: 2, seatsPerRow: 5 }] });
    const areaId = show.areas[0]!.id;
    const [blocker, fan] = await admittedFans(show.id, 2);
    const grid = await seatsOf(show.id, blocker!.token);
    const at = (row: number, n: number) => grid.find((s) => s.row === row && s.number === n)!.id;
    // Row 1: 1 and 5 taken, free 2, 3, 4: any pair strands one seat between taken seats.
    for (const n of [1, 5]) expect((await hold(app, show.id, at(1, n), blocker!.token)).status).toBe(200);
    const r = await holdArea(show.id, areaId, 2, fan!.token);
    expect(r.body.seats.map((s: SeatOut) => [s.row, s.number])).toEqual([[2, 1], [2, 2]]);
  });

  it('when no row has that many adjacent free seats, or the limit would be passed, then nothing is held', async () => {
    const show = await createShow(app, admin, { areas: [{ name: 'Stalls', rows: 2, seatsPerRow: 3 }], maxTicketsPerAccount: 4 });
    const areaId = show.areas[0]!.id;
    const [fan] = await admittedFans(show.id, 1);
    const tooWide = await holdArea(show.id, areaId, 4, fan!.token);
    expect(tooWide.status).toBe(409);
    expect(tooWide.body.error.code).toBe('SEAT_UNAVAILABLE');
    expect((await holdArea(show.id, areaId, 3, fan!.token)).status).toBe(200);
    const over = await holdArea(show.id, areaId, 2, fan!.token);
    expect(over.status).toBe(409);
    expect(over.body.error.code).toBe('TICKET_LIMIT_REACHED');
    expect(await heldInDb(show.id, areaId)).toBe(3);
    for (const bad of [0, 21, 1.5, '2', null]) expect((await holdArea(show.id, areaId, bad, fan!.token)).status).toBe(400);
    expect(await heldInDb(show.id, areaId)).toBe(3);
  });

  it('when fans ask for best-available blocks at once, then no seat goes to two of them and every block is whole and adjacent', async () => {
    const show = await createShow(app, admin, { areas: [{ name: 'Stalls', rows: 3, seatsPerRow: 6 }] });
    const areaId = show.areas[0]!.id;
    const fans = await admittedFans(show.id, 8);
    const results = await Promise.all(fans.map((f) => holdArea(show.id, areaId, 3, f.token)));
    const won = results.filter((r) => r.status === 200);
    for (const r of results.filter((x) => x.status !== 200)) expect(r.body.error.code).toBe('SEAT_UNAVAILABLE');
    expect(won.length).toBeGreaterThanOrEqual(1);
    const ids = won.flatMap((r) => r.body.seats.map((s: SeatOut) => s.id));
    expect(new Set(ids).size).toBe(ids.length);
    for (const r of won) {
      const seats = r.body.seats as SeatOut[];
      expect(seats).toHaveLength(3);
      expect(new Set(seats.map((s) => s.row)).size).toBe(1);
      expect(seats.map((s) => s.number! - seats[0]!.number!)).toEqual([0, 1, 2]);
    }
    expect(await heldInDb(show.id, areaId)).toBe(ids.length);
  }, 60_000);

  it('when the caller is not admitted, or the area is not in the show, then the hold is refused', async () => {
    const show = await createShow(app, admin, { areas: [{ name: 'Floor', kind: 'standing', capacity: 3 }] });
    const [outsider] = await newCustomers(app, admin, 1);
    expect((await holdArea(show.id, show.areas[0]!.id, 1, outsider!.token)).body.error.code).toBe('NOT_ADMITTED');
    await admit(app, show.id, outsider!.token);
    const other = await createShow(app, admin);
    expect((await holdArea(show.id, other.areas[0]!.id, 1, outsider!.token)).status).toBe(404);
  });
});
