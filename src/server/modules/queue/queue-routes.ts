import type { FastifyInstance } from 'fastify';
import { ShowParams } from '../../../shared/api.js';
import { parse } from '../../platform/validation.js';
import type { AuthGuards } from '../auth/auth-context.js';
import type { QueueService } from './queue-service.js';

export function queueRoutes(app: FastifyInstance, queue: QueueService, guards: AuthGuards): void {
  app.post('/api/shows/:showId/queue', async (req) => {
    const user = await guards.requireUser(req);
    const { showId } = parse(ShowParams, req.params);
    return queue.join(showId, user.id);
  });

  app.get('/api/shows/:showId/queue', async (req) => {
    const user = await guards.requireUser(req);
    const { showId } = parse(ShowParams, req.params);
    return queue.get(showId, user.id);
  });

  app.get('/api/shows/:showId/draw', async (req) => {
    const { showId } = parse(ShowParams, req.params);
    return queue.publishedDraw(showId);
  });

  app.delete('/api/shows/:showId/queue', async (req, reply) => {
    const user = await guards.requireUser(req);
    const { showId } = parse(ShowParams, req.params);
    await queue.get(showId, user.id); // 404 for an unknown show
    await queue.leave(showId, user.id);
    return reply.status(204).send();
  });
}
