/**
 * What the buying page must remember across a refresh that the server cannot tell it:
 * why this tab's turn ended (so a refresh shows the explanation instead of silently
 * re-joining), and the first place in line (for the progress bar).
 * Tab-scoped (sessionStorage) and never trusted for anything the server decides.
 */
import type { EndReason } from '../../shared/realtime.js';

/** How a turn ended: as the server says, or refused before it began. */
export type EndedReason = EndReason | 'not_admitted';

const REASONS: readonly EndedReason[] = ['purchased', 'expired', 'left', 'removed', 'sold_out', 'not_admitted'];

function get(key: string): string | null {
  try {
    return sessionStorage.getItem(key);
  } catch {
    return null;
  }
}
function set(key: string, value: string | null): void {
  try {
    if (value === null) sessionStorage.removeItem(key);
    else sessionStorage.setItem(key, value);
  } catch {
    // Private mode or full storage: the page still works, it just forgets on refresh.
  }
}

export const endedMemory = {
  get(showId: string): EndedReason | null {
    const v = get(`tc:ended:${showId}`);
    return v && (REASONS as readonly string[]).includes(v) ? (v as EndedReason) : null;
  },
  set: (showId: string, reason: EndedReason) => set(`tc:ended:${showId}`, reason),
  clear: (showId: string) => set(`tc:ended:${showId}`, null),
};

export const firstPlaceMemory = {
  get(showId: string): number | null {
    const n = Number(get(`tc:first-place:${showId}`));
    return Number.isInteger(n) && n > 0 ? n : null;
  },
  set: (showId: string, position: number) => set(`tc:first-place:${showId}`, String(position)),
  clear: (showId: string) => set(`tc:first-place:${showId}`, null),
};
