import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { SitePage, SitePageParams, UpdateSitePageRequest } from '../../../shared/api.js';
import type { ZodTypeProvider } from '../../platform/validation.js';
import type { AuthGuards } from '../auth/auth-context.js';
import type { PagesService } from './pages-service.js';

export function pagesRoutes(fastify: FastifyInstance, pages: PagesService, guards: AuthGuards): void {
  const app = fastify.withTypeProvider<ZodTypeProvider>();

  app.get(
    '/api/pages/:slug',
    {
      schema: {
        tags: ['Catalogue'],
        summary: 'A site page the organizer wrote: help, terms, privacy or contact (Markdown body)',
        params: SitePageParams,
        response: { 200: z.object({ page: SitePage }).describe('The page') },
      },
      config: { access: 'public', refusals: ['NOT_FOUND'] },
    },
    async (req) => ({ page: await pages.get(req.params.slug) }),
  );

  app.get(
    '/api/admin/pages',
    {
      schema: {
        tags: ['Admin'],
        summary: 'The site pages (help, terms, privacy, contact) for editing',
        response: { 200: z.object({ pages: z.array(SitePage) }).describe('The pages') },
      },
      config: { access: 'admin' },
    },
    async (req) => {
      await guards.requireAdmin(req);
      return { pages: await pages.list() };
    },
  );

  app.put(
    '/api/admin/pages/:slug',
    {
      schema: {
        tags: ['Admin'],
        summary: 'Write a site page (Markdown body)',
        params: SitePageParams,
        body: UpdateSitePageRequest,
        response: { 200: z.object({ page: SitePage }).describe('The page') },
      },
      config: { access: 'admin', refusals: ['NOT_FOUND'] },
    },
    async (req) => {
      await guards.requireAdmin(req);
      return { page: await pages.put(req.params.slug, req.body) };
    },
  );
}
