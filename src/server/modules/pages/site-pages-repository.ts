import type { SitePageSlug } from '../../../shared/api.js';
import type { Queryable } from '../../platform/database.js';

export interface PageRow {
  slug: SitePageSlug;
  title: string;
  body: string;
  updated_at: Date;
}

const PAGE_FIELDS = 'slug, title, body, updated_at';

/** The site_pages table: every statement on it is a named step here. */
export class SitePagesRepository {
  constructor(private readonly q: Queryable) {}

  async get(slug: SitePageSlug): Promise<PageRow | undefined> {
    const { rows } = await this.q.query<PageRow>(`SELECT ${PAGE_FIELDS} FROM site_pages WHERE slug = $1`, [slug]);
    return rows[0];
  }

  async list(): Promise<PageRow[]> {
    const { rows } = await this.q.query<PageRow>(`SELECT ${PAGE_FIELDS} FROM site_pages ORDER BY slug`);
    return rows;
  }

  /** Writes the page, creating its row if it is missing. */
  async put(slug: SitePageSlug, page: { title: string; body: string }): Promise<PageRow> {
    const { rows } = await this.q.query<PageRow>(
      `INSERT INTO site_pages (slug, title, body, updated_at) VALUES ($1, $2, $3, now())
       ON CONFLICT (slug) DO UPDATE SET title = EXCLUDED.title, body = EXCLUDED.body, updated_at = now()
       RETURNING ${PAGE_FIELDS}`,
      [slug, page.title, page.body],
    );
    return rows[0]!;
  }
}
