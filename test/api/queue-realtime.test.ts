import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createShow, newAdmin, newCustomers } from '../support/api-client.js';
import { startHarness, type Harness } from '../support/harness.js';
import { connect, emitAck, nextEvent, sleep, type ClientSocket } from '../support/sockets.js';
import { describeOnEachStore } from '../support/needs.js';

/** Presence and live updates over real sockets, on a server running its jobs with a 3 s grace. */
describeOnEachStore('waiting room over realtime (%s store)', (storeKind) => {
  let h: Harness;
  let url: string;
  let admin: string;
  const sockets: ClientSocket[] = [];

  beforeAll(async () => {
    h = await startHarness({ redis: storeKind === 'redis', jobs: true, env: { QUEUE_GRACE_SECONDS: '3' } });
    url = await h.listen();
    admin = await newAdmin(h.tc, h.tc.app);
  });
  afterAll(async () => {
    for (const s of sockets) s.disconnect();
    await h.close();
  });

  const open = async (token: string) => {
    const s = await connect(url, token);
    sockets.push(s);
    return s;
  };
  const state = async (showId: string, token: string) => (await call(h.tc.app, 'GET', `/api/shows/${showId}/queue`, { token })).body;

  it('when a watched tab closes, then its place is freed after the grace and the next is admitted live', async () => {
    const show = await createShow(h.tc.app, admin, { pageCapacity: 1 });
    const [a, b] = await newCustomers(h.tc.app, admin, 2);
    await call(h.tc.app, 'POST', `/api/shows/${show.id}/queue`, { token: a!.token });
    await call(h.tc.app, 'POST', `/api/shows/${show.id}/queue`, { token: b!.token });
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

  it('when a tab reconnects within the grace, then it keeps its place', async () => {
    const show = await createShow(h.tc.app, admin, { pageCapacity: 1 });
    const [a, b] = await newCustomers(h.tc.app, admin, 2);
    await call(h.tc.app, 'POST', `/api/shows/${show.id}/queue`, { token: a!.token });
    await call(h.tc.app, 'POST', `/api/shows/${show.id}/queue`, { token: b!.token });
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
    const show = await createShow(h.tc.app, admin, { pageCapacity: 1 });
    const [a, b] = await newCustomers(h.tc.app, admin, 2);
    await call(h.tc.app, 'POST', `/api/shows/${show.id}/queue`, { token: a!.token });
    const sa = await open(a!.token);
    await emitAck(sa, 'queue:watch', show.id);
    await call(h.tc.app, 'POST', `/api/shows/${show.id}/queue`, { token: b!.token });
    await sleep(5_000);
    expect((await state(show.id, b!.token)).state).toBe('none');
    expect((await state(show.id, a!.token)).state).toBe('admitted');
  });

  it('rejects a socket without a valid token, and a watch of a malformed or unknown show', async () => {
    await expect(connect(url, 'forged-token-forged-token-forged')).rejects.toThrow();
    const [a] = await newCustomers(h.tc.app, admin, 1);
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
      const admin = await newAdmin(h.tc, h.tc.app);
      const fans = await newCustomers(h.tc.app, admin, 4);
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
