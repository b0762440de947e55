import type { FastifyInstance } from 'fastify';
import {
  BulkUsersRequest,
  CheckinRequest,
  CreateEventRequest,
  CreateShowRequest,
  CreateVenueRequest,
  EventParams,
  ShowParams,
  StatsHistoryQuery,
  UpdateEventRequest,
  UpdateShowRequest,
  UpdateAreaRequest,
  UpdateVenueRequest,
  VenueAreaParams,
  VenueParams,
} from '../../../shared/api.js';
import type { Clock } from '../../platform/clock.js';
import { AppError } from '../../platform/errors.js';
import { parse } from '../../platform/validation.js';
import type { AuthGuards } from '../auth/auth-context.js';
import type { AuthService } from '../auth/auth-service.js';
import type { CatalogueService } from '../catalogue/catalogue-service.js';
import type { QueueService } from '../queue/queue-service.js';
import type { AdminService } from './admin-service.js';
import type { CheckinService } from './checkin-service.js';
import type { ExportsService } from './exports-service.js';

export function adminRoutes(
  app: FastifyInstance,
  deps: {
    admin: AdminService;
    checkin: CheckinService;
    exports: ExportsService;
    catalogue: CatalogueService;
    auth: AuthService;
    queue: QueueService;
    guards: AuthGuards;
    clock: Clock;
    loadTestApi: boolean;
  },
): void {
  const { admin, catalogue, auth, queue, guards } = deps;

  app.get('/api/admin/shows/:showId/stats', async (req) => {
    await guards.requireAdmin(req);
    const { showId } = parse(ShowParams, req.params);
    const line = await queue.stats(showId); // 404 for an unknown show
    return { ...line, ...(await admin.seatCounts(showId, deps.clock.now())), ...(await admin.sales(showId)) };
  });

  app.get('/api/admin/shows/:showId/stats/history', async (req) => {
    await guards.requireAdmin(req);
    const { showId } = parse(ShowParams, req.params);
    const minutes = Number(parse(StatsHistoryQuery, req.query).minutes ?? 60);
    await catalogue.rules(showId); // 404 for an unknown show
    const { currency } = await admin.sales(showId);
    return { currency, points: await admin.salesHistory(showId, deps.clock.now(), minutes) };
  });

  for (const [file, make] of [
    ['orders', (id: string) => deps.exports.ordersCsv(id)],
    ['attendees', (id: string) => deps.exports.attendeesCsv(id)],
  ] as const) {
    app.get(`/api/admin/shows/:showId/${file}.csv`, async (req, reply) => {
      await guards.requireAdmin(req);
      const { showId } = parse(ShowParams, req.params);
      const body = await make(showId); // 404 for an unknown show
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${file}-${showId}.csv"`)
        .header('cache-control', 'private, no-store')
        .send(body);
    });
  }

  app.get('/api/admin/venues', async (req) => {
    await guards.requireAdmin(req);
    return { venues: await admin.listVenues() };
  });

  app.post('/api/admin/venues', async (req, reply) => {
    await guards.requireAdmin(req);
    const venue = await admin.createVenue(parse(CreateVenueRequest, req.body));
    return reply.status(201).send({ venue });
  });

  app.patch('/api/admin/venues/:venueId', async (req) => {
    await guards.requireAdmin(req);
    const { venueId } = parse(VenueParams, req.params);
    return { venue: await admin.updateVenue(venueId, parse(UpdateVenueRequest, req.body)) };
  });

  app.patch('/api/admin/venues/:venueId/areas/:areaId', async (req) => {
    await guards.requireAdmin(req);
    const { venueId, areaId } = parse(VenueAreaParams, req.params);
    return { venue: await admin.updateArea(venueId, areaId, parse(UpdateAreaRequest, req.body), deps.clock.now()) };
  });

  app.post('/api/admin/events', async (req, reply) => {
    await guards.requireAdmin(req);
    const event = await admin.createEvent(parse(CreateEventRequest, req.body));
    return reply.status(201).send({ event });
  });

  app.patch('/api/admin/events/:eventId', async (req) => {
    await guards.requireAdmin(req);
    const { eventId } = parse(EventParams, req.params);
    return { event: await admin.updateEvent(eventId, parse(UpdateEventRequest, req.body)) };
  });

  app.post('/api/admin/shows', async (req, reply) => {
    await guards.requireAdmin(req);
    const id = await admin.createShow(parse(CreateShowRequest, req.body));
    return reply.status(201).send({ show: await catalogue.getShow(id) });
  });

  app.patch('/api/admin/shows/:showId', async (req) => {
    await guards.requireAdmin(req);
    const { showId } = parse(ShowParams, req.params);
    await admin.updateShow(showId, parse(UpdateShowRequest, req.body));
    return { show: await catalogue.getShow(showId) };
  });

  // Every event with every show and its sale rules: the organizer console's list.
  app.get('/api/admin/events', async (req) => {
    await guards.requireAdmin(req);
    const events = await catalogue.listEvents();
    return {
      events: await Promise.all(
        events.map(async (e) => {
          const detail = await catalogue.getEvent(e.id);
          return { ...detail, shows: await Promise.all(detail.shows.map((s) => catalogue.getShow(s.id))) };
        }),
      ),
    };
  });

  app.post('/api/admin/checkin', async (req) => {
    await guards.requireAdmin(req);
    const { code, showId } = parse(CheckinRequest, req.body);
    return { ticket: await deps.checkin.checkIn(code, showId) };
  });

  app.post('/api/admin/users/bulk', async (req, reply) => {
    // Absent unless the operator turned it on: a 404 like any unknown route.
    if (!deps.loadTestApi) throw new AppError('NOT_FOUND', `No route for POST /api/admin/users/bulk`);
    await guards.requireAdmin(req);
    const body = parse(BulkUsersRequest, req.body);
    return reply.status(201).send({ users: await auth.bulkCreate(body.count, body.emailPrefix, body.password) });
  });
}
