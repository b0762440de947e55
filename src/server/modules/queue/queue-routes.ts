import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { DrawResponse, QueueResponse, ShowParams } from '../../../shared/api.js';
import { rateLimit, type LimiterFactory } from '../../platform/rate-limits.js';
import type { ZodTypeProvider } from '../../platform/validation.js';
import type { AuthGuards } from '../auth/auth-context.js';
import type { QueueService } from './queue-service.js';

export interface QueueRoutesOptions {
  limiters: LimiterFactory;
  /** Joins (retries included) per account per 10 seconds: a retry storm of one client; 0: no limit. */
  joinsPerAccount: number;
}

export function queueRoutes(fastify: FastifyInstance, queue: QueueService, guards: AuthGuards, o: QueueRoutesOptions): void {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  // No account: nothing taken, the route answers 401.
  const joinLimit = rateLimit(o.limiters, { keyPrefix: 'queue-join', points: o.joinsPerAccount, durationSeconds: 10 }, async (req) => (await guards.optionalUser(req))?.id);

  app.post(
    '/api/shows/:showId/queue',
    {
      schema: {
        tags: ['Waiting room'],
        summary: 'Join the waiting room (idempotent: a retry gets the place it already has)',
        description: 'Limited per account (a retry storm is answered 429 with retry-after). Keep a `queue:watch` socket open to keep the place.',
        params: ShowParams,
        response: { 200: QueueResponse.describe('Admitted, or waiting with a position and ETA') },
      },
      config: { access: 'user', refusals: ['NOT_FOUND', 'NOT_ON_SALE', 'SALE_ENDED', 'SOLD_OUT', 'TICKET_LIMIT_REACHED', 'RATE_LIMITED'] },
      preValidation: joinLimit,
    },
    async (req) => {
      const user = await guards.requireUser(req);
      return queue.join(req.params.showId, user.id);
    },
  );

  app.get(
    '/api/shows/:showId/queue',
    {
      schema: {
        tags: ['Waiting room'],
        summary: "This account's place for the show",
        params: ShowParams,
        response: { 200: QueueResponse.describe('Admitted, waiting, or `{state:"none"}`') },
      },
      config: { access: 'user', refusals: ['NOT_FOUND'] },
    },
    async (req) => {
      const user = await guards.requireUser(req);
      return queue.get(req.params.showId, user.id);
    },
  );

  app.get(
    '/api/shows/:showId/draw',
    {
      schema: {
        tags: ['Waiting room'],
        summary: "The pre-queue's draw: the seed's commitment from queueOpensAt, the seed and drawn order after onSaleAt",
        description:
          "The order is reproducible: entries sorted ascending by hex HMAC-SHA256(key: the seed's bytes, message: the entryId). 409 NOT_ON_SALE before queueOpensAt.",
        params: ShowParams,
        response: { 200: DrawResponse.describe('The commitment, and after the draw the seed and entries') },
      },
      config: { access: 'public', refusals: ['NOT_FOUND', 'NOT_ON_SALE'] },
    },
    async (req) => queue.publishedDraw(req.params.showId),
  );

  app.delete(
    '/api/shows/:showId/queue',
    {
      schema: {
        tags: ['Waiting room'],
        summary: 'Leave the line or the selling page (held seats are released)',
        params: ShowParams,
        response: { 204: z.undefined().describe('Left (an entry in the pre-queue is removed from the draw)') },
      },
      config: { access: 'user', refusals: ['NOT_FOUND'] },
    },
    async (req, reply) => {
      const user = await guards.requireUser(req);
      const { showId } = req.params;
      await queue.get(showId, user.id); // 404 for an unknown show
      await queue.leave(showId, user.id);
      return reply.status(204).send();
    },
  );
}
