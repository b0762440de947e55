import type { FastifyInstance } from 'fastify';
import { CalendarQuery, EventParams, EventSearchQuery, ShowParams } from '../../../shared/api.js';
import { parse } from '../../platform/validation.js';
import type { CatalogueService } from './catalogue-service.js';
import { showCalendar } from './show-calendar.js';
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

  app.get('/api/shows/:showId/calendar.ics', async (req, reply) => {
    const { showId } = parse(ShowParams, req.params);
    const { for: kind } = parse(CalendarQuery, req.query);
    const ics = showCalendar(await catalogue.getShow(showId), kind);
    return reply
      .type('text/calendar; charset=utf-8')
      .header('content-disposition', `attachment; filename="${kind === 'onsale' ? 'on-sale' : 'show'}-${showId}.ics"`)
      .send(ics);
  });
}
