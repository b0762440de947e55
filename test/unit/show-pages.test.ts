import { describe, expect, it } from 'vitest';
import type { ShowDetail } from '../../src/shared/api.js';
import { ManualClock } from '../../src/server/platform/clock.js';
import { ShowPages } from '../../src/server/modules/catalogue/show-pages.js';

/** A show "database" whose reads the test releases by hand, to hold a read open across a change. */
function source() {
  let available = 10;
  const reads: { resolve: () => void }[] = [];
  let manual = false;
  const load = (id: string) => {
    const snapshot = { id, areas: [{ availableCount: available }] } as unknown as ShowDetail;
    if (!manual) return Promise.resolve(snapshot);
    return new Promise<ShowDetail>((resolve) => reads.push({ resolve: () => resolve(snapshot) }));
  };
  return {
    load,
    reads,
    set: (n: number) => (available = n),
    hold: () => (manual = true),
  };
}
const availableIn = (body: string) => (JSON.parse(body) as { show: { areas: { availableCount: number }[] } }).show.areas[0]!.availableCount;
const ID = '0b7b5a4e-0000-4000-8000-000000000001';

describe('show pages in memory', () => {
  it('when nothing changed, then the copy is served until it is maxAgeMs old and read again after', async () => {
    const clock = new ManualClock();
    const db = source();
    const pages = new ShowPages(db.load, clock, { maxAgeMs: 1_000 });
    expect(availableIn(await pages.get(ID))).toBe(10);
    db.set(7); // behind the cache's back: no change heard
    clock.advance(999);
    expect(availableIn(await pages.get(ID))).toBe(10);
    clock.advance(1);
    expect(availableIn(await pages.get(ID))).toBe(7);
  });

  it('when a change is heard, then the next read after minRefreshMs reflects it, long before maxAgeMs', async () => {
    const clock = new ManualClock();
    const db = source();
    const pages = new ShowPages(db.load, clock, { maxAgeMs: 60_000, minRefreshMs: 100 });
    await pages.get(ID);
    clock.advance(200);
    db.set(9);
    pages.changed([ID]);
    expect(availableIn(await pages.get(ID))).toBe(9);
  });

  it('when changes come faster than minRefreshMs, then the copy trails by at most minRefreshMs', async () => {
    const clock = new ManualClock();
    const db = source();
    const pages = new ShowPages(db.load, clock, { maxAgeMs: 60_000, minRefreshMs: 100 });
    await pages.get(ID);
    db.set(9);
    pages.changed([ID]);
    clock.advance(50);
    expect(availableIn(await pages.get(ID))).toBe(10);
    clock.advance(50);
    expect(availableIn(await pages.get(ID))).toBe(9);
  });

  it('when a change lands while a read is in flight, then that read is not kept as fresh and later readers do not join it', async () => {
    const clock = new ManualClock();
    const db = source();
    const pages = new ShowPages(db.load, clock, { maxAgeMs: 60_000, minRefreshMs: 100 });
    db.hold();
    const first = pages.get(ID); // reads 10
    db.set(9);
    pages.changed([ID]); // the seat change committed after that read began
    const second = pages.get(ID); // must read again, not share the first read
    expect(db.reads).toHaveLength(2);
    db.reads[0]!.resolve();
    db.reads[1]!.resolve();
    expect(availableIn(await first)).toBe(10);
    expect(availableIn(await second)).toBe(9);
    clock.advance(100);
    expect(availableIn(await pages.get(ID))).toBe(9);
    expect(db.reads).toHaveLength(2);
  });

  it('when an older read finishes after a newer one, then the newer copy stays', async () => {
    const clock = new ManualClock();
    const db = source();
    const pages = new ShowPages(db.load, clock, { maxAgeMs: 60_000, minRefreshMs: 100 });
    db.hold();
    const first = pages.get(ID);
    db.set(9);
    pages.changed([ID]);
    clock.advance(10);
    const second = pages.get(ID);
    db.reads[1]!.resolve();
    await second;
    db.reads[0]!.resolve();
    await first;
    clock.advance(200);
    // The newer copy is fresh (no change since it began): served without another read.
    expect(availableIn(await pages.get(ID))).toBe(9);
    expect(db.reads).toHaveLength(2);
  });

  it('when many read a missing page at once, then one read serves them all', async () => {
    const clock = new ManualClock();
    let calls = 0;
    const pages = new ShowPages(async (id) => (calls++, { id } as unknown as ShowDetail), clock);
    await Promise.all(Array.from({ length: 50 }, () => pages.get(ID)));
    expect(calls).toBe(1);
  });
});

describe('show pages and the clock', () => {
  it('when the sale opens or the show starts, then a copy from before is not served past that moment', async () => {
    const clock = new ManualClock();
    const onSaleAt = clock.now() + 300;
    const startsAt = clock.now() + 600;
    let reads = 0;
    const pages = new ShowPages(async (id) => (reads++, { id, onSaleAt: new Date(onSaleAt).toISOString(), startsAt: new Date(startsAt).toISOString() } as unknown as ShowDetail), clock, {
      maxAgeMs: 60_000,
    });
    await pages.get(ID);
    clock.set(onSaleAt - 1);
    await pages.get(ID);
    expect(reads).toBe(1);
    clock.set(onSaleAt);
    await pages.get(ID);
    expect(reads).toBe(2);
    clock.set(startsAt);
    await pages.get(ID);
    expect(reads).toBe(3);
  });
});
