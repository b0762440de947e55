import { useTranslation } from 'react-i18next';
import type { SitePageSlug } from '../../../shared/api.js';
import { LoadError } from '../../components/LoadError.js';
import { RichText } from '../../components/RichText.js';
import { Spinner } from '../../components/Spinner.js';
import { api } from '../../lib/api.js';
import { useDocumentTitle, useLoad } from '../../lib/hooks.js';

/** Help, terms, privacy or contact: the text the organizer wrote in the console (Markdown, never HTML). */
export function SitePage({ slug }: { slug: SitePageSlug }) {
  const { t } = useTranslation();
  const loaded = useLoad(() => api.page(slug), [slug]);
  useDocumentTitle(loaded.status === 'ok' ? loaded.data.page.title : undefined);
  if (loaded.status === 'loading') return <Spinner />;
  if (loaded.status === 'error') return <LoadError error={loaded.error} what={t('site.what')} missingText={t('site.missing')} reload={loaded.reload} />;
  const { page } = loaded.data;
  return (
    <article className="container narrow site-page" data-testid="site-page" data-slug={slug}>
      <h1 className="site-page-title">{page.title}</h1>
      <RichText text={page.body} className="site-page-body" />
    </article>
  );
}
