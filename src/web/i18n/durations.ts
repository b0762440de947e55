import type { TFunction } from 'i18next';

/** A duration in words, in the reader's language, rounded for people: 600 → "10 minutes", 5400 → "1 hour 30 minutes". */
export function durationWords(t: TFunction, totalSeconds: number): string {
  const s = Math.max(0, Math.round(totalSeconds));
  if (s < 60) return t('duration.seconds', { count: s });
  const minutes = Math.round(s / 60);
  if (minutes < 60) return t('duration.minutes', { count: minutes });
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return m ? `${t('duration.hours', { count: h })} ${t('duration.minutes', { count: m })}` : t('duration.hours', { count: h });
}

/** A rough wait for people: "about 3 minutes", "under a minute". */
export function approxWait(t: TFunction, totalSeconds: number): string {
  const s = Math.max(0, totalSeconds);
  if (s < 60) return t('wait.underMinute');
  return t('wait.about', { duration: durationWords(t, s) });
}

/**
 * A wait as honest as its two estimates: the likely one (from the pace so far) and the worst case
 * (everyone ahead uses their full time). "about 2–10 minutes" when they differ, "about 3 minutes"
 * when they agree, "under a minute" near the front.
 */
export function waitRange(t: TFunction, likelySeconds: number | undefined, worstSeconds: number): string {
  const hi = Math.max(0, worstSeconds);
  const lo = Math.min(hi, Math.max(0, likelySeconds ?? hi));
  if (hi < 60) return t('wait.underMinute');
  const loM = Math.max(1, Math.round(lo / 60));
  const hiM = Math.max(loM, Math.ceil(hi / 60));
  if (hiM - loM <= Math.max(1, loM * 0.25)) return approxWait(t, hi);
  if (lo < 60 && hiM < 60) return t('wait.underMinuteTo', { count: hiM });
  if (hiM < 60) return t('wait.minutesRange', { lo: loM, hi: hiM });
  return t('wait.range', { lo: lo < 60 ? t('wait.aMinute') : durationWords(t, lo), hi: durationWords(t, hi) });
}
