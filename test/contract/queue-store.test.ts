import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, it, onTestFinished } from 'vitest';
import { MemoryQueueStore } from '../../src/server/adapters/memory/memory-queue-store.js';
import { RedisQueueStore } from '../../src/server/adapters/redis/redis-queue-store.js';
import { ManualClock } from '../../src/server/platform/clock.js';
import { LineFollower } from '../../src/server/modules/queue/line-follower.js';
import type { Place, QueueLimits, QueueStore } from '../../src/server/modules/queue/queue-store.js';
import { REDIS_URL, uniqueName } from '../support/harness.js';
import { describeOnEachStore, type StoreKind } from '../support/needs.js';

/** The reference model: the waiting room as plainly as it can be written. */
class Model {
  waiting: string[] = [];
  admitted: { userId: string; admittedAt: number; expiresAt: number }[] = [];
  seen = new Map<string, number>();
  constructor(private readonly limits: QueueLimits) {}

  private has(u: string) {
    return this.waiting.includes(u) || this.admitted.some((a) => a.userId === u);
  }
  fill(now: number): string[] {
    const out: string[] = [];
    while (this.admitted.length < this.limits.capacity && this.waiting.length > 0) {
      const u = this.waiting.shift()!;
      this.admitted.push({ userId: u, admittedAt: now, expiresAt: now + this.limits.windowMs });
      this.seen.set(u, now); // the admitted grace runs from the admission
      out.push(u);
    }
    return out;
  }
  join(u: string, now: number): string[] {
    if (this.has(u)) return [];
    this.waiting.push(u);
    this.seen.set(u, now);
    return this.fill(now);
  }
  leave(u: string, now: number): string[] {
    if (!this.has(u)) return [];
    this.waiting = this.waiting.filter((x) => x !== u);
    this.admitted = this.admitted.filter((a) => a.userId !== u);
    this.seen.delete(u);
    return this.fill(now);
  }
  sweep(now: number): { ended: string[]; admitted: string[] } {
    const ended: string[] = [];
    for (const a of [...this.admitted]) if (a.expiresAt <= now) ended.push(a.userId);
    for (const [u, at] of this.seen) {
      const grace = this.admitted.some((a) => a.userId === u) ? this.limits.admittedGraceMs : this.limits.graceMs;
      if (at < now - grace && !ended.includes(u)) ended.push(u);
    }
    for (const u of ended) {
      this.waiting = this.waiting.filter((x) => x !== u);
      this.admitted = this.admitted.filter((a) => a.userId !== u);
      this.seen.delete(u);
    }
    return { ended, admitted: this.fill(now) };
  }
  /** A sell-out: every waiter leaves at once, the admitted stay. */
  endWaits(): string[] {
    const ended = this.waiting;
    this.waiting = [];
    for (const u of ended) this.seen.delete(u);
    return ended;
  }
  touch(users: string[], now: number) {
    for (const u of users) if (this.seen.has(u)) this.seen.set(u, now);
  }
  /** The place as the store reports it, but for the admission's id (checked apart: unique per admission). */
  place(u: string, now: number): { state: Place['state'] } & Record<string, unknown> {
    const a = this.admitted.find((x) => x.userId === u);
    if (a) return { state: 'admitted', ...a, at: now };
    const i = this.waiting.indexOf(u);
    if (i < 0) return { state: 'none', userId: u, at: now };
    const ref = this.admitted[i % this.limits.capacity];
    return { state: 'waiting', userId: u, position: i + 1, refAdmittedAt: ref ? ref.admittedAt : null, at: now };
  }
}

type Op =
  | { kind: 'join' | 'leave' | 'disconnect' | 'reconnect'; user: number }
  | { kind: 'advance'; ms: number }
  | { kind: 'sweep' }
  | { kind: 'endWaits' };

