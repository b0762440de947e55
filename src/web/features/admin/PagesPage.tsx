import { useEffect, useState, type FormEvent } from 'react';
import { SITE_PAGE_SLUGS, UpdateSitePageRequest, type SitePage, type SitePageSlug } from '../../../shared/api.js';
import { ErrorMessage, Notice, RetryableError } from '../../components/ErrorMessage.js';
import { Field } from '../../components/Field.js';
import { RichText } from '../../components/RichText.js';
import { Spinner } from '../../components/Spinner.js';
import { adminApi, adminMessage } from '../../lib/api.js';
import { formatDateTime } from '../../lib/format.js';
import { useDocumentTitle, useLoad } from '../../lib/hooks.js';
import { ConsoleHeader, Panel, TextArea } from './admin-ui.js';

const NAMES: Record<SitePageSlug, string> = { help: 'Help', terms: 'Terms', privacy: 'Privacy', contact: 'Contact' };

/** The footer's pages (help, terms, privacy, contact): the organizer writes them here, in Markdown. */
export function PagesPage() {
  useDocumentTitle('Site pages · Console');
  const pages = useLoad(() => adminApi.pages(), []);
  const [slug, setSlug] = useState<SitePageSlug>('help');

  return (
    <div className="console-page">
      <ConsoleHeader eyebrow="Console" title="Site pages">
        The pages the footer links to. Write them in Markdown: **bold**, lists, [links](/contact). HTML is shown as text.
      </ConsoleHeader>
      {pages.status === 'loading' && <Spinner label="Loading pages…" />}
      {pages.status === 'error' && <RetryableError error={pages.error} onRetry={pages.reload} />}
      {pages.status === 'ok' && (
        <>
          <div className="page-tabs" role="tablist" aria-label="Page">
            {SITE_PAGE_SLUGS.map((s) => (
              <button
                key={s}
                type="button"
                role="tab"
                aria-selected={s === slug}
                className={`btn btn-sm ${s === slug ? 'btn-primary' : 'btn-secondary'}`}
                onClick={() => setSlug(s)}
                data-testid={`page-tab-${s}`}
              >
                {NAMES[s]}
              </button>
            ))}
          </div>
          <PageEditor key={slug} slug={slug} page={pages.data.pages.find((p) => p.slug === slug)} onSaved={pages.reload} />
        </>
      )}
    </div>
  );
}

function PageEditor({ slug, page, onSaved }: { slug: SitePageSlug; page: SitePage | undefined; onSaved: () => void }) {
  const [title, setTitle] = useState(page?.title ?? NAMES[slug]);
  const [body, setBody] = useState(page?.body ?? '');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [saved, setSaved] = useState<SitePage | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => setSaved(null), [title, body]);

  async function save(e: FormEvent) {
    e.preventDefault();
    setFormError(null);
    const parsed = UpdateSitePageRequest.safeParse({ title, body });
    if (!parsed.success) {
      const found: Record<string, string> = {};
      for (const issue of parsed.error.issues) found[String(issue.path[0])] ??= issue.message;
      return setErrors(found);
    }
    setErrors({});
    setBusy(true);
    try {
      const r = await adminApi.putPage(slug, parsed.data);
      setSaved(r.page);
      onSaved();
    } catch (err) {
      setFormError(adminMessage(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="page-editor">
      <Panel title={`Edit ${NAMES[slug]}`} id={`edit-${slug}`}>
        <form onSubmit={save} noValidate data-testid="page-form">
          <Field label="Title" value={title} onChange={(e) => setTitle(e.target.value)} error={errors.title} maxLength={120} data-testid="page-title" />
          <TextArea
            label="Text (Markdown)"
            value={body}
            onChange={(e) => setBody(e.target.value)}
            error={errors.body}
            rows={16}
            maxLength={50_000}
            hint={page ? `Last saved ${formatDateTime(page.updatedAt, undefined)}. Shown at /${slug}.` : `Shown at /${slug}.`}
            data-testid="page-body"
          />
          {formError && <ErrorMessage>{formError}</ErrorMessage>}
          {saved && <Notice tone="success">Saved. Visitors of /{slug} now read this text.</Notice>}
          <div className="form-actions">
            <button type="submit" className="btn btn-primary" disabled={busy} data-testid="page-save">
              {busy ? 'Saving…' : 'Save page'}
            </button>
            <a href={`/${slug}`} className="btn btn-ghost" target="_blank" rel="noreferrer">
              Open the page
            </a>
          </div>
        </form>
      </Panel>
      <Panel title="Preview" className="page-preview">
        <h1 className="site-page-title">{title}</h1>
        <RichText text={body} className="site-page-body" />
      </Panel>
    </div>
  );
}
