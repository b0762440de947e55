import { Link } from 'react-router-dom';
import type { ApiError } from '../lib/api.js';
import { useDocumentTitle } from '../lib/hooks.js';
import { ErrorMessage } from './ErrorMessage.js';
import { PageMessage } from './PageMessage.js';

/** A page whose data could not load: "not found" for unknown or malformed ids, else the error and a retry. */
export function LoadError({ error, what, missingText, reload }: { error: ApiError; what: string; missingText: string; reload: () => void }) {
  const missing = error.code === 'NOT_FOUND' || error.code === 'VALIDATION_FAILED';
  useDocumentTitle(missing ? `${what} not found` : undefined);
  return (
    <div className="container narrow">
      <PageMessage
        icon="error"
        title={missing ? `${what} not found` : `Could not load this ${what.toLowerCase()}`}
        actions={
          <>
            {!missing && (
              <button type="button" className="btn btn-primary" onClick={reload}>
                Try again
              </button>
            )}
            <Link to="/" className="btn btn-secondary">
              Browse events
            </Link>
          </>
        }
      >
        {missing ? <p>{missingText}</p> : <ErrorMessage error={error} />}
      </PageMessage>
    </div>
  );
}
