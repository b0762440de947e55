import type { FastifyInstance } from 'fastify';
import { EventParams, EventSearchQuery, ShowParams } from '../../../shared/api.js';
import { parse } from '../../platform/validation.js';
import type { CatalogueService } from './catalogue-service.js';

export function catalogueRoutes(app: FastifyInstance, catalogue: CatalogueService): void {
  app.get('/api/events', async (req) => {
    const { q } = parse(EventSearchQuery, req.query);
    return { events: await catalogue.listEvents(q || undefined) };
  });

  app.get('/api/events/:eventId', async (req) => {
    const { eventId } = parse(EventParams, req.params);
    return { event: await catalogue.getEvent(eventId) };
  });

  app.get('/api/shows/:showId', async (req) => {
    const { showId } = parse(ShowParams, req.params);
    return { show: await catalogue.getShow(showId) };
  });
}
