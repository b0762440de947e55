import type { FastifyInstance } from 'fastify';
import { ShowParams } from '../../../shared/api.js';
import { rateLimit, type LimiterFactory } from '../../platform/rate-limits.js';
import { parse } from '../../platform/validation.js';
import type { AuthGuards } from '../auth/auth-context.js';
import type { QueueService } from './queue-service.js';

export interface QueueRoutesOptions {
  limiters: LimiterFactory;
  /** Joins (retries included) per account per 10 seconds: a retry storm of one client; 0: no limit. */
  joinsPerAccount: number;
}

export function queueRoutes(app: FastifyInstance, queue: QueueService, guards: AuthGuards, o: QueueRoutesOptions): void {
  // No account: nothing taken, the route answers 401.
  const joinLimit = rateLimit(o.limiters, { keyPrefix: 'queue-join', points: o.joinsPerAccount, durationSeconds: 10 }, async (req) => (await guards.optionalUser(req))?.id);
  app.post('/api/shows/:showId/queue', { preHandler: joinLimit }, async (req) => {
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
