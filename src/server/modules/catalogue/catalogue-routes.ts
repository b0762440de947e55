import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { EventDetail, EventParams, EventSearchQuery, EventSummary, ShowDetail, ShowParams } from '../../../shared/api.js';
import type { ZodTypeProvider } from '../../platform/validation.js';
import type { CatalogueService } from './catalogue-service.js';
import type { ShowPages } from './show-pages.js';

const ShowResponse = z.object({ show: ShowDetail });

export function catalogueRoutes(fastify: FastifyInstance, catalogue: CatalogueService, showPages: ShowPages): void {
  const app = fastify.withTypeProvider<ZodTypeProvider>();

  app.get(
    '/api/events',
    {
      schema: {
        tags: ['Catalogue'],
        summary: 'List events; `q` matches title, artist, venue name or city (case-insensitive)',
        querystring: EventSearchQuery,
        response: { 200: z.object({ events: z.array(EventSummary) }).describe('Events') },
      },
      config: { access: 'public' },
    },
    async (req) => ({ events: await catalogue.listEvents(req.query.q || undefined) }),
  );

  app.get(
    '/api/events/:eventId',
    {
      schema: { tags: ['Catalogue'], summary: 'One event with its shows', params: EventParams, response: { 200: z.object({ event: EventDetail }).describe('The event') } },
      config: { access: 'public', refusals: ['NOT_FOUND'] },
    },
    async (req) => ({ event: await catalogue.getEvent(req.params.eventId) }),
  );

  app.get(
    '/api/shows/:showId',
    {
      schema: {
        tags: ['Catalogue'],
        summary: 'One show with its areas, prices and availability',
        params: ShowParams,
        response: { 200: ShowResponse.describe('The show') },
      },
      config: { access: 'public', refusals: ['NOT_FOUND'] },
    },
    async (req, reply) => {
      // Already the JSON of `{show}`, serialized once from a ShowDetail for every reader (a string
      // with a JSON type goes out as it is).
      const body = (await showPages.get(req.params.showId)) as unknown as z.infer<typeof ShowResponse>;
      return reply.type('application/json; charset=utf-8').send(body);
    },
  );
}
