/** The seed's 10-second buffer added to every estimate. */
export const ETA_BUFFER_SECONDS = 10;

/**
 * The original TicketClub's estimate (docs/api.md): the waiter at `position` waits for the window of the
 * admitted account at index (q mod C), one full window per lap of the page, plus a buffer.
 * `refAdmittedAt` is that account's admission time, or null when it does not exist (counts as now).
 */
export function etaSeconds(p: {
  position: number;
  capacity: number;
  windowSeconds: number;
  refAdmittedAt: number | null;
  now: number;
}): number {
  const q = p.position - 1;
  const laps = Math.floor(q / p.capacity) + 1;
  const t = p.refAdmittedAt ?? p.now;
  const remainingMs = t + p.windowSeconds * 1000 * laps - p.now;
  return Math.max(0, Math.floor(remainingMs / 1000)) + ETA_BUFFER_SECONDS;
}

/**
 * An estimate from what actually happens: the line moves at the observed admission rate
 * (admissions from the line per second over the recent past). Never above the worst case.
 */
export function etaLikelySeconds(p: { position: number; admissionsPerSecond: number; worstCase: number }): number {
  if (p.admissionsPerSecond <= 0) return p.worstCase;
  const estimate = Math.ceil(p.position / p.admissionsPerSecond) + ETA_BUFFER_SECONDS;
  return Math.min(p.worstCase, estimate);
}
