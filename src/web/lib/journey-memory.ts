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
  /** The furthest progress shown for this place: a bar that went forward never goes back (a refresh, a late status). */
  progress(showId: string, computed: number): number {
    const shown = Math.max(computed, Number(get(`tc:progress:${showId}`)) || 0);
    set(`tc:progress:${showId}`, String(shown));
    return shown;
  },
  clear: (showId: string) => {
    set(`tc:first-place:${showId}`, null);
    set(`tc:progress:${showId}`, null);
  },
};

/** A running admission, so any page can offer to resume it (checked with the server before it is shown). */
export interface RememberedAdmission {
  showId: string;
  title: string;
  expiresAt: string;
}
const ADMISSION_KEY = 'tc:admission';
export const admissionMemory = {
  get(): RememberedAdmission | null {
    try {
      const v = JSON.parse(localStorage.getItem(ADMISSION_KEY) ?? 'null') as Partial<RememberedAdmission> | null;
      return v && typeof v.showId === 'string' && typeof v.title === 'string' && typeof v.expiresAt === 'string'
        ? { showId: v.showId, title: v.title, expiresAt: v.expiresAt }
        : null;
    } catch {
      return null;
    }
  },
  set(a: RememberedAdmission): void {
    try {
      localStorage.setItem(ADMISSION_KEY, JSON.stringify(a));
    } catch {
      // Private mode: no resume bar, the buying page still works.
    }
  },
  /** Forgets it (only if it is of `showId`, when given). */
  clear(showId?: string): void {
    try {
      if (showId === undefined || admissionMemory.get()?.showId === showId) localStorage.removeItem(ADMISSION_KEY);
    } catch {
      // As above.
    }
  },
};
