/**
 * An estimate of the server's clock, so countdowns to server timestamps (`expiresAt`)
 * stay right on a device whose clock is off. Socket events carry a millisecond `at`;
 * HTTP responses carry a `Date` header with one-second resolution, used until a better sample exists.
 */
let offsetMs = 0;
let precise = false;

/** Records a server timestamp read just now (from a socket event's `at`). */
export function noteServerTime(iso: string | undefined): void {
  if (!iso) return;
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return;
  offsetMs = t - Date.now();
  precise = true;
}

/** Records an HTTP `Date` header; only trusted while no precise sample exists and when clearly off. */
export function noteServerDate(header: string | null): void {
  if (precise || !header) return;
  const t = Date.parse(header);
  if (Number.isNaN(t)) return;
  const sample = t + 500 - Date.now(); // the header truncates to the second
  offsetMs = Math.abs(sample) > 1500 ? sample : 0;
}

/** The server's "now", in epoch milliseconds. */
export const serverNow = (): number => Date.now() + offsetMs;

/** Milliseconds from now until a server timestamp (negative once passed). */
export const msUntil = (iso: string): number => Date.parse(iso) - serverNow();

/** The local Date.now() value at which the server's clock read `iso`. */
export const toLocalMs = (iso: string): number => Date.parse(iso) - offsetMs;
