import { expect, it } from 'vitest';
import type { ShowDetail } from '../../src/shared/api.js';
import { ManualClock } from '../../src/server/platform/clock.js';
import { call, createShow, newCustomers } from '../support/api-client.js';
import { useHarness } from '../support/api-suite.js';
import type { Harness } from '../support/harness.js';
import { describeOnEachStore } from '../support/needs.js';

/**
 * The seed's worked example (docs/api.md "Waiting room"), C = 3, W = 600 s, through the public API,
 * with every ETA checked to the second. Users 1-3 are admitted one second apart, 4-6 wait.
 */
describeOnEachStore('waiting room scenarios (%s store)', (storeKind) => {
  let h: Harness;
  const clock = new ManualClock(Date.parse('2030-03-01T10:00:00.000Z'));
  let admin: string;
  useHarness({ clock, redis: storeKind === 'redis' }, (s) => ({ h, admin } = s));

  /** Six fans; 1-3 admitted at T, T+1 s, T+2 s; 4-6 join at T+10 s. Returns their tokens. */
  async function setUp(): Promise<{ show: ShowDetail; users: string[]; ids: string[]; T: number }> {
    const show = await createShow(h.ticketClub.app, admin, { pageCapacity: 3, purchaseWindowSeconds: 600, now: clock.now() });
    const fans = await newCustomers(h.ticketClub.app, admin, 6);
    const users = fans.map((u) => u.token);
    const ids = fans.map((u) => u.id);
    const T = clock.now();
    for (const [i, token] of users.slice(0, 3).entries()) {
      const r = await call(h.ticketClub.app, 'POST', `/api/shows/${show.id}/queue`, { token });
      expect(r.status).toBe(200);
      expect(r.body).toEqual({ state: 'admitted', admittedAt: new Date(T + i * 1000).toISOString(), expiresAt: new Date(T + i * 1000 + 600_000).toISOString() });
      clock.advance(1000);
    }
    clock.set(T + 10_000);
    for (const token of users.slice(3)) {
      const r = await call(h.ticketClub.app, 'POST', `/api/shows/${show.id}/queue`, { token });
      expect(r.body.state).toBe('waiting');
    }
    return { show, users, ids, T };
  }

  const place = async (showId: string, token: string) => (await call(h.ticketClub.app, 'GET', `/api/shows/${showId}/queue`, { token })).body;

  it('when 1-3 are admitted and 4-6 wait, then 4, 5, 6 are at positions 1-3 waiting for the windows of 1, 2, 3', async () => {
    const { show, users } = await setUp();
    // now = T+10: user 4 waits for user 1 (admitted at T): 600 - 10 + 10 buffer.
    expect(await place(show.id, users[3]!)).toMatchObject({ state: 'waiting', position: 1, etaSeconds: 600 });
    expect(await place(show.id, users[4]!)).toMatchObject({ state: 'waiting', position: 2, etaSeconds: 601 });
    expect(await place(show.id, users[5]!)).toMatchObject({ state: 'waiting', position: 3, etaSeconds: 602 });
    // The same account joining again (second tab, retry) keeps its place.
    const again = await call(h.ticketClub.app, 'POST', `/api/shows/${show.id}/queue`, { token: users[4]! });
    expect(again.body).toMatchObject({ state: 'waiting', position: 2, etaSeconds: 601 });
  });

  it('scenario 1: when user 1 finishes, then user 4 is admitted and 5, 6 wait for users 2, 3', async () => {
    const { show, users, ids, T } = await setUp();
    clock.set(T + 20_000);
    // A completed purchase ends the admission with reason "purchased" (the orders tests cover the pay path).
    await h.ticketClub.services.queue.endAdmission(show.id, ids[0]!, 'purchased');
    expect(await place(show.id, users[0]!)).toMatchObject({ state: 'none' });
    expect(await place(show.id, users[3]!)).toEqual({
      state: 'admitted',
      admittedAt: new Date(T + 20_000).toISOString(),
      expiresAt: new Date(T + 620_000).toISOString(),
    });
    // now = T+20: user 5 waits for user 2 (T+1): 601 - 20 + 10; user 6 for user 3 (T+2).
    expect(await place(show.id, users[4]!)).toMatchObject({ position: 1, etaSeconds: 591 });
    expect(await place(show.id, users[5]!)).toMatchObject({ position: 2, etaSeconds: 592 });
  });

  it('scenario 2: when user 4 leaves the line, then 5 and 6 move up and wait for users 1 and 2', async () => {
    const { show, users, T } = await setUp();
    clock.set(T + 30_000);
    expect((await call(h.ticketClub.app, 'DELETE', `/api/shows/${show.id}/queue`, { token: users[3]! })).status).toBe(204);
    expect(await place(show.id, users[3]!)).toMatchObject({ state: 'none' });
    expect(await place(show.id, users[4]!)).toMatchObject({ position: 1, etaSeconds: 600 - 30 + 10 });
    expect(await place(show.id, users[5]!)).toMatchObject({ position: 2, etaSeconds: 601 - 30 + 10 });
    // Nobody was admitted: the page is still full with 1-3.
    expect((await place(show.id, users[0]!)).state).toBe('admitted');
  });

  it('scenario 3: when user 2 leaves the page, then user 4 is admitted, 5 waits for user 1 and 6 for user 3', async () => {
    const { show, users, T } = await setUp();
    clock.set(T + 40_000);
    expect((await call(h.ticketClub.app, 'DELETE', `/api/shows/${show.id}/queue`, { token: users[1]! })).status).toBe(204);
    expect((await place(show.id, users[3]!)).state).toBe('admitted');
    // Admitted now, in order: 1 (T), 3 (T+2), 4 (T+40).
    expect(await place(show.id, users[4]!)).toMatchObject({ position: 1, etaSeconds: 600 - 40 + 10 });
    expect(await place(show.id, users[5]!)).toMatchObject({ position: 2, etaSeconds: 602 - 40 + 10 });
  });

  it('when an admission window runs out, then the sweep ends it and admits the next in line', async () => {
    const { show, users, ids, T } = await setUp();
    clock.set(T + 600_000); // user 1's window ends exactly now
    await h.ticketClub.services.queue.touch(show.id, ids); // everyone is still connected
    await h.ticketClub.services.queue.sweep(show.id);
    expect(await place(show.id, users[0]!)).toMatchObject({ state: 'none' });
    expect((await place(show.id, users[1]!)).state).toBe('admitted');
    expect((await place(show.id, users[3]!)).state).toBe('admitted');
    expect(await place(show.id, users[4]!)).toMatchObject({ position: 1 });
  });

  it('when an account is not admitted, then seat calls answer 403 NOT_ADMITTED', async () => {
    const { show, users } = await setUp();
    const r = await call(h.ticketClub.app, 'GET', `/api/shows/${show.id}/seats`, { token: users[3]! });
    expect(r.status).toBe(403);
    expect(r.body.error.code).toBe('NOT_ADMITTED');
  });

  it('refuses to join before the sale, after the show, and for unknown shows', async () => {
    const now = clock.now();
    const later = await createShow(h.ticketClub.app, admin, { now, onSaleAt: new Date(now + 3_600_000).toISOString() });
    const [fan] = await newCustomers(h.ticketClub.app, admin, 1);
    const r1 = await call(h.ticketClub.app, 'POST', `/api/shows/${later.id}/queue`, { token: fan!.token });
    expect([r1.status, r1.body.error.code]).toEqual([409, 'NOT_ON_SALE']);
    const past = await createShow(h.ticketClub.app, admin, {
      now,
      onSaleAt: new Date(now - 7_200_000).toISOString(),
      startsAt: new Date(now - 3_600_000).toISOString(),
    });
    const r2 = await call(h.ticketClub.app, 'POST', `/api/shows/${past.id}/queue`, { token: fan!.token });
    expect([r2.status, r2.body.error.code]).toEqual([409, 'SALE_ENDED']);
    const r3 = await call(h.ticketClub.app, 'POST', `/api/shows/00000000-0000-4000-8000-000000000000/queue`, { token: fan!.token });
    expect(r3.status).toBe(404);
    const r4 = await call(h.ticketClub.app, 'POST', `/api/shows/not-an-id/queue`, { token: fan!.token });
    expect(r4.status).toBe(400);
    const r5 = await call(h.ticketClub.app, 'POST', `/api/shows/${later.id}/queue`);
    expect(r5.status).toBe(401);
  });

  it('reports the line in the admin stats', async () => {
    const { show } = await setUp();
    const r = await call(h.ticketClub.app, 'GET', `/api/admin/shows/${show.id}/stats`, { token: admin });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ waiting: 3, admitted: 3, pageCapacity: 3 });
  });
});
