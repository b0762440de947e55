import type { FastifyInstance } from 'fastify';
import { SitePageParams, UpdateSitePageRequest } from '../../../shared/api.js';
import { parse } from '../../platform/validation.js';
import type { AuthGuards } from '../auth/auth-context.js';
import type { PagesService } from './pages-service.js';

export function pagesRoutes(app: FastifyInstance, pages: PagesService, guards: AuthGuards): void {
  app.get('/api/pages/:slug', async (req) => {
    const { slug } = parse(SitePageParams, req.params);
    return { page: await pages.get(slug) };
  });

  app.get('/api/admin/pages', async (req) => {
    await guards.requireAdmin(req);
    return { pages: await pages.list() };
  });

  app.put('/api/admin/pages/:slug', async (req) => {
    await guards.requireAdmin(req);
    const { slug } = parse(SitePageParams, req.params);
    return { page: await pages.put(slug, parse(UpdateSitePageRequest, req.body)) };
  });
}
