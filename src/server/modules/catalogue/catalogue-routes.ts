import type { FastifyInstance } from 'fastify';
import { EventParams, EventSearchQuery, ShowParams } from '../../../shared/api.js';
import { parse } from '../../platform/validation.js';
import type { CatalogueService } from './catalogue-service.js';
import type { ShowPages } from './show-pages.js';

export function catalogueRoutes(app: FastifyInstance, catalogue: CatalogueService, showPages: ShowPages): void {
  app.get('/api/events', async (req) => {
    const { q } = parse(EventSearchQuery, req.query);
    return { events: await catalogue.listEvents(q || undefined) };
  });

  app.get('/api/events/:eventId', async (req) => {
    const { eventId } = parse(EventParams, req.params);
    return { event: await catalogue.getEvent(eventId) };
  });

  app.get('/api/shows/:showId', async (req, reply) => {
    const { showId } = parse(ShowParams, req.params);
    return reply.type('application/json; charset=utf-8').send(await showPages.get(showId));
  });
}
