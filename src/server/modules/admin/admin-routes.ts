import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import {
  AdminEvent,
  BulkUser,
  BulkUsersRequest,
  CheckinRequest,
  CheckinTicket,
  CreateEventRequest,
  CreateShowRequest,
  CreateVenueRequest,
  Event,
  EventParams,
  SalesHistory,
  SaleStats,
  ShowDetail,
  ShowParams,
  StatsHistoryQuery,
  UpdateEventRequest,
  UpdateShowRequest,
  UpdateAreaRequest,
  UpdateVenueRequest,
  Venue,
  VenueAreaParams,
  VenueParams,
} from '../../../shared/api.js';
import type { Clock } from '../../platform/clock.js';
import { AppError } from '../../platform/errors.js';
import { fileResponse, sendPrivateFile, type ZodTypeProvider } from '../../platform/validation.js';
import type { AuthGuards } from '../auth/auth-context.js';
import type { AuthService } from '../auth/auth-service.js';
import type { CatalogueService } from '../catalogue/catalogue-service.js';
import type { QueueService } from '../queue/queue-service.js';
import type { AdminService } from './admin-service.js';
import type { CheckinService } from './checkin-service.js';
import type { ExportsService } from './exports-service.js';
import { minuteSample } from './line-history.js';

const tags = ['Admin'];
const VenueResponse = z.object({ venue: Venue }).describe('The venue');
const EventResponse = z.object({ event: Event }).describe('The event');
const ShowResponse = z.object({ show: ShowDetail }).describe('The show');

/** What the console's routes need. */
export interface AdminRoutesDeps {
  admin: AdminService;
  checkin: CheckinService;
  exports: ExportsService;
  catalogue: CatalogueService;
  auth: AuthService;
  queue: QueueService;
  guards: AuthGuards;
  clock: Clock;
  /** POST /api/admin/users/bulk for load tests (ENABLE_LOAD_TEST_API). */
  loadTestApi: boolean;
}

