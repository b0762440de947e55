import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { toApiError } from '../lib/api.js';

/** An error shown to people: the API's human sentence, never raw HTML. */
export function ErrorMessage({ error, children, id }: { error?: unknown; children?: ReactNode; id?: string }) {
  if (!error && !children) return null;
  return (
    <div className="alert alert-error" role="alert" data-testid="error-message" id={id}>
      <svg className="alert-icon" viewBox="0 0 20 20" aria-hidden="true">
        <path
          fill="currentColor"
          d="M10 1.5a8.5 8.5 0 1 0 0 17 8.5 8.5 0 0 0 0-17Zm0 4a1 1 0 0 1 1 1v4.25a1 1 0 1 1-2 0V6.5a1 1 0 0 1 1-1Zm0 9.5a1.15 1.15 0 1 1 0-2.3 1.15 1.15 0 0 1 0 2.3Z"
        />
      </svg>
      <div>{children ?? (error ? toApiError(error).message : null)}</div>
    </div>
  );
}

export function Notice({ children, tone = 'info' }: { children: ReactNode; tone?: 'info' | 'success' | 'warning' }) {
  return (
    <div className={`alert alert-${tone}`} role="status">
      <div>{children}</div>
    </div>
  );
}

/** What failed to load, and a way to try again. */
export function RetryableError({ error, onRetry }: { error: unknown; onRetry: () => void }) {
  const { t } = useTranslation();
  return (
    <div className="stack">
      <ErrorMessage error={error} />
      <button type="button" className="btn btn-secondary" onClick={onRetry}>
        {t('common.tryAgain')}
      </button>
    </div>
  );
}
