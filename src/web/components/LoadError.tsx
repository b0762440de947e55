import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import type { ApiError } from '../lib/api.js';
import { useDocumentTitle } from '../lib/hooks.js';
import { ErrorMessage } from './ErrorMessage.js';
import { PageMessage } from './PageMessage.js';

/**
 * A page whose data could not load: "not found" for unknown or malformed ids, else the error and a retry.
 * `what` ("Event") and `missingText` are in the reader's language.
 */
export function LoadError({ error, what, missingText, reload }: { error: ApiError; what: string; missingText: string; reload: () => void }) {
  const { t } = useTranslation();
  const missing = error.code === 'NOT_FOUND' || error.code === 'VALIDATION_FAILED';
  const missingTitle = t('loadError.missing', { what });
  useDocumentTitle(missing ? missingTitle : undefined);
  return (
    <div className="container narrow">
      <PageMessage
        icon="error"
        title={missing ? missingTitle : t('loadError.failed', { what: what.toLowerCase() })}
        actions={
          <>
            {!missing && (
              <button type="button" className="btn btn-primary" onClick={reload}>
                {t('common.tryAgain')}
              </button>
            )}
            <Link to="/" className="btn btn-secondary">
              {t('common.browseEvents')}
            </Link>
          </>
        }
      >
        {missing ? <p>{missingText}</p> : <ErrorMessage error={error} />}
      </PageMessage>
    </div>
  );
}