export function adminRoutes(fastify: FastifyInstance, deps: AdminRoutesDeps): void {
  const { admin, catalogue, auth, queue, guards } = deps;
  const app = fastify.withTypeProvider<ZodTypeProvider>();

  app.get(
    '/api/admin/shows/:showId/stats',
    {
      schema: { tags, summary: 'Live sale figures of a show', params: ShowParams, response: { 200: SaleStats.describe('Figures') } },
      config: { access: 'admin', refusals: ['NOT_FOUND'] },
    },
    async (req) => {
      await guards.requireAdmin(req);
      const { showId } = req.params;
      const line = await queue.stats(showId); // 404 for an unknown show
      return { ...line, ...(await admin.seatCounts(showId, deps.clock.now())), ...(await admin.sales(showId)) };
    },
  );

  app.get(
    '/api/admin/shows/:showId/stats/history',
    {
      schema: {
        tags,
        summary: "The sale minute by minute from the database (tickets sold, orders paid, revenue, the line's figures): the dashboard's charts after a reload",
        description: '`minutes` back from now (1..1440, default 60); every minute is listed, oldest first. The line is recorded by every instance several times a minute, one row per minute.',
        params: ShowParams,
        querystring: StatsHistoryQuery,
        response: { 200: SalesHistory.describe('Per-minute points') },
      },
      config: { access: 'admin', refusals: ['NOT_FOUND'] },
    },
    async (req) => {
      await guards.requireAdmin(req);
      const { showId } = req.params;
      const minutes = Number(req.query.minutes ?? 60);
      await catalogue.rules(showId); // 404 for an unknown show
      const { currency } = await admin.sales(showId);
      const live = minuteSample(await queue.lineFigures(showId));
      return { currency, points: await admin.history(showId, deps.clock.now(), minutes, live) };
    },
  );

  const formulas = 'A cell that a spreadsheet would run as a formula starts with an apostrophe.';
  const csv = {
    orders: {
      summary: "The show's orders as CSV, one row per order (not those still in checkout)",
      description: `Columns: order_id, status, buyer_name, buyer_email, tickets, total, currency, created_at, paid_at. ${formulas}`,
    },
    attendees: {
      summary: "The show's attendees as CSV, one row per ticket",
      description: `Columns: ticket_id, order_id, order_status, name, email, area, row, seat, checked_in_at. ${formulas}`,
    },
  };
  for (const [file, make] of [
    ['orders', (id: string) => deps.exports.ordersCsv(id)],
    ['attendees', (id: string) => deps.exports.attendeesCsv(id)],
  ] as const) {
    app.get(
      `/api/admin/shows/:showId/${file}.csv`,
      {
        schema: {
          tags,
          ...csv[file],
          params: ShowParams,
          response: { 200: fileResponse('text/csv', 'text/csv (`content-disposition: attachment`)') },
        },
        config: { access: 'admin', refusals: ['NOT_FOUND'] },
      },
      async (req, reply) => {
        await guards.requireAdmin(req);
        const { showId } = req.params;
        const body = await make(showId); // 404 for an unknown show
        return sendPrivateFile(reply, 'text/csv; charset=utf-8', `${file}-${showId}.csv`, body);
      },
    );
  }

  app.get(
    '/api/admin/venues',
    {
      schema: { tags, summary: 'List venues', response: { 200: z.object({ venues: z.array(Venue) }).describe('Venues') } },
      config: { access: 'admin' },
    },
    async (req) => {
      await guards.requireAdmin(req);
      return { venues: await admin.listVenues() };
    },
  );

  app.post(
    '/api/admin/venues',
    {
      schema: {
        tags,
        summary: 'Create a venue with its seat grid',
        description: "`timeZone` is an IANA name (`Asia/Taipei`); unset, the server's `DEFAULT_TIME_ZONE`.",
        body: CreateVenueRequest,
        response: { 201: VenueResponse },
      },
      config: { access: 'admin' },
    },
    async (req, reply) => {
      await guards.requireAdmin(req);
      return reply.status(201).send({ venue: await admin.createVenue(req.body) });
    },
  );

  app.patch(
    '/api/admin/venues/:venueId',
    {
      schema: {
        tags,
        summary: "Change a venue's name, city, address or time zone (not its seat grid)",
        params: VenueParams,
        body: UpdateVenueRequest,
        response: { 200: VenueResponse },
      },
      config: { access: 'admin', refusals: ['NOT_FOUND'] },
    },
    async (req) => {
      await guards.requireAdmin(req);
      return { venue: await admin.updateVenue(req.params.venueId, req.body) };
    },
  );

  app.patch(
    '/api/admin/venues/:venueId/areas/:areaId',
    {
      schema: {
        tags,
        summary: "Change an area after the venue exists: its name, a standing area's capacity, a seated area's wheelchair seats",
        description:
          'A capacity raised adds places on sale in every show that has not started; lowered, only places free in every show go (409 `SEAT_UNAVAILABLE` with `details.removable` otherwise, and nothing changes). `accessibleSeats` replaces the marked set.',
        params: VenueAreaParams,
        body: UpdateAreaRequest,
        response: { 200: VenueResponse },
      },
      config: { access: 'admin', refusals: ['NOT_FOUND', 'SEAT_UNAVAILABLE', 'CONFLICT'] },
    },
    async (req) => {
      await guards.requireAdmin(req);
      return { venue: await admin.updateArea(req.params.venueId, req.params.areaId, req.body, deps.clock.now()) };
    },
  );

  app.post(
    '/api/admin/events',
    {
      schema: { tags, summary: 'Create an event', body: CreateEventRequest, response: { 201: EventResponse } },
      config: { access: 'admin' },
    },
    async (req, reply) => {
      await guards.requireAdmin(req);
      return reply.status(201).send({ event: await admin.createEvent(req.body) });
    },
  );

  app.patch(
    '/api/admin/events/:eventId',
    {
      schema: { tags, summary: 'Change an event', params: EventParams, body: UpdateEventRequest, response: { 200: EventResponse } },
      config: { access: 'admin', refusals: ['NOT_FOUND'] },
    },
    async (req) => {
      await guards.requireAdmin(req);
      return { event: await admin.updateEvent(req.params.eventId, req.body) };
    },
  );

  app.post(
    '/api/admin/shows',
    {
      schema: { tags, summary: 'Create a show of an event at a venue, with a price per area', body: CreateShowRequest, response: { 201: ShowResponse } },
      config: { access: 'admin', refusals: ['NOT_FOUND'] },
    },
    async (req, reply) => {
      await guards.requireAdmin(req);
      const id = await admin.createShow(req.body);
      return reply.status(201).send({ show: await catalogue.getShow(id) });
    },
  );

  app.patch(
    '/api/admin/shows/:showId',
    {
      schema: { tags, summary: "Change a show's dates, sale rules or prices", params: ShowParams, body: UpdateShowRequest, response: { 200: ShowResponse } },
      config: { access: 'admin', refusals: ['NOT_FOUND'] },
    },
    async (req) => {
      await guards.requireAdmin(req);
      const { showId } = req.params;
      await admin.updateShow(showId, req.body);
      return { show: await catalogue.getShow(showId) };
    },
  );

  app.get(
    '/api/admin/events',
    {
      schema: {
        tags,
        summary: "Every event with every show and its sale rules (the organizer console's list)",
        response: { 200: z.object({ events: z.array(AdminEvent) }).describe('Events') },
      },
      config: { access: 'admin' },
    },
    async (req) => {
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
    },
  );

  app.post(
    '/api/admin/checkin',
    {
      schema: {
        tags,
        summary: 'Check a ticket in at the door of one show by its code',
        description:
          'Atomic: of two scans of one ticket exactly one succeeds. A ticket of another show is 409 `WRONG_SHOW` (`details.showId`), a refunded or cancelled order’s ticket 409 `TICKET_VOID`, a used one 409 `ALREADY_CHECKED_IN` (`details.checkedInAt`); these carry the ticket with its event, date and seat in `details.ticket`.',
        body: CheckinRequest,
        response: { 200: z.object({ ticket: CheckinTicket }).describe('The ticket, now checked in, with its event and show') },
      },
      config: { access: 'admin', refusals: ['NOT_FOUND', 'ALREADY_CHECKED_IN', 'WRONG_SHOW', 'TICKET_VOID'] },
    },
    async (req) => {
      await guards.requireAdmin(req);
      return { ticket: await deps.checkin.checkIn(req.body.code, req.body.showId) };
    },
  );

  app.post(
    '/api/admin/users/bulk',
    {
      schema: {
        tags,
        summary: 'Create load-test customers, each with a session token',
        description: 'Exists only when the server runs with `ENABLE_LOAD_TEST_API=1`; otherwise 404.',
        body: BulkUsersRequest,
        response: { 201: z.object({ users: z.array(BulkUser) }).describe('The accounts') },
      },
      config: { access: 'admin', refusals: ['NOT_FOUND'] },
      // Absent unless the operator turned it on: a 404 like any unknown route, whoever asks with whatever.
      preValidation: async () => {
        if (!deps.loadTestApi) throw new AppError('NOT_FOUND', `No route for POST /api/admin/users/bulk`);
      },
    },
    async (req, reply) => {
      await guards.requireAdmin(req);
      const { count, emailPrefix, password } = req.body;
      return reply.status(201).send({ users: await auth.bulkCreate(count, emailPrefix, password) });
    },
  );
}
