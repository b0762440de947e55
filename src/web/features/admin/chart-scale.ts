/** The value axis of the dashboard's charts: round ticks from 0. Pure, unit-tested. */

/**
 * Ticks from 0 up to at least `max`, about `count` steps of a round size (1, 2, 2.5 or 5 × 10^k;
 * whole numbers only when `integer`, for counts of people and tickets): 0, 500, 1,000, 1,500.
 */
export function niceTicks(max: number, { count = 4, integer = true }: { count?: number; integer?: boolean } = {}): number[] {
  const top = Number.isFinite(max) && max > 0 ? max : integer ? 1 : 1;
  const raw = top / count;
  const exp = 10 ** Math.floor(Math.log10(raw));
  const steps = [1, 2, 2.5, 5, 10].map((m) => m * exp).filter((s) => !integer || (s >= 1 && Number.isInteger(s)));
  const step = steps.find((s) => s >= raw - 1e-9 * raw) ?? (integer ? Math.max(1, Math.ceil(raw)) : raw);
  const n = Math.max(1, Math.ceil(top / step - 1e-9));
  return Array.from({ length: n + 1 }, (_, i) => Number((i * step).toPrecision(12)));
}
