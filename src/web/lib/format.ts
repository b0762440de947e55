/** Display formatting: money, dates on the venue's clock, clocks (durations in words: i18n/durations.ts). */

/** The Intl locale of every format here: the web app's language (i18n/index.ts sets it). */
let LOCALE = 'en-US';

/** Currencies whose smallest unit in practice is the whole unit (TWD prices are whole dollars). */
const WHOLE_UNIT_CURRENCIES = new Set(['TWD', 'JPY', 'KRW', 'VND', 'CLP', 'ISK', 'HUF']);

const moneyFormats = new Map<string, Intl.NumberFormat>();
const dateFormats = new Map<string, Intl.DateTimeFormat>();

/** Formats from now on in `locale` ("en-US", "zh-TW"); the zone stays the venue's. */
export function setFormatLocale(locale: string): void {
  if (locale === LOCALE) return;
  LOCALE = locale;
  moneyFormats.clear();
  dateFormats.clear();
}

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

/**
 * Dates and times are shown on the venue's clock, labelled with its zone ("19:30 GMT+8"), never in
 * the zone of whoever reads them: a fan abroad and the organizer see the time printed on the poster.
 * `timeZone` is the venue's IANA zone; undefined (a time with no venue) is the browser's own zone,
 * still labelled.
 */
type Style = 'dateTime' | 'date' | 'shortDate' | 'time' | 'month' | 'day';
const STYLES: Record<Style, Intl.DateTimeFormatOptions> = {
  dateTime: { weekday: 'short', year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZoneName: 'short' },
  date: { weekday: 'short', year: 'numeric', month: 'short', day: 'numeric' },
  shortDate: { month: 'short', day: 'numeric' },
  time: { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZoneName: 'short' },
  month: { month: 'short' },
  day: { day: 'numeric' },
};

function dateFormat(style: Style, timeZone: string | undefined): Intl.DateTimeFormat {
  const key = `${style} ${timeZone ?? ''}`;
  let f = dateFormats.get(key);
  if (!f) {
    try {
      f = new Intl.DateTimeFormat(LOCALE, { ...STYLES[style], timeZone });
    } catch {
      // A zone this browser does not know: its own zone, which the label then names.
      f = new Intl.DateTimeFormat(LOCALE, STYLES[style]);
    }
    dateFormats.set(key, f);
  }
  return f;
}

/** "Thu, Mar 14, 2030, 19:30 GMT+8" */
export const formatDateTime = (iso: string, timeZone: string | undefined): string => dateFormat('dateTime', timeZone).format(new Date(iso));
/** "Thu, Mar 14, 2030" (the day on the venue's calendar) */
export const formatDate = (iso: string, timeZone: string | undefined): string => dateFormat('date', timeZone).format(new Date(iso));
/** "Mar 14" */
export const formatShortDate = (iso: string, timeZone: string | undefined): string => dateFormat('shortDate', timeZone).format(new Date(iso));
/** "19:30 GMT+8" */
export const formatTime = (iso: string, timeZone: string | undefined): string => dateFormat('time', timeZone).format(new Date(iso));

/** Parts for a calendar-style date chip, on the venue's calendar: { month: "MAR", day: "14" }. */
export function dateChip(iso: string, timeZone: string | undefined): { month: string; day: string } {
  const d = new Date(iso);
  return { month: dateFormat('month', timeZone).format(d).toUpperCase(), day: dateFormat('day', timeZone).format(d) };
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

export const formatCount = (n: number): string => n.toLocaleString(LOCALE);

/** A number short enough to read at a glance: 950, 1.2K, 3.5M in English. */
export const formatCompact = (n: number): string => new Intl.NumberFormat(LOCALE, { notation: 'compact', maximumFractionDigits: 1 }).format(n);
