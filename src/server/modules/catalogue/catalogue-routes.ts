import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { CalendarQuery, EventDetail, EventParams, EventSearchQuery, EventSummary, ShowDetail, ShowParams } from '../../../shared/api.js';
import { fileResponse, type ZodTypeProvider } from '../../platform/validation.js';
import type { CatalogueService } from './catalogue-service.js';
import { showCalendar } from './show-calendar.js';
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

  app.get(
    '/api/shows/:showId/calendar.ics',
    {
      schema: {
        tags: ['Catalogue'],
        summary: "An iCalendar file (text/calendar) for the show's on-sale (`for=onsale`, from the pre-queue's opening) or the show (`for=show`)",
        description: 'Times in UTC; the event title, the venue with its address; a UID stable per show and kind, so adding it again updates the entry.',
        params: ShowParams,
        querystring: CalendarQuery,
        response: { 200: fileResponse('text/calendar', 'The .ics file (`content-disposition: attachment`)') },
      },
      config: { access: 'public', refusals: ['NOT_FOUND'] },
    },
    async (req, reply) => {
      const { showId } = req.params;
      const kind = req.query.for;
      const ics = showCalendar(await catalogue.getShow(showId), kind);
      return reply
        .type('text/calendar; charset=utf-8')
        .header('content-disposition', `attachment; filename="${kind === 'onsale' ? 'on-sale' : 'show'}-${showId}.ics"`)
        .send(ics);
    },
  );
}
