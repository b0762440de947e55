import type { FastifyPluginAsync } from 'fastify';
import type { AuthGuards } from '../auth/auth-context.js';
import { pagesRoutes } from './pages-routes.js';
import type { PagesService } from './pages-service.js';

export interface PagesModuleOptions {
  pages: PagesService;
  guards: AuthGuards;
}

/** The site's own pages (help, terms, privacy, contact). */
export const pagesModule: FastifyPluginAsync<PagesModuleOptions> = async (app, o) => {
  pagesRoutes(app, o.pages, o.guards);
};
