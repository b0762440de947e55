/**
 * i18next for the web app: both languages bundled (no fetch), the language from the switcher's
 * remembered choice or else the browser's, `<html lang>` and the Intl locale of lib/format.ts kept in step.
 */
import i18n from 'i18next';
import LanguageDetector from 'i18next-browser-languagedetector';
import { initReactI18next } from 'react-i18next';
import { setFormatLocale } from '../lib/format.js';
import en from './en.json' with { type: 'json' };
import zhTW from './zh-TW.json' with { type: 'json' };
import { DEFAULT_LANGUAGE, INTL_LOCALE, LANGUAGES, LANGUAGE_STORAGE_KEY, isLanguage, pickLanguage, type Language } from './languages.js';

export const resources = { en: { translation: en }, 'zh-TW': { translation: zhTW } } as const;

const detector = new LanguageDetector();
detector.addDetector({ name: 'browserLanguages', lookup: () => pickLanguage(navigator.languages ?? [navigator.language]) });

i18n.on('languageChanged', (lng) => {
  const lang = isLanguage(lng) ? lng : DEFAULT_LANGUAGE;
  setFormatLocale(INTL_LOCALE[lang]);
  document.documentElement.lang = lang;
});

void i18n
  .use(detector)
  .use(initReactI18next)
  .init({
    resources,
    supportedLngs: [...LANGUAGES],
    fallbackLng: DEFAULT_LANGUAGE,
    // Only a choice made with the switcher is remembered (languageStorage below), not what was detected.
    detection: { order: ['localStorage', 'browserLanguages'], lookupLocalStorage: LANGUAGE_STORAGE_KEY, caches: [] },
    // React escapes what it renders: user text is never HTML.
    interpolation: { escapeValue: false },
  });

/** The language being shown. */
export const currentLanguage = (): Language => (isLanguage(i18n.resolvedLanguage) ? i18n.resolvedLanguage : DEFAULT_LANGUAGE);

/** Switches the language at once (no reload) and remembers the choice in this browser. */
export async function chooseLanguage(lang: Language): Promise<void> {
  try {
    localStorage.setItem(LANGUAGE_STORAGE_KEY, lang);
  } catch {
    // Storage refused (private mode, full): the choice holds for this visit.
  }
  await i18n.changeLanguage(lang);
}

export default i18n;
