import { useTranslation } from 'react-i18next';
import { chooseLanguage, currentLanguage } from './index.js';
import { LANGUAGES, LANGUAGE_NAMES, isLanguage } from './languages.js';

/** English or 繁體中文, switched at once (no reload) and remembered in this browser. */
export function LanguageSwitcher() {
  // useTranslation re-renders this on every change of language.
  const { t } = useTranslation();
  return (
    <label className="language-switcher">
      <span className="visually-hidden">{t('common.language')}</span>
      <svg viewBox="0 0 20 20" width="16" height="16" aria-hidden="true">
        <circle cx="10" cy="10" r="7.5" fill="none" stroke="currentColor" strokeWidth="1.5" />
        <path d="M2.5 10h15M10 2.5c2.2 2.2 2.2 12.8 0 15M10 2.5c-2.2 2.2-2.2 12.8 0 15" fill="none" stroke="currentColor" strokeWidth="1.5" />
      </svg>
      <select
        className="language-select"
        value={currentLanguage()}
        onChange={(e) => {
          if (isLanguage(e.target.value)) void chooseLanguage(e.target.value);
        }}
        data-testid="language-switcher"
      >
        {LANGUAGES.map((lang) => (
          <option key={lang} value={lang} lang={lang}>
            {LANGUAGE_NAMES[lang]}
          </option>
        ))}
      </select>
    </label>
  );
}
