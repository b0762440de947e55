import type { ShowDetail } from '../../../shared/api.js';
import type { Clock } from '../../platform/clock.js';

export interface ShowPagesOptions {
  /** The oldest copy ever served (ms). Holds run out and sales open by the clock alone, with no change to hear. */
  maxAgeMs?: number;
  /** A changed show is computed again at most this often (ms): a busy sale changes seats hundreds of times a second. */
  minRefreshMs?: number;
  /** Shows kept; the least recently computed goes first. */
  maxEntries?: number;
}

interface Entry {
  /** `{"show":…}`, serialized once for every reader. */
  body: string;
  computedAt: number;
  /** The first moment the show's status changes by the clock alone (sale opens, show starts). */
  turnsAt: number;
  /** A change was heard after this copy began to be computed. */
  stale: boolean;
}

/** The times at which a show's status moves on without any write (fields of ShowDetail, when present). */
const TURNING_POINTS = ['queueOpensAt', 'onSaleAt', 'startsAt'] as const;
function firstTurnAfter(show: ShowDetail, t: number): number {
  let first = Infinity;
  for (const k of TURNING_POINTS) {
    const v = (show as unknown as Record<string, unknown>)[k];
    const at = typeof v === 'string' ? Date.parse(v) : NaN;
    if (at > t && at < first) first = at;
  }
  return first;
}

/**
 * GET /api/shows/:showId from memory: what every fan reloads at the on-sale. A copy is served
 * while it is younger than `maxAgeMs` and no change of the show has been heard since it was read
 * (seat changes and admin edits, from this instance or, through `changed`, from the others). A
 * changed show is read again on the next request, but not more often than every `minRefreshMs`,
 * so the page trails the seats by at most that much, and is never older than `maxAgeMs`. The
 * status turns on time: a copy is not served past the sale's opening or the show's start.
 * Concurrent readers of a missing copy share one database read.
 */
export class ShowPages {
  private readonly entries = new Map<string, Entry>();
  private readonly loading = new Map<string, Promise<string>>();
  /** Bumped by every change: a read that began before a change must not pass for fresh after it. */
  private readonly generation = new Map<string, number>();
  private readonly maxAgeMs: number;
  private readonly minRefreshMs: number;
  private readonly maxEntries: number;

  constructor(
    private readonly load: (showId: string) => Promise<ShowDetail>,
    private readonly clock: Clock,
    o: ShowPagesOptions = {},
  ) {
    this.maxAgeMs = o.maxAgeMs ?? 1_000;
    this.minRefreshMs = Math.min(o.minRefreshMs ?? 100, this.maxAgeMs);
    this.maxEntries = o.maxEntries ?? 10_000;
  }

  /** The page's JSON body. Rejects like the catalogue does (NOT_FOUND for an unknown show). */
  get(showId: string): Promise<string> {
    const e = this.entries.get(showId);
    if (e) {
      const now = this.clock.now();
      const age = now - e.computedAt;
      if (age >= 0 && age < (e.stale ? this.minRefreshMs : this.maxAgeMs) && now < e.turnsAt) return Promise.resolve(e.body);
    }
    return this.loading.get(showId) ?? this.refresh(showId);
  }

  /** Shows whose seats or rules changed (here or on another instance). */
  changed(showIds: Iterable<string>): void {
    for (const id of showIds) {
      this.generation.set(id, (this.generation.get(id) ?? 0) + 1);
      const e = this.entries.get(id);
      if (e) e.stale = true;
      // A read in flight began before the change: the next reader must not join it.
      this.loading.delete(id);
    }
  }

  /** Every show at once (an admin edit of an event or venue touches several). */
  changedAll(): void {
    this.changed([...new Set([...this.entries.keys(), ...this.loading.keys()])]);
  }

  private refresh(showId: string): Promise<string> {
    const generation = this.generation.get(showId) ?? 0;
    const startedAt = this.clock.now();
    const p = this.load(showId)
      .then((show) => {
        const body = JSON.stringify({ show });
        const current = this.entries.get(showId);
        // An older read finishing after a newer one must not replace it.
        if (!current || current.computedAt <= startedAt) {
          this.entries.delete(showId); // re-inserted last: the map's order is the eviction order
          this.entries.set(showId, {
            body,
            computedAt: startedAt,
            turnsAt: firstTurnAfter(show, startedAt),
            stale: (this.generation.get(showId) ?? 0) !== generation,
          });
          while (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
        }
        return body;
      })
      .finally(() => {
        if (this.loading.get(showId) === p) this.loading.delete(showId);
      });
    this.loading.set(showId, p);
    return p;
  }
}
