import { describe, expect, it } from 'vitest';
import { call, createShow, newAdmin, newCustomers } from '../support/api-client.js';
import { useHarness, type ApiSuite } from '../support/api-suite.js';
import type { TestHooks } from '../../src/server/platform/test-hooks.js';
import type { QueueStatusEvent } from '../../src/shared/realtime.js';
import { startHarness, type Harness } from '../support/harness.js';
import { connect, emitAck, nextEvent, sleep } from '../support/sockets.js';
import { hold, seatIdsOf } from './seat-helpers.js';
import { describeOnEachStore } from '../support/needs.js';

/** Presence and live updates over real sockets, on a server running its jobs with a 3 s grace. */
describeOnEachStore('waiting room over realtime (%s store)', (storeKind) => {
  let h: Harness;
  let url: string;
  let admin: string;
  let open: ApiSuite['open'];
  /** Set by a test to widen a race window; the server reads it on every call. */
  const hooks: TestHooks = {};

  useHarness({ redis: storeKind === 'redis', jobs: true, env: { QUEUE_GRACE_SECONDS: '3', ADMITTED_GRACE_SECONDS: '3' }, testHooks: hooks, listen: true }, (s) => ({ h, url, admin, open } = s));

  const state = async (showId: string, token: string) => (await call(h.ticketClub.app, 'GET', `/api/shows/${showId}/queue`, { token })).body;

  it('when a watched tab closes, then its place is freed after the grace and the next is admitted live', async () => {
    const show = await createShow(h.ticketClub.app, admin, { pageCapacity: 1 });
    const [a, b] = await newCustomers(h.ticketClub.app, admin, 2);
    await call(h.ticketClub.app, 'POST', `/api/shows/${show.id}/queue`, { token: a!.token });
    await call(h.ticketClub.app, 'POST', `/api/shows/${show.id}/queue`, { token: b!.token });
    const sa = await open(a!.token);
    const sb = await open(b!.token);
    const firstStatus = nextEvent(sb, 'queue:status', (e) => e.showId === show.id);
    expect(await emitAck(sa, 'queue:watch', show.id)).toEqual({ ok: true });
    expect(await emitAck(sb, 'queue:watch', show.id)).toEqual({ ok: true });
    expect(await firstStatus).toMatchObject({ state: 'waiting', position: 1 });

    const admitted = nextEvent(sb, 'queue:admitted', (e) => e.showId === show.id, 8_000);
    sa.disconnect();
    await sleep(1_000);
    // Still inside the grace: A keeps the page.
    expect((await state(show.id, a!.token)).state).toBe('admitted');
    expect(await admitted).toMatchObject({ showId: show.id });
    expect((await state(show.id, a!.token)).state).toBe('none');
    expect((await state(show.id, b!.token)).state).toBe('admitted');
  });

  /** Polls until `cond` holds or `ms` pass; returns whether it held. */
  const eventually = async (cond: () => Promise<boolean>, ms: number) => {
    const end = Date.now() + ms;
    while (Date.now() < end) {
      if (await cond()) return true;
      await sleep(100);
    }
    return cond();
  };

  it('when the line moves at the front, in the middle and at the back, then every waiting tab hears its true place within about a second, and no waiter who stayed in line is read again', async () => {
    const show = await createShow(h.ticketClub.app, admin, { pageCapacity: 2 });
    const fans = await newCustomers(h.ticketClub.app, admin, 12);
    for (const f of fans) await call(h.ticketClub.app, 'POST', `/api/shows/${show.id}/queue`, { token: f.token });
    const last = new Map<string, QueueStatusEvent>();
    const placeOf = (e: QueueStatusEvent | undefined) => (e?.state === 'waiting' ? e.position : undefined);
    for (const f of fans) {
      const s = await open(f.token);
      s.on('queue:status', (e) => {
        if (e.showId === show.id) last.set(f.id, e);
      });
      expect(await emitAck(s, 'queue:watch', show.id)).toEqual({ ok: true });
    }
    await sleep(1_200); // every watch followed by a tick

    // The front (an admitted fan: two waiters move up and one is admitted), the middle, the back; one rejoins.
    for (const i of [0, 6, 11]) await call(h.ticketClub.app, 'DELETE', `/api/shows/${show.id}/queue`, { token: fans[i]!.token });
    await call(h.ticketClub.app, 'POST', `/api/shows/${show.id}/queue`, { token: fans[6]!.token });
    // From here on, count the waiting places the server reads from the store while its ticks run.
    const places = h.store.places.bind(h.store);
    let waitingReads = 0;
    h.store.places = async (...args) => {
      const out = await places(...args);
      waitingReads += out.filter((p) => p.state === 'waiting').length;
      return out;
    };
    try {
      await sleep(2_500);
    } finally {
      h.store.places = places;
    }
    // Only the fan who rejoined is read as a waiter again (its ticket left the line); the others follow the line's log.
    expect(waitingReads).toBeLessThanOrEqual(1);
    const truth = await Promise.all(fans.map((f) => state(show.id, f.token)));
    expect(truth.filter((t) => t.state === 'waiting').length).toBe(8);
    fans.forEach((f, i) => {
      if (truth[i].state === 'waiting') expect([f.id, placeOf(last.get(f.id))]).toEqual([f.id, truth[i].position]);
      else expect(placeOf(last.get(f.id))).toBeUndefined();
    });
  });

  it('when nothing about a waiter changes, then it is not told again; when the seats left change, then the front hears it within a second', async () => {
    const show = await createShow(h.ticketClub.app, admin, { pageCapacity: 1, areas: [{ name: 'A', rows: 1, seatsPerRow: 3 }] });
    const [buyer, waiter] = await newCustomers(h.ticketClub.app, admin, 2);
    for (const f of [buyer, waiter]) await call(h.ticketClub.app, 'POST', `/api/shows/${show.id}/queue`, { token: f!.token });
    const sBuyer = await open(buyer!.token);
    expect(await emitAck(sBuyer, 'queue:watch', show.id)).toEqual({ ok: true });
    const heard: QueueStatusEvent[] = [];
    const s = await open(waiter!.token);
    s.on('queue:status', (e) => {
      if (e.showId === show.id) heard.push(e);
    });
    expect(await emitAck(s, 'queue:watch', show.id)).toEqual({ ok: true });
    // Three ticks of a still line (the front's place is looked at every second): only the watch's answer.
    await sleep(3_500);
    expect(heard).toEqual([expect.objectContaining({ state: 'waiting', position: 1, seatsLeft: 3 })]);

    const [seat] = await seatIdsOf(h.db, show.id);
    expect((await hold(h.ticketClub.app, show.id, seat!, buyer!.token)).status).toBe(200);
    const heldAt = Date.now();
    const seatsLeft = (e: QueueStatusEvent | undefined) => (e?.state === 'waiting' ? e.seatsLeft : undefined);
    expect(await eventually(async () => seatsLeft(heard.at(-1)) === 2, 3_000)).toBe(true);
    // The next tick counts the stock again (the hold was heard), whatever the count's cache says: within a second and a little.
    expect(Date.now() - heldAt).toBeLessThan(1_300);
    expect(heard).toHaveLength(2);
  });

  it('when an admitted fan and one with no place watch and nothing changes, then each hears its status once; when the one with no place joins, then it hears its place at once, and once', async () => {
    const show = await createShow(h.ticketClub.app, admin, { pageCapacity: 1 });
    const [admitted, outside, waiter] = await newCustomers(h.ticketClub.app, admin, 3);
    await call(h.ticketClub.app, 'POST', `/api/shows/${show.id}/queue`, { token: admitted!.token });
    const heard = new Map<string, QueueStatusEvent[]>();
    for (const f of [admitted!, outside!]) {
      const s = await open(f.token);
      heard.set(f.id, []);
      s.on('queue:status', (e) => {
        if (e.showId === show.id) heard.get(f.id)!.push(e);
      });
      expect(await emitAck(s, 'queue:watch', show.id)).toEqual({ ok: true });
    }
    // Both are read again every second (a join elsewhere must be found); nothing they would hear changed.
    await sleep(3_500);
    expect(heard.get(admitted!.id)).toEqual([expect.objectContaining({ state: 'admitted' })]);
    expect(heard.get(outside!.id)).toEqual([expect.objectContaining({ state: 'none' })]);

    // The waiter ahead is watched too: unwatched, it would lose its place after the 3 s grace and move the line.
    expect(await emitAck(await open(waiter!.token), 'queue:watch', show.id)).toEqual({ ok: true });
    // A join that this socket did not see (made over HTTP, as through another instance) is found and told.
    await call(h.ticketClub.app, 'POST', `/api/shows/${show.id}/queue`, { token: waiter!.token });
    await call(h.ticketClub.app, 'POST', `/api/shows/${show.id}/queue`, { token: outside!.token });
    const joinedAt = Date.now();
    const place = (e: QueueStatusEvent | undefined) => (e?.state === 'waiting' ? e.position : undefined);
    expect(await eventually(async () => place(heard.get(outside!.id)!.at(-1)) === 2, 2_500)).toBe(true);
    // The join itself tells its watchers, not their next read (up to a second or two later).
    expect(Date.now() - joinedAt).toBeLessThan(300);
    // And the watcher is followed from the join's place: the ticks after it tell nothing new.
    await sleep(2_200);
    expect(heard.get(outside!.id), JSON.stringify(heard.get(outside!.id))).toHaveLength(2);
  });

  it.each(['admitted', 'waiting'] as const)(
    'when a tab closes while its watch is still being handled, then the %s account is removed after the grace',
    async (kind) => {
      const show = await createShow(h.ticketClub.app, admin, { pageCapacity: 1 });
      const [first, second] = await newCustomers(h.ticketClub.app, admin, 2);
      await call(h.ticketClub.app, 'POST', `/api/shows/${show.id}/queue`, { token: first!.token });
      await call(h.ticketClub.app, 'POST', `/api/shows/${show.id}/queue`, { token: second!.token });
      const gone = kind === 'admitted' ? first! : second!;
      const other = kind === 'admitted' ? second! : first!;
      const sOther = await open(other.token);
      await emitAck(sOther, 'queue:watch', show.id);

      // The watch stops inside its handling until the tab has closed and the server has seen it.
      let letGo!: () => void;
      const held = new Promise<void>((resolve) => (letGo = resolve));
      const entered = new Promise<void>((resolve) => {
        hooks.queueWatch = () => {
          resolve();
          return held;
        };
      });
      const tab = await open(gone.token);
      const serverId = tab.id!;
      tab.emit('queue:watch', { showId: show.id }, () => undefined);
      await entered;
      hooks.queueWatch = undefined;
      tab.disconnect();
      expect(await eventually(async () => !h.ticketClub.io.of('/').sockets.has(serverId), 2_000)).toBe(true);
      letGo();

      // Grace 3 s, heartbeat every second, sweep every second: gone well within 6 s, for good.
      expect(await eventually(async () => (await state(show.id, gone.token)).state === 'none', 6_000)).toBe(true);
      if (kind === 'admitted') expect((await state(show.id, other.token)).state).toBe('admitted');
    },
    15_000,
  );

  it('when a tab reconnects within the grace, then it keeps its place', async () => {
    const show = await createShow(h.ticketClub.app, admin, { pageCapacity: 1 });
    const [a, b] = await newCustomers(h.ticketClub.app, admin, 2);
    await call(h.ticketClub.app, 'POST', `/api/shows/${show.id}/queue`, { token: a!.token });
    await call(h.ticketClub.app, 'POST', `/api/shows/${show.id}/queue`, { token: b!.token });
    const sb = await open(b!.token);
    await emitAck(sb, 'queue:watch', show.id);
    let tab = await open(a!.token);
    await emitAck(tab, 'queue:watch', show.id);
    for (let i = 0; i < 3; i++) {
      tab.disconnect();
      await sleep(1_000);
      tab = await open(a!.token);
      expect(await emitAck(tab, 'queue:watch', show.id)).toEqual({ ok: true });
      await sleep(500);
    }
    // 4.5 s later, well past one grace, A still holds the page and B still waits first in line.
    expect((await state(show.id, a!.token)).state).toBe('admitted');
    expect(await state(show.id, b!.token)).toMatchObject({ state: 'waiting', position: 1 });
  });

  it('when a waiter never connects, then it is removed after the grace', async () => {
    const show = await createShow(h.ticketClub.app, admin, { pageCapacity: 1 });
    const [a, b] = await newCustomers(h.ticketClub.app, admin, 2);
    await call(h.ticketClub.app, 'POST', `/api/shows/${show.id}/queue`, { token: a!.token });
    const sa = await open(a!.token);
    await emitAck(sa, 'queue:watch', show.id);
    await call(h.ticketClub.app, 'POST', `/api/shows/${show.id}/queue`, { token: b!.token });
    await sleep(5_000);
    expect((await state(show.id, b!.token)).state).toBe('none');
    expect((await state(show.id, a!.token)).state).toBe('admitted');
  });

  it('rejects a socket without a valid token, and a watch of a malformed or unknown show', async () => {
    await expect(connect(url, 'forged-token-forged-token-forged')).rejects.toThrow();
    const [a] = await newCustomers(h.ticketClub.app, admin, 1);
    const s = await open(a!.token);
    expect(await emitAck(s, 'queue:watch', 'nope')).toMatchObject({ error: { code: 'VALIDATION_FAILED' } });
    expect(await emitAck(s, 'queue:watch', '00000000-0000-4000-8000-000000000000')).toMatchObject({ error: { code: 'NOT_FOUND' } });
  });
});

describe('connection limit', () => {
  it('when the process is at MAX_CONNECTIONS, then extra connections are refused and the server keeps serving', async () => {
    const h = await startHarness({ env: { MAX_CONNECTIONS: '3' } });
    try {
      const url = await h.listen();
      const admin = await newAdmin(h.ticketClub, h.ticketClub.app);
      const fans = await newCustomers(h.ticketClub.app, admin, 4);
      const open = await Promise.all(fans.slice(0, 3).map((f) => connect(url, f.token)));
      await expect(connect(url, fans[3]!.token)).rejects.toThrow();
      // Still serving the connections it has, and new ones once one closes.
      expect(await emitAck(open[0]!, 'queue:watch', '00000000-0000-4000-8000-000000000000')).toMatchObject({ error: { code: 'NOT_FOUND' } });
      open[2]!.disconnect();
      await sleep(200);
      const again = await connect(url, fans[3]!.token);
      expect(again.connected).toBe(true);
      for (const s of [...open, again]) s.disconnect();
    } finally {
      await h.close();
    }
  });
});
