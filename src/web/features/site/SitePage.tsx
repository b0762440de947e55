import { Link } from 'react-router-dom';
import type { SitePageSlug } from '../../../shared/api.js';
import { LoadError } from '../../components/LoadError.js';
import { PageMessage } from '../../components/PageMessage.js';
import { RichText } from '../../components/RichText.js';
import { Spinner } from '../../components/Spinner.js';
import { api } from '../../lib/api.js';
import { useDocumentTitle, useLoad } from '../../lib/hooks.js';

/** Help, terms, privacy or contact: the text the organizer wrote in the console (Markdown, never HTML). */
export function SitePage({ slug }: { slug: SitePageSlug }) {
  const loaded = useLoad(() => api.page(slug), [slug]);
  useDocumentTitle(loaded.status === 'ok' ? loaded.data.page.title : undefined);
  if (loaded.status === 'loading') return <Spinner label="Loading…" />;
  if (loaded.status === 'error') return <LoadError error={loaded.error} what="Page" missingText="This page has not been written yet." reload={loaded.reload} />;
  const { page } = loaded.data;
  return (
    <article className="container narrow site-page" data-testid="site-page" data-slug={slug}>
      <h1 className="site-page-title">{page.title}</h1>
      <RichText text={page.body} className="site-page-body" />
    </article>
  );
}

/**
 * "Forgot your password?" There is no email yet, so no reset link can be sent: say so, and point at
 * the contact page. The real flow (a reset link by email) comes with email.
 */
export function ForgotPasswordPage() {
  useDocumentTitle('Forgot your password?');
  return (
    <div className="container narrow">
      <PageMessage
        icon="lock"
        title="Forgot your password?"
        actions={
          <>
            <Link to="/contact" className="btn btn-primary">
              Contact the organizer
            </Link>
            <Link to="/login" className="btn btn-secondary">
              Back to log in
            </Link>
          </>
        }
      >
        <p data-testid="forgot-password-text">
          This site cannot send password-reset emails yet. Write to the organizer from the email address of your account (see the contact
          page) and they will help you back in.
        </p>
      </PageMessage>
    </div>
  );
}
