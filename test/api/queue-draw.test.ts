import { execFile } from 'node:child_process';
import { createHash, createHmac } from 'node:crypto';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';
import type { ShowDetail } from '../../src/shared/api.js';
import { ManualClock } from '../../src/server/platform/clock.js';
import type { TestHooks } from '../../src/server/platform/test-hooks.js';
import { call, createShow, newCustomers } from '../support/api-client.js';
import { useHarness } from '../support/api-suite.js';
import { startHarness, uniqueName, type DbKind, type Harness } from '../support/harness.js';
import { ROOT } from '../support/instances.js';
import { describeNeeding } from '../support/needs.js';

/**
 * The pre-queue and the draw (docs/waiting-room.md "The pre-queue and the draw") through the public
 * API, on both setups, on a manual clock: refusal before queueOpensAt, early entries, the
 * commitment, the reveal, the order anyone can recompute, admission in drawn order, late joiners
 * behind, withdrawal and presence.
 */
const SETUPS: { name: string; db: DbKind; redis: boolean }[] = [
  { name: 'in-process store + PGlite', db: 'pglite', redis: false },
  { name: 'Redis + PostgreSQL', db: 'postgres', redis: true },
];

const MIN = 60_000;
const T0 = Date.parse('2031-05-01T10:00:00.000Z');
const GRACE_S = 30;

/** What a verifier does, written out here independently of the server's code. */
function recompute(seedHex: string, entries: string[]): string[] {
  const key = Buffer.from(seedHex, 'hex');
  const h = (id: string) => createHmac('sha256', key).update(Buffer.from(id, 'utf8')).digest('hex');
  return [...entries].sort((a, b) => (h(a) < h(b) ? -1 : h(a) > h(b) ? 1 : 0));
}