const USERS = 8;
const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('join' as const), user: fc.nat(USERS - 1) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('leave' as const), user: fc.nat(USERS - 1) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('disconnect' as const), user: fc.nat(USERS - 1) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('reconnect' as const), user: fc.nat(USERS - 1) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('advance' as const), ms: fc.integer({ min: 0, max: 30_000 }) }) },
  { weight: 3, arbitrary: fc.constant({ kind: 'sweep' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'endWaits' as const }) },
);

/** The place but for what is checked apart: the admission's id (unique), a waiter's ticket and mark. */
const withoutId = (p: Place): object => {
  if (p.state === 'waiting') {
    const { ticket: _t, mark: _m, ...rest } = p;
    return rest;
  }
  if (p.state !== 'admitted') return p;
  const { admissionId: _id, ...rest } = p;
  return rest;
};

/** Runs one random history against a store and the model; checks the invariants after every step. */
async function check(store: QueueStore, clock: ManualClock, ops: Op[], capacity: number): Promise<void> {
  // The admitted grace is the shorter one, as deployed: a history exercises both.
  const limits: QueueLimits = { capacity, windowMs: 60_000, graceMs: 20_000, admittedGraceMs: 8_000 };
  const model = new Model(limits);
  const showId = randomUUID();
  const users = Array.from({ length: USERS }, () => randomUUID());
  const connected = new Set<string>();
  let now = Date.parse('2030-01-01T00:00:00Z');
  clock.set(now);
  const admittedOrder: string[] = [];
  /** Every admission's id, by account: an account admitted again gets a new one. */
  const admissionIds = new Map<string, string>();
  const allIds = new Set<string>();
  const newAdmissions = (entries: { userId: string; admissionId: string }[]) => {
    for (const e of entries) {
      expect(allIds.has(e.admissionId)).toBe(false);
      allIds.add(e.admissionId);
      admissionIds.set(e.userId, e.admissionId);
    }
  };
  /** The join ticket each account holds now, and the tickets of the admitted, in order of admission. */
  const ticketOf = new Map<string, number>();
  const admittedTickets: number[] = [];
  let ticket = 0;
  const admit = (us: string[]) => {
    admittedOrder.push(...us);
    admittedTickets.push(...us.map((u) => ticketOf.get(u)!));
  };

  for (const op of ops) {
    if (op.kind === 'join') {
      const u = users[op.user]!;
      const before = model.place(u, now).state;
      const expected = model.join(u, now);
      if (before === 'none') ticketOf.set(u, ++ticket);
      connected.add(u);
      const { place, changes } = await store.join(showId, u, limits);
      expect(changes.admitted.map((a) => a.userId)).toEqual(expected);
      newAdmissions(changes.admitted);
      expect(withoutId(place)).toEqual(model.place(u, now));
      admit(expected);
    } else if (op.kind === 'leave') {
      const u = users[op.user]!;
      const was = model.place(u, now).state;
      const expected = model.leave(u, now);
      const r = await store.leave(showId, u, 'left', limits);
      expect(r.was).toBe(was);
      expect(r.changes.admitted.map((a) => a.userId)).toEqual(expected);
      const endedId = was === 'admitted' ? { admissionId: admissionIds.get(u) } : {};
      expect(r.changes.ended).toEqual(was === 'none' ? [] : [{ userId: u, reason: 'left', wasAdmitted: was === 'admitted', ...endedId }]);
      newAdmissions(r.changes.admitted);
      admit(expected);
    } else if (op.kind === 'disconnect') {
      connected.delete(users[op.user]!);
    } else if (op.kind === 'reconnect') {
      const u = users[op.user]!;
      connected.add(u);
      model.touch([u], now);
      await store.touch(showId, [u]);
    } else if (op.kind === 'advance') {
      // Connected accounts are seen by the heartbeats while time passes (at most grace/3 apart).
      for (let t = 0; t < op.ms; t += 5_000) {
        now += Math.min(5_000, op.ms - t);
        clock.set(now);
        model.touch([...connected], now);
        await store.touch(showId, [...connected]);
      }
    } else if (op.kind === 'endWaits') {
      const expected = model.endWaits();
      const changes = await store.endWaits(showId, 'sold_out');
      expect(changes.admitted).toEqual([]);
      expect(changes.ended.map((e) => e.userId).sort()).toEqual([...expected].sort());
      for (const e of changes.ended) expect(e).toEqual({ userId: e.userId, reason: 'sold_out', wasAdmitted: false });
    } else {
      const expected = model.sweep(now);
      const changes = await store.sweep(showId, limits);
      expect(changes.ended.map((e) => e.userId).sort()).toEqual([...expected.ended].sort());
      // An ended admission names itself, so a late release frees only what that admission held.
      for (const e of changes.ended) expect(e.admissionId).toBe(e.wasAdmitted ? admissionIds.get(e.userId) : undefined);
      expect(changes.admitted.map((a) => a.userId)).toEqual(expected.admitted);
      newAdmissions(changes.admitted);
      admit(expected.admitted);
    }

    // Invariants: the store agrees with the model on every account's place (positions 1..n without
    // gaps, ETA reference = the formula's admitted account), the page never exceeds its capacity,
    // nobody holds two places, admission follows join order.
    const places = await store.places(showId, users, capacity);
    expect(places.map(withoutId)).toEqual(users.map((u) => model.place(u, now)));
    for (const p of places) if (p.state === 'admitted') expect(p.admissionId).toBe(admissionIds.get(p.userId));
    // A waiter's ticket is the one it joined with (a rejoin gets a new one).
    for (const p of places) if (p.state === 'waiting') expect(p.ticket).toBe(ticketOf.get(p.userId));
    // Live only while the window is open by the line's clock.
    for (const u of users) {
      const m = model.admitted.find((a) => a.userId === u);
      const live = m && m.expiresAt > now ? { ...m, admissionId: admissionIds.get(u) } : null;
      expect(await store.liveAdmission(showId, u)).toEqual(live);
    }
    const admitted = places.filter((p) => p.state === 'admitted');
    const positions = places.flatMap((p) => (p.state === 'waiting' ? [p.position] : [])).sort((a, b) => a - b);
    expect(admitted.length).toBeLessThanOrEqual(capacity);
    expect(positions).toEqual(positions.map((_, i) => i + 1));
    const counts = await store.counts(showId);
    expect([counts.waiting, counts.admitted]).toEqual([positions.length, admitted.length]);
    // FIFO: every admission's join ticket is later than the one admitted before it.
    expect(admittedTickets).toEqual([...admittedTickets].sort((a, b) => a - b));
  }
}

