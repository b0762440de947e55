import { Link } from 'react-router-dom';
import { ERROR_MESSAGES } from '../../../shared/errors.js';
import { useAuth } from '../../app/auth.js';
import { PageMessage } from '../../components/PageMessage.js';
import { useDocumentTitle } from '../../lib/hooks.js';

/** The organizer console (placeholder: the tools arrive in a later task). */
export function AdminPage() {
  const { user } = useAuth();
  useDocumentTitle('Organizer console');
  if (user?.role !== 'admin') {
    return (
      <div className="container narrow">
        <PageMessage
          icon="lock"
          title="403 — Organizers only"
          actions={
            <Link to="/" className="btn btn-primary">
              Back to events
            </Link>
          }
        >
          <p data-testid="error-message">{ERROR_MESSAGES.FORBIDDEN}</p>
        </PageMessage>
      </div>
    );
  }
  return (
    <div className="container section">
      <p className="eyebrow">Admin</p>
      <h1 className="page-title">Organizer console</h1>
      <p className="muted">Venues, events, shows and the live sale dashboard will be managed here.</p>
      <div className="admin-placeholder card">
        <p>Nothing to manage here yet.</p>
      </div>
    </div>
  );
}
