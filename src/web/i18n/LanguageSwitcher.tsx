import { useTranslation } from 'react-i18next';
import { useAuth } from '../app/auth.js';
import { api } from '../lib/api.js';
import { chooseLanguage, currentLanguage } from './index.js';
import { LANGUAGES, LANGUAGE_NAMES, isLanguage } from './languages.js';

/**
 * English or 繁體中文, switched at once (no reload) and remembered in this browser; a logged-in
 * account's emails and ticket PDFs follow (PATCH /api/me).
 */
export function LanguageSwitcher() {
  // useTranslation re-renders this on every change of language.
  const { t } = useTranslation();
  const { user } = useAuth();
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
          const lang = e.target.value;
          if (!isLanguage(lang)) return;
          void chooseLanguage(lang);
          // The page has switched either way; the account's emails keep their language if this fails.
          if (user) api.updateMe({ locale: lang }).catch((err: unknown) => console.warn('Could not save the language of the account', err));
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
