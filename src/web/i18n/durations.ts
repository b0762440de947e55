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
