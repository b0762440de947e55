import type { LineTick } from './queue-store.js';

interface Followed {
  userId: string;
  ticket: number;
  position: number;
  /** The line log's mark this position is exact at. */
  mark: number;
  /** Unfollowed (or followed again with a newer place): skipped, then dropped. */
  dropped: boolean;
}

/** What one tick did: every followed waiter's exact place now, and those whose ticket left the line. */
export interface TickResult {
  /** The follower's own records, valid until the next tick (no copy per waiter per tick). */
  places: readonly { readonly userId: string; readonly position: number }[];
  /** Left the line (admitted, left, removed), or the log no longer reaches back far enough: read again. */
  lost: string[];
}

/**
 * One instance's view of one show's line: the join ticket and place of each waiter it serves, kept
 * exact by the line log (QueueStore.lineTick) instead of reading every waiter's place again.
 *
 * Tickets only join at the back, so between two marks a waiter's place falls by the number of
 * tickets below its own that left; if its own ticket left, its place is no longer in the line.
 * A tick sorts the tickets that left (E of them) and walks them beside the followed waiters, which
 * are kept sorted by ticket: O(W + E log E) per tick, whatever the number of admissions in it.
 *
 * A place read while a tick is on its way is exact at its own mark: it waits in `pending` for the
 * next tick, which reads the log from the oldest mark it needs.
 */
export class LineFollower {
  private mark: number | null = null;
  /** Exact at `mark`, sorted by ticket. */
  private synced: Followed[] = [];
  /** Exact at their own marks: applied, then merged in, by the next tick. */
  private pending: Followed[] = [];
  /** Taken by the tick under way (begin → apply). */
  private inTick: Followed[] = [];
  private readonly byUser = new Map<string, Followed>();

  get size(): number {
    return this.byUser.size;
  }

  has(userId: string): boolean {
    return this.byUser.has(userId);
  }

  /** Follows a waiter from a place read from the store (replacing what was followed before). */
  follow(userId: string, place: { ticket: number; position: number; mark: number }): void {
    this.unfollow(userId);
    const f: Followed = { userId, ticket: place.ticket, position: place.position, mark: place.mark, dropped: false };
    this.byUser.set(userId, f);
    this.pending.push(f);
  }

  unfollow(userId: string): void {
    const f = this.byUser.get(userId);
    if (!f) return;
    f.dropped = true;
    this.byUser.delete(userId);
  }

  /**
   * Starts a tick: the mark to read the log from (null: nobody to follow). Places followed from
   * now on wait for the next tick.
   */
  begin(): number | null {
    this.inTick = this.pending.filter((f) => !f.dropped);
    this.pending = [];
    let since = this.synced.length > 0 ? this.mark : null;
    for (const f of this.inTick) since = since === null ? f.mark : Math.min(since, f.mark);
    return since;
  }

  /** Applies the log read from `since` (the mark begin returned). */
  apply(since: number, tick: LineTick): TickResult {
    const taken = this.inTick;
    this.inTick = [];
    const lost: string[] = [];
    const loseAll = (fs: Followed[]) => {
      for (const f of fs) {
        if (f.dropped) continue;
        f.dropped = true;
        this.byUser.delete(f.userId);
        lost.push(f.userId);
      }
    };
    if (tick.gone === null) {
      loseAll(this.synced);
      loseAll(taken);
      this.synced = [];
      this.mark = null;
      return { places: [], lost };
    }
    const gone = tick.gone;
    /** The tickets that left from absolute mark `from` on, sorted. */
    const cache = new Map<number, Float64Array>();
    const goneFrom = (from: number): Float64Array => {
      let g = cache.get(from);
      if (!g) cache.set(from, (g = Float64Array.from(gone.slice(from - since)).sort()));
      return g;
    };

    const kept: Followed[] = [];
    if (this.synced.length > 0 && this.mark !== null) {
      const g = goneFrom(this.mark);
      let j = 0;
      for (const f of this.synced) {
        if (f.dropped) continue;
        while (j < g.length && g[j]! < f.ticket) j++;
        if (j < g.length && g[j] === f.ticket) {
          loseAll([f]);
          continue;
        }
        f.position -= j;
        f.mark = tick.mark;
        kept.push(f);
      }
    }
    const joining: Followed[] = [];
    for (const f of taken) {
      if (f.dropped) continue;
      if (f.mark > tick.mark) {
        // Read after this tick's log (a store that answers out of order): the next tick applies it.
        this.pending.push(f);
        continue;
      }
      const g = goneFrom(f.mark);
      const below = lowerBound(g, f.ticket);
      if (below < g.length && g[below] === f.ticket) {
        loseAll([f]);
        continue;
      }
      f.position -= below;
      f.mark = tick.mark;
      joining.push(f);
    }
    joining.sort((a, b) => a.ticket - b.ticket);
    this.synced = merge(kept, joining);
    this.mark = tick.mark;
    return { places: this.synced, lost };
  }
}

function lowerBound(xs: Float64Array, x: number): number {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (xs[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function merge(a: Followed[], b: Followed[]): Followed[] {
  if (b.length === 0) return a;
  const out: Followed[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (j >= b.length || (i < a.length && a[i]!.ticket < b[j]!.ticket)) out.push(a[i++]!);
    else out.push(b[j++]!);
  }
  return out;
}
