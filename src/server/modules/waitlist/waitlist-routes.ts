import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { AdminWaitlistEntry, ShowParams, WaitlistEntry, WaitlistRequest } from '../../../shared/api.js';
import type { ZodTypeProvider } from '../../platform/validation.js';
import type { AuthGuards } from '../auth/auth-context.js';
import type { WaitlistService } from './waitlist-service.js';

export function waitlistRoutes(fastify: FastifyInstance, waitlist: WaitlistService, guards: AuthGuards): void {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const EntryResponse = z.object({ entry: WaitlistEntry });

  app.post(
    '/api/shows/:showId/waitlist',
    {
      schema: {
        tags: ['Seats and orders'],
        summary: 'Join the waitlist of a sold-out show with the places wanted (idempotent)',
        params: ShowParams,
        body: WaitlistRequest,
        response: { 201: EntryResponse.describe('The entry') },
      },
      config: { access: 'user', refusals: ['NOT_FOUND', 'NOT_SOLD_OUT', 'SALE_ENDED', 'TICKET_LIMIT_REACHED'] },
    },
    async (req, reply) => {
      const user = await guards.requireUser(req);
      return reply.status(201).send({ entry: await waitlist.join(req.params.showId, user.id, req.body.quantity) });
    },
  );

  app.get(
    '/api/shows/:showId/waitlist',
    {
      schema: { tags: ['Seats and orders'], summary: "The caller's waitlist entry", params: ShowParams, response: { 200: EntryResponse.describe('The entry') } },
      config: { access: 'user', refusals: ['NOT_FOUND'] },
    },
    async (req) => {
      const user = await guards.requireUser(req);
      return { entry: await waitlist.get(req.params.showId, user.id) };
    },
  );

  app.delete(
    '/api/shows/:showId/waitlist',
    {
      schema: {
        tags: ['Seats and orders'],
        summary: 'Leave the waitlist (places offered and not bought go to the next entry)',
        params: ShowParams,
        response: { 204: z.undefined().describe('Left') },
      },
      config: { access: 'user', refusals: ['NOT_FOUND'] },
    },
    async (req, reply) => {
      const user = await guards.requireUser(req);
      await waitlist.leave(req.params.showId, user.id);
      return reply.status(204).send();
    },
  );

  app.get(
    '/api/admin/shows/:showId/waitlist',
    {
      schema: {
        tags: ['Admin'],
        summary: "A show's waitlist with each entry's state",
        params: ShowParams,
        response: { 200: z.object({ entries: z.array(AdminWaitlistEntry) }).describe('The entries') },
      },
      config: { access: 'admin', refusals: ['NOT_FOUND'] },
    },
    async (req) => {
      await guards.requireAdmin(req);
      return { entries: await waitlist.list(req.params.showId) };
    },
  );
}
