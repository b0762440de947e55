import type { FastifyPluginAsync } from 'fastify';
import { catalogueRoutes } from './catalogue-routes.js';
import type { CatalogueService } from './catalogue-service.js';
import type { ShowPages } from './show-pages.js';

export interface CatalogueModuleOptions {
  catalogue: CatalogueService;
  showPages: ShowPages;
}

/** Events and shows as fans browse them. */
export const catalogueModule: FastifyPluginAsync<CatalogueModuleOptions> = async (app, o) => {
  catalogueRoutes(app, o.catalogue, o.showPages);
};
