import type { TFunction } from 'i18next';
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { SITE_PAGE_SLUGS, UpdateSitePageRequest, type SitePage, type SitePageSlug } from '../../../shared/api.js';
import { ErrorMessage, Notice, RetryableError } from '../../components/ErrorMessage.js';
import { Field } from '../../components/Field.js';
import { RichText } from '../../components/RichText.js';
import { Spinner } from '../../components/Spinner.js';
import { adminApi, adminMessage } from '../../lib/api.js';
import { formatDateTime } from '../../lib/format.js';
import { useDocumentTitle, useLoad } from '../../lib/hooks.js';
import { ConsoleHeader, Panel, TextArea, issueText } from './admin-ui.js';

const NAMES: Record<SitePageSlug, (t: TFunction) => string> = {
  help: (t) => t('footer.help'),
  terms: (t) => t('footer.terms'),
  privacy: (t) => t('footer.privacy'),
  contact: (t) => t('footer.contact'),
};

/** The footer's pages (help, terms, privacy, contact): the organizer writes them here, in Markdown. */
export function PagesPage() {
  const { t } = useTranslation();
  useDocumentTitle(t('admin.pageTitle', { title: t('admin.nav.pages') }));
  const pages = useLoad(() => adminApi.pages(), []);
  const [slug, setSlug] = useState<SitePageSlug>('help');

  return (
    <div className="console-page">
      <ConsoleHeader eyebrow={t('admin.console')} title={t('admin.nav.pages')}>
        {t('admin.pages.lead')}
      </ConsoleHeader>
      {pages.status === 'loading' && <Spinner label={t('admin.pages.loading')} />}
      {pages.status === 'error' && <RetryableError error={pages.error} onRetry={pages.reload} />}
      {pages.status === 'ok' && (
        <>
          <div className="page-tabs" role="tablist" aria-label={t('admin.pages.tabs')}>
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
                {NAMES[s](t)}
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
  const { t } = useTranslation();
  const [title, setTitle] = useState(page?.title ?? NAMES[slug](t));
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
      for (const issue of parsed.error.issues) found[String(issue.path[0])] ??= issueText(t, issue);
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
      <Panel title={t('admin.pages.edit', { name: NAMES[slug](t) })} id={`edit-${slug}`}>
        <form onSubmit={save} noValidate data-testid="page-form">
          <Field label={t('admin.pages.title')} value={title} onChange={(e) => setTitle(e.target.value)} error={errors.title} maxLength={120} data-testid="page-title" />
          <TextArea
            label={t('admin.pages.text')}
            value={body}
            onChange={(e) => setBody(e.target.value)}
            error={errors.body}
            rows={16}
            maxLength={50_000}
            hint={page ? t('admin.pages.lastSaved', { date: formatDateTime(page.updatedAt, undefined), slug }) : t('admin.pages.shownAt', { slug })}
            data-testid="page-body"
          />
          {formError && <ErrorMessage>{formError}</ErrorMessage>}
          {saved && <Notice tone="success">{t('admin.pages.saved', { slug })}</Notice>}
          <div className="form-actions">
            <button type="submit" className="btn btn-primary" disabled={busy} data-testid="page-save">
              {busy ? t('admin.saving') : t('admin.pages.save')}
            </button>
            <a href={`/${slug}`} className="btn btn-ghost" target="_blank" rel="noreferrer">
              {t('admin.pages.open')}
            </a>
          </div>
        </form>
      </Panel>
      <Panel title={t('admin.pages.preview')} className="page-preview">
        <h1 className="site-page-title">{title}</h1>
        <RichText text={body} className="site-page-body" />
      </Panel>
    </div>
  );
}
