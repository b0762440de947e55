import { isSitePageSlug, type SitePage, type SitePageSlug, type UpdateSitePageRequest } from '../../../shared/api.js';
import type { Database } from '../../platform/database.js';
import { AppError } from '../../platform/errors.js';

interface PageRow {
  slug: SitePageSlug;
  title: string;
  body: string;
  updated_at: Date;
}

const toPage = (r: PageRow): SitePage => ({ slug: r.slug, title: r.title, body: r.body, updatedAt: r.updated_at.toISOString() });

/** The site's own pages (help, terms, privacy, contact): the organizer writes them, anyone reads them. */
export class PagesService {
  constructor(private readonly db: Database) {}

  async get(slug: string): Promise<SitePage> {
    if (!isSitePageSlug(slug)) throw new AppError('NOT_FOUND', 'No such page');
    const { rows } = await this.db.query<PageRow>(`SELECT slug, title, body, updated_at FROM site_pages WHERE slug = $1`, [slug]);
    if (!rows[0]) throw new AppError('NOT_FOUND', 'No such page');
    return toPage(rows[0]);
  }

  async list(): Promise<SitePage[]> {
    const { rows } = await this.db.query<PageRow>(`SELECT slug, title, body, updated_at FROM site_pages ORDER BY slug`);
    return rows.map(toPage);
  }

  /** Writes a page, creating its row if someone deleted it by hand. */
  async put(slug: string, input: UpdateSitePageRequest): Promise<SitePage> {
    // The set of pages is fixed (the footer links them): an organizer edits them, never adds one.
    if (!isSitePageSlug(slug)) throw new AppError('NOT_FOUND', 'No such page');
    const { rows } = await this.db.query<PageRow>(
      `INSERT INTO site_pages (slug, title, body, updated_at) VALUES ($1, $2, $3, now())
       ON CONFLICT (slug) DO UPDATE SET title = EXCLUDED.title, body = EXCLUDED.body, updated_at = now()
       RETURNING slug, title, body, updated_at`,
      [slug, input.title, input.body],
    );
    return toPage(rows[0]!);
  }
}
