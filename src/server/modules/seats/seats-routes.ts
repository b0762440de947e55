import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { AreaHoldRequest, AreaParams, Seat, SeatParams, SeatsQuery, ShowParams } from '../../../shared/api.js';
import type { ZodTypeProvider } from '../../platform/validation.js';
import type { AuthGuards } from '../auth/auth-context.js';
import type { SeatsService } from './seats-service.js';

const admittedOnly = "Only for an account admitted to the show's selling page (else 403 `NOT_ADMITTED`).";

export function seatsRoutes(fastify: FastifyInstance, seats: SeatsService, guards: AuthGuards): void {
  const app = fastify.withTypeProvider<ZodTypeProvider>();

  app.get(
    '/api/shows/:showId/seats',
    {
      schema: {
        tags: ['Seats and orders'],
        summary: 'The seat map, optionally of one area',
        description: admittedOnly,
        params: ShowParams,
        querystring: SeatsQuery,
        response: { 200: z.object({ seats: z.array(Seat) }).describe('Seats') },
      },
      config: { access: 'user', refusals: ['NOT_ADMITTED', 'SALE_ENDED', 'NOT_FOUND'] },
    },
    async (req) => {
      const user = await guards.requireUser(req);
      const { areaId, mine } = req.query;
      return { seats: await seats.listSeats(req.params.showId, user.id, areaId, mine === 'true') };
    },
  );

  app.post(
    '/api/shows/:showId/seats/:seatId/hold',
    {
      schema: {
        tags: ['Seats and orders'],
        summary: 'Hold a seat (it becomes `selected` for the caller)',
        description: admittedOnly,
        params: SeatParams,
        response: { 200: z.object({ seat: Seat }).describe('The held seat') },
      },
      config: { access: 'user', refusals: ['NOT_ADMITTED', 'SALE_ENDED', 'NOT_FOUND', 'SEAT_UNAVAILABLE', 'TICKET_LIMIT_REACHED'] },
    },
    async (req) => {
      const user = await guards.requireUser(req);
      return { seat: await seats.hold(req.params.showId, req.params.seatId, user.id) };
    },
  );

  app.post(
    '/api/shows/:showId/areas/:areaId/hold',
    {
      schema: {
        tags: ['Seats and orders'],
        summary: 'Hold `quantity` places of one area at once (all or none): standing places, or the best available block',
        description: `${admittedOnly} A seated area gives adjacent seats of one row, lowest row first, not leaving a single empty seat between taken seats where another block avoids it.`,
        params: AreaParams,
        body: AreaHoldRequest,
        response: { 200: z.object({ seats: z.array(Seat) }).describe('The held places') },
      },
      config: { access: 'user', refusals: ['NOT_ADMITTED', 'SALE_ENDED', 'NOT_FOUND', 'SEAT_UNAVAILABLE', 'TICKET_LIMIT_REACHED'] },
    },
    async (req) => {
      const user = await guards.requireUser(req);
      return { seats: await seats.holdArea(req.params.showId, req.params.areaId, user.id, req.body.quantity) };
    },
  );

  app.delete(
    '/api/shows/:showId/seats/:seatId/hold',
    {
      schema: {
        tags: ['Seats and orders'],
        summary: 'Let go of a seat the caller holds',
        description: admittedOnly,
        params: SeatParams,
        response: { 204: z.undefined().describe('Released') },
      },
      config: { access: 'user', refusals: ['NOT_ADMITTED', 'SALE_ENDED', 'NOT_FOUND', 'SEAT_UNAVAILABLE'] },
    },
    async (req, reply) => {
      const user = await guards.requireUser(req);
      await seats.release(req.params.showId, req.params.seatId, user.id);
      return reply.status(204).send();
    },
  );
}