const stores: Record<StoreKind, (clock: ManualClock, lineLogKeep?: number) => { store: QueueStore; close(): Promise<void> }> = {
  memory: (clock, lineLogKeep) => ({ store: new MemoryQueueStore(clock, lineLogKeep), close: async () => undefined }),
  redis: (clock, lineLogKeep) => {
    const redis = new Redis(REDIS_URL);
    return { store: new RedisQueueStore(redis, uniqueName('tcq'), { testClock: clock, lineLogKeep }), close: async () => void redis.disconnect() };
  },
};

type LineOp =
  | { kind: 'join' | 'leave' | 'follow' | 'unfollow'; user: number }
  | { kind: 'sweep'; ms: number; seen: number }
  | { kind: 'endWaits' | 'begin' | 'finish' };

const LINE_USERS = 16;
const lineOpArb: fc.Arbitrary<LineOp> = fc.oneof(
  { weight: 10, arbitrary: fc.record({ kind: fc.constant('join' as const), user: fc.nat(LINE_USERS - 1) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('leave' as const), user: fc.nat(LINE_USERS - 1) }) },
  // A connection (re)connects and its place is read, or it goes away.
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('follow' as const), user: fc.nat(LINE_USERS - 1) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('unfollow' as const), user: fc.nat(LINE_USERS - 1) }) },
  // Time passes (windows run out) and only some accounts are seen: expiries, admissions, removals.
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('sweep' as const), ms: fc.integer({ min: 0, max: 15_000 }), seen: fc.nat((1 << LINE_USERS) - 1) }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'endWaits' as const }) },
  // A tick starts (taking the places read so far), and later reads the log and applies it; a
  // history without `finish` for a while is an instance that missed ticks.
  { weight: 2, arbitrary: fc.constant({ kind: 'begin' as const }) },
  { weight: 4, arbitrary: fc.constant({ kind: 'finish' as const }) },
);

