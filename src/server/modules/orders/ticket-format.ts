/** How tickets read to people, in the PDF and in emails: the venue's clock with its zone, money via Intl, in the buyer's language. */
import type { Locale } from '../../../shared/api.js';

/** The Intl locale each language formats dates and money with (as the web app does). */
const INTL_LOCALE: Record<Locale, string> = { en: 'en-US', 'zh-TW': 'zh-TW' };

/** "Thu, Mar 14, 2030, 19:30 GMT+8 (Asia/Taipei)": the venue's wall clock, labelled. */
export function showTime(at: Date, timeZone: string, locale: Locale = 'en'): string {
  return `${dateFormat(locale, timeZone).format(at)} (${timeZone})`;
}

/**
 * Intl formatters are costly to make (a PDF and its email made several per order) and are
 * immutable: one per language and zone (or currency), kept. There are few of either.
 */
const formats = new Map<string, Intl.DateTimeFormat | Intl.NumberFormat>();
function kept<T extends Intl.DateTimeFormat | Intl.NumberFormat>(key: string, make: () => T): T {
  let f = formats.get(key) as T | undefined;
  if (!f) formats.set(key, (f = make()));
  return f;
}

const dateFormat = (locale: Locale, timeZone: string): Intl.DateTimeFormat =>
  kept(`date ${locale} ${timeZone}`, () => new Intl.DateTimeFormat(INTL_LOCALE[locale], {
    weekday: 'short',
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    timeZoneName: 'short',
    timeZone,
  }));

/** Currencies whose smallest unit in practice is the whole unit (TWD prices are whole dollars), as the web app reads them. */
const WHOLE_UNIT_CURRENCIES = new Set(['TWD', 'JPY', 'KRW', 'VND', 'CLP', 'ISK', 'HUF']);

/** An integer amount in the smallest unit, as money: money(3000, 'TWD') is "NT$3,000", as on the order page. */
export function money(amount: number, currency: string, locale: Locale = 'en'): string {
  const cur = currency.toUpperCase();
  const whole = WHOLE_UNIT_CURRENCIES.has(cur);
  try {
    // An unknown currency throws here, and is then not kept.
    const fmt = kept(`money ${locale} ${cur}`, () =>
      new Intl.NumberFormat(INTL_LOCALE[locale], { style: 'currency', currency: cur, ...(whole ? { minimumFractionDigits: 0, maximumFractionDigits: 0 } : {}) }),
    );
    return fmt.format(whole ? amount : amount / 100);
  } catch {
    return `${(whole ? amount : amount / 100).toFixed(whole ? 0 : 2)} ${cur}`;
  }
}
