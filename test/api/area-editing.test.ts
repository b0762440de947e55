/**
 * Editing a venue's areas after it exists (docs/selling.md): a standing area's capacity, a seated
 * area's wheelchair places, an area's name.
 */
import type { FastifyInstance } from 'fastify';
import { expect, it } from 'vitest';
import type { TestHooks } from '../../src/server/platform/test-hooks.js';
import { call, createShow, newCustomers, type Res } from '../support/api-client.js';
import { useHarness } from '../support/api-suite.js';
import type { Harness } from '../support/harness.js';
import { describeOnEachDatabase } from '../support/needs.js';
import { admit, MISSING_ID } from './seat-helpers.js';

type VenueOut = { id: string; areas: { id: string; name: string; kind: string; capacity: number; accessibleSeats: { row: number; number: number }[] }[] };

describeOnEachDatabase('editing the areas of a venue (%s)', (kind) => {
  let h: Harness;
  let app: FastifyInstance;
  let admin: string;
  const hooks: TestHooks = {};
  useHarness({ db: kind, redis: kind === 'postgres', testHooks: hooks }, (s) => ({ h, app, admin } = s));

  const patchArea = (venueId: string, areaId: string, body: unknown, token = admin): Promise<Res> =>
    call(app, 'PATCH', `/api/admin/venues/${venueId}/areas/${areaId}`, { token, body });
  const venueOf = async (venueId: string): Promise<VenueOut> =>
    (await call(app, 'GET', '/api/admin/venues', { token: admin })).body.venues.find((v: VenueOut) => v.id === venueId);
  /** The area as GET /api/shows/:showId answers it (a cached page: poll it after a change, it trails by its refresh interval). */
  const areaOfShow = async (showId: string, areaId: string): Promise<{ seatCount: number; availableCount: number }> =>
    (await call(app, 'GET', `/api/shows/${showId}`)).body.show.areas.find((a: { id: string }) => a.id === areaId);
  const placesInDb = async (showId: string, areaId: string) =>
    (await h.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM show_seats WHERE show_id = $1 AND area_id = $2`, [showId, areaId])).rows[0]!.n;
  /** Another show of the same event at the show's venue, starting at `startsAt`, selling these of its areas (all by default). */
  async function anotherShow(show: { eventId: string; venue: { id: string }; areas: { id: string }[] }, startsAt: number, areaIds = show.areas.map((a) => a.id)): Promise<string> {
    const res = await call(app, 'POST', '/api/admin/shows', {
      token: admin,
      body: {
        eventId: show.eventId,
        venueId: show.venue.id,
        startsAt: new Date(startsAt).toISOString(),
        onSaleAt: new Date(Math.min(startsAt, Date.now()) - 3_600_000).toISOString(),
        prices: areaIds.map((areaId) => ({ areaId, price: 500 })),
      },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body.show.id;
  }
  /** Pauses the hook once it is reached, until `letGo` or half a second has passed; `entered`: it was reached. */
  function pauseOnce(name: 'areaGrow' | 'areaShrink'): { entered: Promise<void>; letGo: () => void } {
    let reached!: () => void;
    const entered = new Promise<void>((resolve) => (reached = resolve));
    let letGo!: () => void;
    const released = new Promise<void>((resolve) => (letGo = resolve));
    hooks[name] = async () => {
      hooks[name] = undefined;
      reached();
      await Promise.race([released, new Promise((r) => setTimeout(r, 500))]);
    };
    return { entered, letGo };
  }
  const standingShow = (capacity: number) =>
    createShow(app, admin, { venueName: `Floor Hall ${capacity}`, areas: [{ name: 'Floor', kind: 'standing', capacity }, { name: 'Stalls', rows: 2, seatsPerRow: 3 }] });

  it('when a standing area grows, then every show that has not started sells the new places at once, and an ended one does not', async () => {
    const show = await standingShow(5);
    const floor = show.areas[0]!.id;
    const ended = await anotherShow(show, Date.now() - 3_600_000);
    await expect.poll(() => areaOfShow(show.id, floor)).toMatchObject({ seatCount: 5, availableCount: 5 });

    const res = await patchArea(show.venue.id, floor, { capacity: 8 });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.venue.areas[0]).toMatchObject({ id: floor, kind: 'standing', capacity: 8 });
    expect((await venueOf(show.venue.id)).areas[0]!.capacity).toBe(8);
    await expect.poll(() => areaOfShow(show.id, floor)).toMatchObject({ seatCount: 8, availableCount: 8 });
    expect(await placesInDb(ended, floor)).toBe(5);

    const [fan] = await newCustomers(app, admin, 1);
    await admit(app, show.id, fan!.token);
    const held = await call(app, 'POST', `/api/shows/${show.id}/areas/${floor}/hold`, { token: fan!.token, body: { quantity: 4 } });
    expect(held.status, JSON.stringify(held.body)).toBe(200);
    await expect.poll(() => areaOfShow(show.id, floor)).toMatchObject({ seatCount: 8, availableCount: 4 });
  });

  it('when a standing area shrinks, then only places free in every show go, and too few free ones is a 409 that changes nothing', async () => {
    const show = await standingShow(6);
    const floor = show.areas[0]!.id;
    const later = await anotherShow(show, Date.now() + 40 * 86_400_000);
    const [fan, other] = await newCustomers(app, admin, 2);
    await admit(app, show.id, fan!.token);
    await admit(app, later, other!.token);
    // Two places held in the first show, one in an order (cancelled: its item stays) in the other.
    const held = await call(app, 'POST', `/api/shows/${show.id}/areas/${floor}/hold`, { token: fan!.token, body: { quantity: 2 } });
    expect(held.status, JSON.stringify(held.body)).toBe(200);
    const ordered = await call(app, 'POST', `/api/shows/${later}/areas/${floor}/hold`, { token: other!.token, body: { quantity: 1 } });
    const order = await call(app, 'POST', `/api/shows/${later}/checkout`, { token: other!.token, body: { seatIds: [ordered.body.seats[0].id] } });
    expect(order.status, JSON.stringify(order.body)).toBe(201);
    expect((await call(app, 'DELETE', `/api/orders/${order.body.order.id}`, { token: other!.token })).status).toBe(204);
    // The two shows may have picked the same place: what counts is the places busy in either.
    const kept = [...new Set<string>([...held.body.seats.map((s: { id: string }) => s.id), ordered.body.seats[0].id])];
    const numberOf = async () =>
      new Map((await h.db.query<{ id: string; n: number }>(`SELECT id, seat_number AS n FROM seats WHERE area_id = $1`, [floor])).rows.map((r) => [r.id, r.n]));
    const numbers = await numberOf();
    const busy = kept.map((id) => numbers.get(id)!);
    const free = [...numbers.values()].filter((n) => !busy.includes(n)).sort((a, b) => a - b);

    const tooFar = await patchArea(show.venue.id, floor, { capacity: kept.length - 1 });
    expect(tooFar.status, JSON.stringify(tooFar.body)).toBe(409);
    expect(tooFar.body.error).toMatchObject({ code: 'SEAT_UNAVAILABLE', details: { removable: free.length } });
    expect((await venueOf(show.venue.id)).areas[0]!.capacity).toBe(6);
    expect(await placesInDb(show.id, floor)).toBe(6);
    expect(await placesInDb(later, floor)).toBe(6);

    const target = kept.length + 1;
    const res = await patchArea(show.venue.id, floor, { capacity: target });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.venue.areas[0].capacity).toBe(target);
    await expect.poll(() => areaOfShow(show.id, floor)).toMatchObject({ seatCount: target, availableCount: target - 2 });
    await expect.poll(() => areaOfShow(later, floor)).toMatchObject({ seatCount: target, availableCount: target });
    const { rows } = await h.db.query<{ status: string }>(`SELECT status FROM show_seats WHERE show_id = $1 AND seat_id = ANY($2::uuid[])`, [show.id, kept]);
    expect(rows).toHaveLength(kept.length);
    expect(rows.filter((r) => r.status === 'selected')).toHaveLength(2);
    // The highest-numbered free places went; the busy ones and the lowest free one stay.
    expect([...(await numberOf()).values()].sort((a, b) => a - b)).toEqual([...busy, free[0]!].sort((a, b) => a - b));
  });

  it('when the console marks accessible seats, then they replace the marked ones in every show of the venue at once', async () => {
    const show = await createShow(app, admin, { venueName: 'Marked Hall', areas: [{ name: 'Stalls', rows: 2, seatsPerRow: 3, accessibleSeats: [{ row: 1, number: 1 }] }] });
    const stalls = show.areas[0]!.id;
    const later = await anotherShow(show, Date.now() + 40 * 86_400_000);
    const res = await patchArea(show.venue.id, stalls, { accessibleSeats: [{ row: 2, number: 3 }, { row: 2, number: 1 }, { row: 2, number: 3 }] });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.venue.areas[0]).toMatchObject({ accessibleSeats: [{ row: 2, number: 1 }, { row: 2, number: 3 }], capacity: 6 });
    const [fan] = await newCustomers(app, admin, 1);
    for (const showId of [show.id, later]) {
      await admit(app, showId, fan!.token);
      const seats = (await call(app, 'GET', `/api/shows/${showId}/seats`, { token: fan!.token })).body.seats as { row: number; number: number; accessible: boolean }[];
      expect(seats.filter((s) => s.accessible).map((s) => [s.row, s.number])).toEqual([[2, 1], [2, 3]]);
    }
    const cleared = await patchArea(show.venue.id, stalls, { accessibleSeats: [] });
    expect(cleared.body.venue.areas[0].accessibleSeats).toEqual([]);
  });

  it('when an edit does not fit the area, then it is a 400 and nothing changes', async () => {
    const show = await createShow(app, admin, {
      venueName: 'Strict Hall',
      areas: [{ name: 'Stalls', rows: 2, seatsPerRow: 3, accessibleSeats: [{ row: 1, number: 2 }] }, { name: 'Floor', kind: 'standing', capacity: 4 }],
    });
    const [stalls, floor] = show.areas.map((a) => a.id) as [string, string];
    const before = await venueOf(show.venue.id);
    for (const [areaId, body] of [
      [stalls, { accessibleSeats: [{ row: 3, number: 1 }] }],
      [stalls, { accessibleSeats: [{ row: 1, number: 4 }], name: 'Renamed' }],
      [stalls, { capacity: 10 }],
      [floor, { accessibleSeats: [{ row: 1, number: 1 }] }],
      [floor, { capacity: 0 }],
      [floor, { capacity: 20_001 }],
      [floor, { capacity: 2.5 }],
      [floor, { name: '' }],
      [floor, { rows: 3 }],
    ] as const) {
      const res = await patchArea(show.venue.id, areaId, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.code).toBe('VALIDATION_FAILED');
    }
    expect(await venueOf(show.venue.id)).toEqual(before);
    expect(await placesInDb(show.id, floor)).toBe(4);
  });

  it('when an area is renamed to a name of its venue, then it is a 409; otherwise the venue answers the new name', async () => {
    const show = await standingShow(3);
    const [floor] = show.areas.map((a) => a.id) as [string];
    expect((await patchArea(show.venue.id, floor, { name: 'Stalls' })).body.error.code).toBe('CONFLICT');
    const res = await patchArea(show.venue.id, floor, { name: 'Pit' });
    expect(res.status).toBe(200);
    expect(res.body.venue.areas.map((a: { name: string }) => a.name)).toEqual(['Pit', 'Stalls']);
    await expect.poll(async () => (await call(app, 'GET', `/api/shows/${show.id}`)).body.show.areas.map((a: { name: string }) => a.name)).toEqual(['Pit', 'Stalls']);
  });

  it('when the venue or the area is unknown, or the area is another venue\'s, then it is a 404; a customer gets a 403', async () => {
    const one = await standingShow(2);
    const two = await createShow(app, admin, { venueName: 'Other Hall' });
    for (const [venueId, areaId] of [
      [MISSING_ID, one.areas[0]!.id],
      [one.venue.id, MISSING_ID],
      [one.venue.id, two.areas[0]!.id],
    ]) {
      const res = await patchArea(venueId!, areaId!, { name: 'Nope' });
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe('NOT_FOUND');
    }
    const [fan] = await newCustomers(app, admin, 1);
    const res = await patchArea(one.venue.id, one.areas[0]!.id, { capacity: 1 }, fan!.token);
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('FORBIDDEN');
    expect((await venueOf(one.venue.id)).areas[0]!.capacity).toBe(2);
  });

  it.each(['a new show', 'a show that adds the area'])(
    'when %s puts a standing area on sale while the area grows, then it sells every place of the grown area, and neither change fails',
    async (what) => {
      const show = await standingShow(5);
      const [floor, stalls] = [show.areas[0]!.id, show.areas[1]!.id];
      // The second show: created during the growth, or created now with the stalls only and given the floor during it.
      const startsAt = Date.now() + 86_400_000;
      const later = what === 'a new show' ? undefined : await anotherShow(show, startsAt, [stalls]);
      // The growth's window: the other change commits (or, where it must wait for the growth, half a
      // second passes) before the new places do.
      const { entered, letGo } = pauseOnce('areaGrow');
      const growing = patchArea(show.venue.id, floor, { capacity: 8 });
      await entered;
      const prices = [floor, stalls].map((areaId) => ({ areaId, price: 500 }));
      const other = (
        later
          ? call(app, 'PATCH', `/api/admin/shows/${later}`, { token: admin, body: { prices } }).then((r) => {
              expect(r.status, JSON.stringify(r.body)).toBe(200);
              return later;
            })
          : anotherShow(show, startsAt)
      ).finally(letGo);
      // What orders the two: the growth holds the area's row for update, and the show's new price
      // row checks its foreign key to it (KEY SHARE), so each sees the other's committed work.
      const [grew, otherId] = await Promise.all([growing, other]);
      expect(grew.status, JSON.stringify(grew.body)).toBe(200);
      expect(await placesInDb(otherId, floor)).toBe(8);
      expect(await placesInDb(show.id, floor)).toBe(8);
    },
  );

  it('when a hold comes while a shrink has chosen its places, then the hold waits or is refused, and no held place is ever deleted', async () => {
    const [fan] = await newCustomers(app, admin, 1);
    const show = await createShow(app, admin, { venueName: 'Race Hall', areas: [{ name: 'Floor', kind: 'standing', capacity: 8 }] });
    const floor = show.areas[0]!.id;
    await admit(app, show.id, fan!.token);
    // Shrinking to 3 leaves too few to hold 4; holding 4 first would leave too few to shrink to 3.
    // The window a check-then-act shrink leaves open: the hold gets its answer (or, where it must
    // wait for the shrink, half a second passes) before the chosen places are deleted.
    const { entered, letGo } = pauseOnce('areaShrink');
    const shrinking = patchArea(show.venue.id, floor, { capacity: 3 });
    await entered;
    const holding = call(app, 'POST', `/api/shows/${show.id}/areas/${floor}/hold`, { token: fan!.token, body: { quantity: 4 } }).finally(letGo);
    const [shrunk, held] = await Promise.all([shrinking, holding]);

    expect([shrunk.status, held.status, held.body.error?.code], JSON.stringify([shrunk.body, held.body])).toEqual([200, 409, 'SEAT_UNAVAILABLE']);
    expect((await venueOf(show.venue.id)).areas[0]!.capacity).toBe(3);
    const { rows } = await h.db.query<{ status: string }>(`SELECT status FROM show_seats WHERE show_id = $1 AND area_id = $2`, [show.id, floor]);
    expect(rows.map((r) => r.status)).toEqual(['available', 'available', 'available']);
  });
});
