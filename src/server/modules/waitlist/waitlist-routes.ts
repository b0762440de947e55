import type { FastifyInstance } from 'fastify';
import { ShowParams, WaitlistRequest } from '../../../shared/api.js';
import { parse } from '../../platform/validation.js';
import type { AuthGuards } from '../auth/auth-context.js';
import type { WaitlistService } from './waitlist-service.js';

export function waitlistRoutes(app: FastifyInstance, waitlist: WaitlistService, guards: AuthGuards): void {
  app.post('/api/shows/:showId/waitlist', async (req, reply) => {
    const user = await guards.requireUser(req);
    const { showId } = parse(ShowParams, req.params);
    const { quantity } = parse(WaitlistRequest, req.body);
    return reply.status(201).send({ entry: await waitlist.join(showId, user.id, quantity) });
  });

  app.get('/api/shows/:showId/waitlist', async (req) => {
    const user = await guards.requireUser(req);
    const { showId } = parse(ShowParams, req.params);
    return { entry: await waitlist.get(showId, user.id) };
  });

  app.delete('/api/shows/:showId/waitlist', async (req, reply) => {
    const user = await guards.requireUser(req);
    const { showId } = parse(ShowParams, req.params);
    await waitlist.leave(showId, user.id);
    return reply.status(204).send();
  });

  app.get('/api/admin/shows/:showId/waitlist', async (req) => {
    await guards.requireAdmin(req);
    const { showId } = parse(ShowParams, req.params);
    return { entries: await waitlist.list(showId) };
  });
}