/**
 * One instance following the line over a random history: after every tick, each place it holds is
 * the store's rank of that account; each account it lost has left the line; none it followed
 * before the tick is missing. The lost are read again, as the gateway does.
 */
async function checkFollowing(store: QueueStore, clock: ManualClock, ops: LineOp[], capacity: number): Promise<number> {
  const limits: QueueLimits = { capacity, windowMs: 30_000, graceMs: 20_000, admittedGraceMs: 10_000 };
  let checked = 0;
  const showId = randomUUID();
  const users = Array.from({ length: LINE_USERS }, () => randomUUID());
  let now = Date.parse('2030-05-01T00:00:00Z');
  clock.set(now);
  const line = new LineFollower();
  /** The ticket each followed account was followed with, and which follow that was. */
  const followedWith = new Map<string, { ticket: number; n: number }>();
  let follows = 0;
  let tick: { since: number | null; before: Map<string, { ticket: number; n: number }> } | null = null;
  const readAndFollow = async (us: string[]) => {
    const places = await store.places(showId, us, capacity);
    for (const p of places) {
      if (p.state === 'waiting') {
        line.follow(p.userId, p);
        followedWith.set(p.userId, { ticket: p.ticket, n: ++follows });
      } else {
        line.unfollow(p.userId);
        followedWith.delete(p.userId);
      }
    }
  };
  for (const op of [...ops, { kind: 'begin' } as const, { kind: 'finish' } as const]) {
    if (op.kind === 'join') {
      // The fan joins, then its page watches (a read on a connection of this instance).
      await store.join(showId, users[op.user]!, limits);
      await readAndFollow([users[op.user]!]);
    } else if (op.kind === 'leave') await store.leave(showId, users[op.user]!, 'left', limits);
    else if (op.kind === 'follow') await readAndFollow([users[op.user]!]);
    else if (op.kind === 'unfollow') {
      line.unfollow(users[op.user]!);
      followedWith.delete(users[op.user]!);
    } else if (op.kind === 'sweep') {
      await store.touch(showId, users.filter((_, i) => (op.seen >> i) & 1));
      now += op.ms;
      clock.set(now);
      await store.sweep(showId, limits);
    } else if (op.kind === 'endWaits') await store.endWaits(showId, 'sold_out');
    else if (op.kind === 'begin') {
      if (!tick) tick = { before: new Map(followedWith), since: line.begin() };
    } else if (tick) {
      const { since, before } = tick;
      tick = null;
      if (since === null) continue;
      const t = await store.lineTick(showId, since);
      const result = line.apply(since, t);
      checked += result.places.length;
      const truth = new Map((await store.places(showId, users, capacity)).map((p) => [p.userId, p]));
      for (const p of result.places) {
        const real = truth.get(p.userId)!;
        expect(real.state === 'waiting' ? real.position : real.state).toBe(p.position);
      }
      for (const u of result.lost) {
        // Its ticket left the line, or the log no longer reaches back (trimmed, or a sell-out).
        const real = truth.get(u)!;
        if (t.gone !== null) expect(real.state !== 'waiting' || real.ticket !== before.get(u)?.ticket).toBe(true);
        followedWith.delete(u);
      }
      // Every account followed before the tick, and not followed again since, is accounted for.
      const told = new Set([...result.places.map((p) => p.userId), ...result.lost]);
      for (const [u, f] of before) if (followedWith.get(u)?.n === f.n) expect(told.has(u)).toBe(true);
      await readAndFollow(result.lost);
    }
  }
  return checked;
}