for (const { name, db, redis } of SETUPS)
  describeNeeding(redis ? ['postgres', 'redis'] : [], `the pre-queue and the draw (${name})`, () => {
    let h: Harness;
    const clock = new ManualClock(T0);
    let admin: string;
    const hooks: TestHooks = {};
    const redisPrefix = uniqueName('tcq');
    useHarness({ db, redis, redisPrefix, clock, testHooks: hooks, env: { QUEUE_GRACE_SECONDS: String(GRACE_S) } }, (s) => ({ h, admin } = s));

    const app = () => h.ticketClub.app;
    const join = (showId: string, token: string) => call(app(), 'POST', `/api/shows/${showId}/queue`, { token });
    const place = (showId: string, token: string) => call(app(), 'GET', `/api/shows/${showId}/queue`, { token });
    const draw = (showId: string) => call(app(), 'GET', `/api/shows/${showId}/draw`);
    const status = async (showId: string) => (await call(app(), 'GET', `/api/shows/${showId}`)).body.show.status;

    /** A show whose sale opens in an hour (pre-queue from 30 min before it), at clock T0. */
    async function upcoming(pageCapacity = 3): Promise<{ show: ShowDetail; onSaleAt: number; opensAt: number }> {
      clock.set(T0);
      const onSaleAt = T0 + 60 * MIN;
      const show = await createShow(app(), admin, { pageCapacity, now: T0, onSaleAt: new Date(onSaleAt).toISOString() });
      return { show, onSaleAt, opensAt: onSaleAt - 30 * MIN };
    }

    it('before queueOpensAt a join is 409 NOT_ON_SALE with details.queueOpensAt, the draw is not published, and nothing is entered', async () => {
      const { show, opensAt } = await upcoming();
      expect(show.queueOpensAt).toBe(new Date(opensAt).toISOString());
      const [fan] = await newCustomers(app(), admin, 1);
      clock.set(opensAt - 1);
      expect(await status(show.id)).toBe('scheduled');
      const r = await join(show.id, fan!.token);
      expect([r.status, r.body.error.code, r.body.error.details]).toEqual([409, 'NOT_ON_SALE', { queueOpensAt: show.queueOpensAt }]);
      const d = await draw(show.id);
      expect([d.status, d.body.error.code]).toEqual([409, 'NOT_ON_SALE']);
      expect((await place(show.id, fan!.token)).body).toMatchObject({ state: 'none' });
      clock.set(opensAt);
      expect(await status(show.id)).toBe('queue_open');
      expect((await draw(show.id)).body).toMatchObject({ seed: null, entries: null });
    });

    it('from queueOpensAt a join is an early entry, idempotent, counted, and GET answers the same', async () => {
      const { show, opensAt, onSaleAt } = await upcoming();
      const [a, b] = await newCustomers(app(), admin, 2);
      clock.set(opensAt + 1000);
      const first = await join(show.id, a!.token);
      expect(first.status).toBe(200);
      expect(first.body).toEqual({ state: 'early', entryId: expect.any(String), drawAt: new Date(onSaleAt).toISOString(), entrants: 1 });
      expect(first.body.entryId).toMatch(/^[A-Za-z0-9_-]{22}$/);
      expect(first.body.entryId).not.toContain(a!.id);
      expect((await join(show.id, a!.token)).body).toEqual(first.body);
      const second = await join(show.id, b!.token);
      expect(second.body).toMatchObject({ state: 'early', entrants: 2 });
      expect(second.body.entryId).not.toBe(first.body.entryId);
      expect((await place(show.id, a!.token)).body).toEqual({ ...first.body, entrants: 2 });
    });

    it('the commitment is published from queueOpensAt and never changes; after the draw sha256(seed) is it', async () => {
      const { show, opensAt, onSaleAt } = await upcoming();
      const [fan] = await newCustomers(app(), admin, 1);
      clock.set(opensAt);
      const before = (await draw(show.id)).body;
      expect(before).toEqual({ drawAt: new Date(onSaleAt).toISOString(), commitment: expect.stringMatching(/^[0-9a-f]{64}$/), seed: null, entries: null });
      await join(show.id, fan!.token);
      expect((await draw(show.id)).body.commitment).toBe(before.commitment);
      // The database refuses to change a published commitment, whoever asks.
      await expect(h.db.query(`UPDATE show_draws SET seed = $2, commitment = $3 WHERE show_id = $1`, [show.id, Buffer.alloc(32), 'x'.repeat(64)])).rejects.toThrow(
        /does not change/,
      );
      clock.set(onSaleAt);
      await h.ticketClub.services.queue.drawDue();
      const after = (await draw(show.id)).body;
      expect(after.commitment).toBe(before.commitment);
      expect(createHash('sha256').update(Buffer.from(after.seed, 'hex')).digest('hex')).toBe(before.commitment);
      expect(after.seed).toMatch(/^[0-9a-f]{64}$/);
    });

    it('at onSaleAt every entry goes in line in the drawn order anyone can recompute, admitted in that order, late joiners behind', async () => {
      const { show, opensAt, onSaleAt } = await upcoming(3);
      const fans = await newCustomers(app(), admin, 10);
      const early = fans.slice(0, 8);
      const late = fans.slice(8);
      clock.set(opensAt + 5 * MIN);
      const tokenOf = new Map<string, string>();
      for (const f of early) {
        const r = await join(show.id, f.token);
        tokenOf.set(r.body.entryId, f.token);
      }
      clock.set(onSaleAt);
      // The first late join triggers the draw itself: it cannot get ahead of it.
      const l1 = await join(show.id, late[0]!.token);
      const published = (await draw(show.id)).body;
      expect([...published.entries].sort()).toEqual([...tokenOf.keys()].sort());
      expect(published.entries).toEqual(recompute(published.seed, published.entries));
      const drawn: string[] = published.entries.map((e: string) => tokenOf.get(e)!);
      for (const [i, token] of drawn.entries()) {
        const p = (await place(show.id, token)).body;
        if (i < 3) expect(p.state).toBe('admitted');
        else expect(p).toMatchObject({ state: 'waiting', position: i - 2 });
      }
      expect(l1.body).toMatchObject({ state: 'waiting', position: 6 });
      const l2 = await join(show.id, late[1]!.token);
      expect(l2.body).toMatchObject({ state: 'waiting', position: 7 });
      // Each leaving admitted fan lets in the next of the drawn order, then the late joiners.
      for (let i = 0; i < drawn.length; i++) {
        expect((await call(app(), 'DELETE', `/api/shows/${show.id}/queue`, { token: drawn[i]! })).status).toBe(204);
        const next = drawn[i + 3];
        if (next) expect((await place(show.id, next)).body.state).toBe('admitted');
      }
      expect((await place(show.id, late[0]!.token)).body.state).toBe('admitted');
      // The published draw does not change after it.
      await h.ticketClub.services.queue.drawDue();
      expect((await draw(show.id)).body).toEqual(published);
    });

    it('npm run verify-draw says OK for the published draw, and exit code 0', async () => {
      const { show, opensAt, onSaleAt } = await upcoming();
      const fans = await newCustomers(app(), admin, 5);
      clock.set(opensAt);
      for (const f of fans) await join(show.id, f.token);
      clock.set(onSaleAt);
      await h.ticketClub.services.queue.drawDue();
      const url = await h.listen();
      const run = promisify(execFile);
      const { stdout } = await run(process.execPath, ['--import', 'tsx', 'scripts/verify-draw.ts', url, show.id], { cwd: ROOT });
      expect(stdout).toMatch(/^OK: .* 5 entries in the published order/);
    }, 60_000);

    it('a join after the draw is a normal join behind every drawn entry, even on an instance that has not drawn', async () => {
      const { show, opensAt, onSaleAt } = await upcoming(1);
      const fans = await newCustomers(app(), admin, 4);
      clock.set(opensAt);
      for (const f of fans.slice(0, 3)) await join(show.id, f.token);
      clock.set(onSaleAt + 2000);
      await h.ticketClub.services.queue.drawDue();
      const r = await join(show.id, fans[3]!.token);
      expect(r.body).toMatchObject({ state: 'waiting', position: 3 });
      expect((await draw(show.id)).body.entries).toHaveLength(3);
    });

    it('leaving in the pre-queue withdraws the entry: it is not drawn', async () => {
      const { show, opensAt, onSaleAt } = await upcoming();
      const [stays, goes] = await newCustomers(app(), admin, 2);
      clock.set(opensAt);
      const kept = (await join(show.id, stays!.token)).body.entryId;
      await join(show.id, goes!.token);
      expect((await call(app(), 'DELETE', `/api/shows/${show.id}/queue`, { token: goes!.token })).status).toBe(204);
      // Told why on return, as a waiter who left is.
      expect((await place(show.id, goes!.token)).body).toEqual({ state: 'none', lastEnded: { reason: 'left', at: new Date(opensAt).toISOString() } });
      expect((await place(show.id, stays!.token)).body.entrants).toBe(1);
      clock.set(onSaleAt);
      await h.ticketClub.services.queue.drawDue();
      expect((await draw(show.id)).body.entries).toEqual([kept]);
      expect((await place(show.id, goes!.token)).body).toMatchObject({ state: 'none' });
    });

    it('an early entrant no connection watches for the grace loses its entry, and is told why on return; a watched one keeps it', async () => {
      const { show, opensAt, onSaleAt } = await upcoming();
      const [watched, absent] = await newCustomers(app(), admin, 2);
      clock.set(opensAt);
      const kept = (await join(show.id, watched!.token)).body.entryId;
      await join(show.id, absent!.token);
      clock.advance((GRACE_S - 5) * 1000);
      await h.ticketClub.services.queue.touch(show.id, [watched!.id]);
      await h.ticketClub.services.queue.drawDue();
      expect((await place(show.id, absent!.token)).body.state).toBe('early');
      clock.advance(10_000);
      await h.ticketClub.services.queue.drawDue();
      expect((await place(show.id, absent!.token)).body).toEqual({ state: 'none', lastEnded: { reason: 'removed', at: expect.any(String) } });
      expect((await place(show.id, watched!.token)).body.state).toBe('early');
      clock.set(onSaleAt);
      await h.ticketClub.services.queue.drawDue();
      expect((await draw(show.id)).body.entries).toEqual([kept]);
    });

    it('the console sets queueOpensAt; after onSaleAt it is 400 VALIDATION_FAILED and changes nothing; equal means no pre-queue', async () => {
      clock.set(T0);
      const onSaleAt = new Date(T0 + 60 * MIN).toISOString();
      const bad = await createShow(app(), admin, { now: T0, onSaleAt, queueOpensAt: new Date(T0 + 61 * MIN).toISOString() }).catch((e: Error) => e);
      expect(String(bad)).toMatch(/VALIDATION_FAILED/);
      const none = await createShow(app(), admin, { now: T0, onSaleAt, queueOpensAt: onSaleAt });
      expect(none.queueOpensAt).toBe(onSaleAt);
      const [fan] = await newCustomers(app(), admin, 1);
      clock.set(T0 + 59 * MIN);
      expect(await status(none.id)).toBe('scheduled');
      expect((await join(none.id, fan!.token)).status).toBe(409);
      const patch = await call(app(), 'PATCH', `/api/admin/shows/${none.id}`, { token: admin, body: { queueOpensAt: new Date(T0 + 61 * MIN).toISOString() } });
      expect([patch.status, patch.body.error?.code]).toEqual([400, 'VALIDATION_FAILED']);
      expect((await call(app(), 'GET', `/api/shows/${none.id}`)).body.show.queueOpensAt).toBe(onSaleAt);
      const ok = await call(app(), 'PATCH', `/api/admin/shows/${none.id}`, { token: admin, body: { queueOpensAt: new Date(T0 + 50 * MIN).toISOString() } });
      expect(ok.status).toBe(200);
      // The show page from memory trails an edit by at most its refresh interval (well under a second).
      clock.advance(1_000);
      expect(await status(none.id)).toBe('queue_open');
      // Moving the sale keeps the pre-queue's length.
      await call(app(), 'PATCH', `/api/admin/shows/${none.id}`, { token: admin, body: { onSaleAt: new Date(T0 + 120 * MIN).toISOString() } });
      clock.advance(1_000);
      expect((await call(app(), 'GET', `/api/shows/${none.id}`)).body.show.queueOpensAt).toBe(new Date(T0 + 110 * MIN).toISOString());
    });

    if (redis) {
      /** A hook that stops its caller until `letGo`; `entered` resolves once the caller is stopped. */
      function pausePoint() {
        let letGo!: () => void;
        let arrived!: () => void;
        const held = new Promise<void>((resolve) => (letGo = resolve));
        const entered = new Promise<void>((resolve) => (arrived = resolve));
        return { hook: () => (arrived(), held), entered, letGo };
      }

      it('an entry racing the claim is drawn or joins behind the draw, never lost: the claim freezes the entries', async () => {
        const { show, opensAt, onSaleAt } = await upcoming(1);
        const fans = await newCustomers(app(), admin, 4);
        clock.set(opensAt);
        for (const f of fans.slice(0, 3)) await join(show.id, f.token);
        // A second instance whose clock is a second behind still takes early entries.
        const slowClock = new ManualClock(onSaleAt - 1000);
        const slow = await startHarness({ sharedDb: h.db, redis: true, redisPrefix, clock: slowClock });
        try {
          clock.set(onSaleAt);
          const p = pausePoint();
          hooks.drawClaim = p.hook;
          const drawing = h.ticketClub.services.queue.drawDue();
          await p.entered;
          hooks.drawClaim = undefined;
          const racing = call(slow.ticketClub.app, 'POST', `/api/shows/${show.id}/queue`, { token: fans[3]!.token });
          await new Promise((r) => setTimeout(r, 300));
          p.letGo();
          await drawing;
          const r = await racing;
          const published = (await draw(show.id)).body;
          if (r.body.state === 'early') expect(published.entries).toContain(r.body.entryId);
          else expect(r.body).toMatchObject({ state: 'waiting', position: 3 });
          expect(published.entries).toHaveLength(r.body.state === 'early' ? 4 : 3);
        } finally {
          await slow.close();
        }
      });

      it('two instances putting one draw in line at once put every entry in line once: one that left is not put back', async () => {
        const { show, opensAt, onSaleAt } = await upcoming(2);
        const fans = await newCustomers(app(), admin, 9);
        clock.set(opensAt);
        const tokenOf = new Map<string, string>();
        for (const f of fans) tokenOf.set((await join(show.id, f.token)).body.entryId, f.token);
        const hooks2: TestHooks = {};
        const other = await startHarness({ sharedDb: h.db, redis: true, redisPrefix, clock, testHooks: hooks2 });
        try {
          clock.set(onSaleAt);
          // The other instance has claimed (or found the claim) and stops before its first chunk ...
          const p = pausePoint();
          hooks2.drawChunk = p.hook;
          const slowMove = other.ticketClub.services.queue.finishDraw(show.id);
          await p.entered;
          hooks2.drawChunk = undefined;
          // ... while this one puts the whole draw in line, and a drawn fan leaves the line.
          await h.ticketClub.services.queue.finishDraw(show.id);
          const entries: string[] = (await draw(show.id)).body.entries;
          const leaver = tokenOf.get(entries[5]!)!;
          expect((await place(show.id, leaver)).body).toMatchObject({ state: 'waiting', position: 4 });
          expect((await call(app(), 'DELETE', `/api/shows/${show.id}/queue`, { token: leaver })).status).toBe(204);
          p.letGo();
          await slowMove;
          expect((await place(show.id, leaver)).body).toMatchObject({ state: 'none' });
          const places = await Promise.all(entries.filter((e) => tokenOf.get(e) !== leaver).map(async (e) => (await place(show.id, tokenOf.get(e)!)).body));
          expect(places.slice(0, 2).map((x) => x.state)).toEqual(['admitted', 'admitted']);
          expect(places.slice(2).map((x) => x.position)).toEqual([1, 2, 3, 4, 5, 6]);
          expect((await h.store.counts(show.id)).waiting).toBe(6);
        } finally {
          await other.close();
        }
      });
    }
  });
