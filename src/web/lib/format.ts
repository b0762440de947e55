/** Display formatting: money, dates in the visitor's local time, durations. */

const LOCALE = 'en-US';

/** Currencies whose smallest unit in practice is the whole unit (TWD prices are whole dollars). */
const WHOLE_UNIT_CURRENCIES = new Set(['TWD', 'JPY', 'KRW', 'VND', 'CLP', 'ISK', 'HUF']);

const moneyFormats = new Map<string, Intl.NumberFormat>();

/** `amount` is an integer in the smallest unit of `currency`: formatMoney(3000, 'TWD') → "NT$3,000". */
export function formatMoney(amount: number, currency = 'TWD'): string {
  const cur = currency.toUpperCase();
  const whole = WHOLE_UNIT_CURRENCIES.has(cur);
  let f = moneyFormats.get(cur);
  if (!f) {
    try {
      f = new Intl.NumberFormat(LOCALE, {
        style: 'currency',
        currency: cur,
        ...(whole ? { minimumFractionDigits: 0, maximumFractionDigits: 0 } : {}),
      });
    } catch {
      f = new Intl.NumberFormat(LOCALE, { maximumFractionDigits: 2 });
    }
    moneyFormats.set(cur, f);
  }
  return f.format(whole ? amount : amount / 100);
}

const dateTime = new Intl.DateTimeFormat(LOCALE, {
  weekday: 'short',
  year: 'numeric',
  month: 'short',
  day: 'numeric',
  hour: 'numeric',
  minute: '2-digit',
});
const dateOnly = new Intl.DateTimeFormat(LOCALE, { weekday: 'short', year: 'numeric', month: 'short', day: 'numeric' });
const timeOnly = new Intl.DateTimeFormat(LOCALE, { hour: 'numeric', minute: '2-digit' });
const monthShort = new Intl.DateTimeFormat(LOCALE, { month: 'short' });

export const formatDateTime = (iso: string): string => dateTime.format(new Date(iso));
export const formatDate = (iso: string): string => dateOnly.format(new Date(iso));
export const formatTime = (iso: string): string => timeOnly.format(new Date(iso));

/** Parts for a calendar-style date chip: { month: "MAR", day: "14" }. */
export function dateChip(iso: string): { month: string; day: string } {
  const d = new Date(iso);
  return { month: monthShort.format(d).toUpperCase(), day: String(d.getDate()) };
}

/** A countdown clock: 75 → "1:15", 3725 → "1:02:05". Never negative. */
export function formatClock(totalSeconds: number): string {
  const s = Math.max(0, Math.ceil(totalSeconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  const mm = h > 0 ? String(m).padStart(2, '0') : String(m);
  return `${h > 0 ? `${h}:` : ''}${mm}:${String(sec).padStart(2, '0')}`;
}

/** A duration in words, rounded for people: 600 → "10 minutes", 45 → "45 seconds", 5400 → "1 hour 30 minutes". */
export function formatDurationWords(totalSeconds: number): string {
  const s = Math.max(0, Math.round(totalSeconds));
  if (s < 60) return `${s} second${s === 1 ? '' : 's'}`;
  const minutes = Math.round(s / 60);
  if (minutes < 60) return `${minutes} minute${minutes === 1 ? '' : 's'}`;
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return `${h} hour${h === 1 ? '' : 's'}${m ? ` ${m} minute${m === 1 ? '' : 's'}` : ''}`;
}

/** A rough wait for people: "about 3 minutes", "under a minute". */
export function formatApproxWait(totalSeconds: number): string {
  const s = Math.max(0, totalSeconds);
  if (s < 60) return 'under a minute';
  return `about ${formatDurationWords(s)}`;
}

export const plural = (n: number, one: string, many = `${one}s`): string => `${n.toLocaleString(LOCALE)} ${n === 1 ? one : many}`;

export const formatCount = (n: number): string => n.toLocaleString(LOCALE);
