import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { AdminOrderSummary, Order, OrderParams, ShowParams } from '../../../shared/api.js';
import type { ZodTypeProvider } from '../../platform/validation.js';
import type { AuthGuards } from '../auth/auth-context.js';
import type { RefundService } from './refunds.js';

/** The console's side of orders: a show's orders, and refunds. */
export function refundRoutes(fastify: FastifyInstance, refunds: RefundService, showExists: (showId: string) => Promise<unknown>, guards: AuthGuards): void {
  const app = fastify.withTypeProvider<ZodTypeProvider>();

  app.get(
    '/api/admin/shows/:showId/orders',
    {
      schema: {
        tags: ['Admin'],
        summary: "A show's orders, newest first (where refunds are made)",
        params: ShowParams,
        response: { 200: z.object({ orders: z.array(AdminOrderSummary) }).describe('The orders') },
      },
      config: { access: 'admin', refusals: ['NOT_FOUND'] },
    },
    async (req) => {
      await guards.requireAdmin(req);
      const { showId } = req.params;
      await showExists(showId); // 404 for an unknown show
      return { orders: await refunds.ordersOf(showId) };
    },
  );

  app.post(
    '/api/admin/orders/:orderId/refund',
    {
      schema: {
        tags: ['Admin'],
        summary: 'Refund a paid order through the payment provider: its tickets become void, its places go back on sale',
        description: 'Refunding twice returns it unchanged; of two admins at once one refunds. An order that is not paid is 409 `ORDER_NOT_PENDING`.',
        params: OrderParams,
        response: { 200: z.object({ order: Order }).describe('The refunded order') },
      },
      config: { access: 'admin', refusals: ['NOT_FOUND', 'ORDER_NOT_PENDING'] },
    },
    async (req) => {
      await guards.requireAdmin(req);
      return { order: await refunds.refund(req.params.orderId) };
    },
  );
}
