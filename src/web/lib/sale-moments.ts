/**
 * A show's status moves on by the clock alone (scheduled -> queue_open at queueOpensAt -> on_sale
 * at onSaleAt -> ended at startsAt). A page showing it reads the show again at each moment, on the
 * server's clock, so it never says "not on sale yet" after the sale opened.
 */
import { useEffect } from 'react';
import type { ShowStatus, ShowSummary } from '../../shared/api.js';
import { msUntil } from './server-clock.js';

type Moments = Pick<ShowSummary, 'status' | 'queueOpensAt' | 'onSaleAt' | 'startsAt'>;

/** The moment at which `show.status` changes next by the clock (undefined: none coming). */
export function nextMoment(show: Moments): { at: string; becomes: ShowStatus } | undefined {
  if (show.status === 'scheduled') {
    return show.queueOpensAt < show.onSaleAt ? { at: show.queueOpensAt, becomes: 'queue_open' } : { at: show.onSaleAt, becomes: 'on_sale' };
  }
  if (show.status === 'queue_open') return { at: show.onSaleAt, becomes: 'on_sale' };
  if (show.status === 'on_sale' || show.status === 'sold_out') return { at: show.startsAt, becomes: 'ended' };
  return undefined;
}

/** Longest single wait (setTimeout's limit is about 24.8 days; the clock estimate may improve meanwhile). */
const MAX_WAIT_MS = 6 * 3_600_000;
/** Past the moment but the copy still says otherwise (this clock runs a little early): ask again after this. */
const RETRY_MS = 1_000;

/** Calls `reload` at the show's next moment (server clock), and again while the answer lags behind it. */
export function useReloadAtMoments(show: Moments | undefined, reload: () => void): void {
  const next = show ? nextMoment(show) : undefined;
  const at = next?.at;
  const status = show?.status;
  useEffect(() => {
    if (!at) return;
    const left = msUntil(at);
    // A little after the moment, so the server (whose copy turns exactly then) has moved on.
    const t = setTimeout(reload, left <= 0 ? RETRY_MS : Math.min(left + 150, MAX_WAIT_MS));
    return () => clearTimeout(t);
    // Every answer (a new `show` object per load), not only a changed status: an answer that did not
    // move on yet (a copy made just before the moment) must schedule the retry again, or the page stays.
  }, [show, at, status, reload]);
}
