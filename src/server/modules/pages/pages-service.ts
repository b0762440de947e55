import { isSitePageSlug, type SitePage, type UpdateSitePageRequest } from '../../../shared/api.js';
import type { Database } from '../../platform/database.js';
import { AppError } from '../../platform/errors.js';
import { SitePagesRepository, type PageRow } from './site-pages-repository.js';

const toPage = (r: PageRow): SitePage => ({ slug: r.slug, title: r.title, body: r.body, updatedAt: r.updated_at.toISOString() });

/** The site's own pages (help, terms, privacy, contact): the organizer writes them, anyone reads them. */
export class PagesService {
  private readonly pages: SitePagesRepository;

  constructor(db: Database) {
    this.pages = new SitePagesRepository(db);
  }

  async get(slug: string): Promise<SitePage> {
    if (!isSitePageSlug(slug)) throw new AppError('NOT_FOUND', 'No such page');
    const page = await this.pages.get(slug);
    if (!page) throw new AppError('NOT_FOUND', 'No such page');
    return toPage(page);
  }

  async list(): Promise<SitePage[]> {
    return (await this.pages.list()).map(toPage);
  }

  /** Writes a page, creating its row if someone deleted it by hand. */
  async put(slug: string, input: UpdateSitePageRequest): Promise<SitePage> {
    // The set of pages is fixed (the footer links them): an organizer edits them, never adds one.
    if (!isSitePageSlug(slug)) throw new AppError('NOT_FOUND', 'No such page');
    return toPage(await this.pages.put(slug, input));
  }
}
