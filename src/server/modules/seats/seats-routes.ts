import type { FastifyInstance } from 'fastify';
import { AreaHoldRequest, AreaParams, SeatParams, SeatsQuery, ShowParams } from '../../../shared/api.js';
import { parse } from '../../platform/validation.js';
import type { AuthGuards } from '../auth/auth-context.js';
import type { SeatsService } from './seats-service.js';

export function seatsRoutes(app: FastifyInstance, seats: SeatsService, guards: AuthGuards): void {
  app.get('/api/shows/:showId/seats', async (req) => {
    const user = await guards.requireUser(req);
    const { showId } = parse(ShowParams, req.params);
    const { areaId, mine } = parse(SeatsQuery, req.query);
    return { seats: await seats.listSeats(showId, user.id, areaId, mine === 'true') };
  });

  app.post('/api/shows/:showId/seats/:seatId/hold', async (req) => {
    const user = await guards.requireUser(req);
    const { showId, seatId } = parse(SeatParams, req.params);
    return { seat: await seats.hold(showId, seatId, user.id) };
  });

  app.post('/api/shows/:showId/areas/:areaId/hold', async (req) => {
    const user = await guards.requireUser(req);
    const { showId, areaId } = parse(AreaParams, req.params);
    const { quantity } = parse(AreaHoldRequest, req.body);
    return { seats: await seats.holdArea(showId, areaId, user.id, quantity) };
  });

  app.delete('/api/shows/:showId/seats/:seatId/hold', async (req, reply) => {
    const user = await guards.requireUser(req);
    const { showId, seatId } = parse(SeatParams, req.params);
    await seats.release(showId, seatId, user.id);
    return reply.status(204).send();
  });
}
