/** The languages of the web app and how a browser's preferences map onto them (pure: unit-tested). */

export const LANGUAGES = ['en', 'zh-TW'] as const;
export type Language = (typeof LANGUAGES)[number];
export const DEFAULT_LANGUAGE: Language = 'en';

/** Each language in its own words, for the switcher (never translated: a reader must find their own). */
export const LANGUAGE_NAMES: Record<Language, string> = { en: 'English', 'zh-TW': '繁體中文' };

/** The Intl locale money and dates are formatted with. */
export const INTL_LOCALE: Record<Language, string> = { en: 'en-US', 'zh-TW': 'zh-TW' };

/** Where the switcher's choice is kept; without one the browser's languages decide. */
export const LANGUAGE_STORAGE_KEY = 'ticketclub.language';

/** Traditional Chinese in any of its spellings (zh-TW, zh-Hant, zh-Hant-TW, zh-HK, zh-MO). */
const TRADITIONAL_CHINESE = /^zh-(tw|hk|mo|hant)(-|$)/i;

/** One browser language as ours, or undefined: Simplified Chinese and other languages are not ours. */
export function asLanguage(code: string): Language | undefined {
  if (TRADITIONAL_CHINESE.test(code)) return 'zh-TW';
  if (/^en(-|$)/i.test(code)) return 'en';
  return undefined;
}

/** The first of the browser's languages (navigator.languages, most wanted first) we have, else English. */
export function pickLanguage(codes: readonly string[]): Language {
  for (const code of codes) {
    const lang = asLanguage(code);
    if (lang) return lang;
  }
  return DEFAULT_LANGUAGE;
}

export const isLanguage = (value: unknown): value is Language => (LANGUAGES as readonly unknown[]).includes(value);