describeOnEachStore('line ticks (%s)', (name) => {
  const clock = new ManualClock();
  let store: QueueStore;
  let close: () => Promise<void> = async () => undefined;
  beforeAll(() => {
    // A log that keeps only a few tickets is trimmed often: instances that missed ticks read again.
    ({ store, close } = stores[name](clock, 8));
  });
  afterAll(() => close());

  it('over random histories of joins, leaves, admissions, expiries, removals, sell-outs, missed ticks and reconnects, every place a tick gives is the store\'s rank', async () => {
    let checked = 0;
    const numRuns = name === 'redis' ? 60 : 400;
    await fc.assert(
      fc.asyncProperty(fc.array(lineOpArb, { minLength: 10, maxLength: 80, size: 'max' }), fc.integer({ min: 1, max: 3 }), async (ops, capacity) => {
        checked += await checkFollowing(store, clock, ops, capacity);
      }),
      { numRuns },
    );
    // Not vacuous: the histories had followed waiters at their ticks.
    expect(checked).toBeGreaterThan(numRuns * 2);
  });

  it('a tick reads the log since a mark: the tickets that left in order, the page\'s admission times, and null once trimmed', async () => {
    const own = stores[name](clock, 3);
    const store = own.store;
    onTestFinished(() => own.close());
    const limits: QueueLimits = { capacity: 1, windowMs: 60_000, graceMs: 20_000, admittedGraceMs: 20_000 };
    const showId = randomUUID();
    const t0 = Date.parse('2030-06-01T00:00:00Z');
    clock.set(t0);
    const users = Array.from({ length: 8 }, () => randomUUID());
    for (const u of users) await store.join(showId, u, limits); // the first is admitted: ticket 1 left the line
    const [p] = await store.places(showId, [users[7]!], 1);
    expect(p).toMatchObject({ state: 'waiting', position: 7, ticket: 8, mark: 1 });
    await store.leave(showId, users[4]!, 'left', limits); // ticket 5
    clock.advance(1_000);
    await store.leave(showId, users[0]!, 'purchased', limits); // admits ticket 2
    expect(await store.lineTick(showId, 1)).toEqual({ mark: 3, gone: [5, 2], page: [t0 + 1_000], at: t0 + 1_000 });
    expect((await store.lineTick(showId, 3)).gone).toEqual([]);
    // Kept: at least 3 (trimmed in bulk at 6); a mark from before the trimmed part gets null.
    for (const u of users.slice(5)) await store.leave(showId, u, 'left', limits);
    expect((await store.lineTick(showId, 0)).gone).toBeNull();
    expect(await store.lineTick(showId, 3)).toMatchObject({ mark: 6, gone: [6, 7, 8] });
    // A sell-out ends every wait at once: every earlier mark reads again.
    await store.join(showId, randomUUID(), limits);
    await store.endWaits(showId, 'sold_out');
    expect(await store.lineTick(showId, 6)).toMatchObject({ mark: 7, gone: null });
    expect((await store.lineTick(showId, 7)).gone).toEqual([]);
  });
});

describeOnEachStore('queue store contract (%s)', (name) => {
  const clock = new ManualClock();
  // Made in beforeAll, not while collecting: a skipped Redis variant must not open a connection.
  let store: QueueStore;
  let close: () => Promise<void> = async () => undefined;
  beforeAll(() => {
    ({ store, close } = stores[name](clock));
  });
  afterAll(() => close());

  it('agrees with the reference model on random histories of join, leave, expiry, disconnect, reconnect and sell-out', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { minLength: 1, maxLength: 40 }), fc.integer({ min: 1, max: 3 }), (ops, capacity) =>
        check(store, clock, ops, capacity),
      ),
      { numRuns: name === 'redis' ? 100 : 300 },
    );
  });

  it('ends only the named admission: a late end of an ended admission leaves the newer one alone', async () => {
    const limits: QueueLimits = { capacity: 1, windowMs: 60_000, graceMs: 20_000, admittedGraceMs: 20_000 };
    const showId = randomUUID();
    const [u, other] = [randomUUID(), randomUUID()];
    clock.set(Date.parse('2030-02-01T00:00:00Z'));
    const first = (await store.join(showId, u, limits)).changes.admitted[0]!;
    expect((await store.leave(showId, u, 'left', limits)).changes.ended).toEqual([{ userId: u, reason: 'left', wasAdmitted: true, admissionId: first.admissionId }]);
    clock.advance(1_000);
    const second = (await store.join(showId, u, limits)).changes.admitted[0]!;
    expect(second.admissionId).not.toBe(first.admissionId);
    await store.join(showId, other, limits);

    const late = await store.leave(showId, u, 'purchased', limits, first.admissionId);
    expect(late).toEqual({ was: 'none', changes: { admitted: [], ended: [] } });
    expect(await store.liveAdmission(showId, u)).toEqual(second);
    const [p] = await store.places(showId, [other], 1);
    expect(p).toMatchObject({ state: 'waiting', position: 1 });

    const own = await store.leave(showId, u, 'purchased', limits, second.admissionId);
    expect(own.changes.ended).toEqual([{ userId: u, reason: 'purchased', wasAdmitted: true, admissionId: second.admissionId }]);
    expect(own.changes.admitted.map((a) => a.userId)).toEqual([other]);
  });

  it('admits outside the line past the capacity (a waitlist offer): out of the line (its ticket in the line log), kept while unseen, ended by its window', async () => {
    const limits: QueueLimits = { capacity: 1, windowMs: 60_000, graceMs: 20_000, admittedGraceMs: 10_000 };
    const showId = randomUUID();
    const [holder, waiter, offered] = [randomUUID(), randomUUID(), randomUUID()];
    clock.set(Date.parse('2030-03-01T00:00:00Z'));
    await store.join(showId, holder, limits);
    await store.join(showId, waiter, limits);
    const [before] = await store.places(showId, [waiter], 1);
    expect(before).toMatchObject({ state: 'waiting', ticket: 2, mark: 1 });
    const a = await store.admitOutside(showId, waiter, 30_000);
    expect(a.fresh).toBe(true);
    // The waiter left the line: its ticket is logged, so followers of the line move up in step.
    expect((await store.lineTick(showId, 1)).gone).toEqual([2]);
    expect(a.entry).toMatchObject({ userId: waiter, expiresAt: a.entry.admittedAt + 30_000 });
    expect(await store.liveAdmission(showId, waiter)).toEqual(a.entry);
    // Idempotent: the account keeps the admission it has.
    expect(await store.admitOutside(showId, waiter, 30_000)).toEqual({ entry: a.entry, fresh: false });
    const b = await store.admitOutside(showId, offered, 30_000);
    // An account not in the line leaves nothing in the log.
    expect(await store.lineTick(showId, 1)).toMatchObject({ mark: 2, gone: [2] });
    expect((await store.places(showId, [holder, waiter, offered], 1)).map((p) => p.state)).toEqual(['admitted', 'admitted', 'admitted']);
    expect((await store.counts(showId)).admitted).toBe(3);
    // Unseen past the admitted grace: the line's own admission goes, the offers stay until their window.
    clock.advance(15_000);
    const swept = await store.sweep(showId, limits);
    expect(swept.ended.map((e) => e.userId)).toEqual([holder]);
    clock.advance(15_000);
    const ended = await store.sweep(showId, limits);
    expect(ended.ended.map((e) => [e.userId, e.reason, e.admissionId]).sort()).toEqual(
      [[waiter, 'expired', a.entry.admissionId], [offered, 'expired', b.entry.admissionId]].sort(),
    );
  });

  it('when an admitted and a waiting account are both unseen past the admitted grace, then only the admitted one is removed; the waiter goes at the queue grace', async () => {
    const limits: QueueLimits = { capacity: 1, windowMs: 600_000, graceMs: 120_000, admittedGraceMs: 30_000 };
    const showId = randomUUID();
    const [admitted, waiter, next] = [randomUUID(), randomUUID(), randomUUID()];
    clock.set(Date.parse('2030-03-01T00:00:00Z'));
    await store.join(showId, admitted, limits);
    await store.join(showId, waiter, limits);
    clock.advance(1_000);
    await store.join(showId, next, limits);

    clock.advance(30_001); // admitted and waiter unseen for 31 s, next for 30 s
    const first = await store.sweep(showId, limits);
    expect(first.ended.map((e) => [e.userId, e.reason, e.wasAdmitted])).toEqual([[admitted, 'removed', true]]);
    expect(first.admitted.map((a) => a.userId)).toEqual([waiter]);

    // Unseen for 31 s as a waiter, the newly admitted still has the admitted grace from its admission.
    clock.advance(29_999);
    expect((await store.sweep(showId, limits)).ended).toEqual([]);
    await store.touch(showId, [waiter]);
    clock.advance(59_000); // next unseen for 119 s: within the queue grace
    await store.touch(showId, [waiter]);
    expect((await store.sweep(showId, limits)).ended).toEqual([]);
    clock.advance(1_001); // next unseen for 120.001 s
    expect((await store.sweep(showId, limits)).ended).toEqual([{ userId: next, reason: 'removed', wasAdmitted: false }]);
  });

  it('keeps how a place ended for an hour on the line\'s clock, the newest note replacing the older', async () => {
    const showId = randomUUID();
    const [u, other] = [randomUUID(), randomUUID()];
    const t0 = Date.parse('2030-04-01T00:00:00Z');
    clock.set(t0);
    expect(await store.lastEnd(showId, u)).toBeNull();
    await store.noteEnds(showId, [{ userId: u, reason: 'removed' }, { userId: other, reason: 'sold_out' }]);
    clock.advance(1_000);
    await store.noteEnds(showId, [{ userId: u, reason: 'expired' }]);
    expect(await store.lastEnd(showId, u)).toEqual({ reason: 'expired', at: t0 + 1_000 });
    expect(await store.lastEnd(showId, other)).toEqual({ reason: 'sold_out', at: t0 });
    clock.set(t0 + 60 * 60_000 + 1);
    expect(await store.lastEnd(showId, other)).toBeNull();
    expect(await store.lastEnd(showId, u)).toEqual({ reason: 'expired', at: t0 + 1_000 });
  });

  it('puts a draw in line once and in order, by position: repeated, overlapping, early and missing chunks', async () => {
    const limits: QueueLimits = { capacity: 2, windowMs: 60_000, graceMs: 20_000, admittedGraceMs: 20_000 };
    const showId = randomUUID();
    clock.set(Date.parse('2030-03-01T00:00:00Z'));
    const drawn = Array.from({ length: 7 }, () => randomUUID());
    // A chunk after a missing one takes nothing and says where to go back to.
    expect((await store.putDrawn(showId, 3, drawn.slice(3, 6), limits)).next).toBe(0);
    const first = await store.putDrawn(showId, 0, drawn.slice(0, 3), limits);
    expect(first.next).toBe(3);
    expect(first.changes.admitted.map((a) => a.userId)).toEqual(drawn.slice(0, 2));
    // The same chunk again (another instance, or a retry) takes nothing.
    expect(await store.putDrawn(showId, 0, drawn.slice(0, 3), limits)).toEqual({ next: 3, changes: { admitted: [], ended: [] } });
    // A drawn account that leaves is not put back by a late copy of its chunk.
    await store.leave(showId, drawn[2]!, 'left', limits);
    expect((await store.putDrawn(showId, 0, drawn.slice(0, 3), limits)).next).toBe(3);
    // A chunk that overlaps what is taken takes only the rest.
    expect((await store.putDrawn(showId, 2, drawn.slice(2, 7), limits)).next).toBe(7);
    const late = randomUUID();
    await store.join(showId, late, limits);
    const places = await store.places(showId, [...drawn, late], 2);
    expect(places.map((p) => (p.state === 'waiting' ? p.position : p.state))).toEqual(['admitted', 'admitted', 'none', 1, 2, 3, 4, 5]);
  });
});
