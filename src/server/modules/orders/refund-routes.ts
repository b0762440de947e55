import type { FastifyInstance } from 'fastify';
import { OrderParams, ShowParams } from '../../../shared/api.js';
import { parse } from '../../platform/validation.js';
import type { AuthGuards } from '../auth/auth-context.js';
import type { RefundService } from './refunds.js';

/** The console's side of orders: a show's orders, and refunds. */
export function refundRoutes(app: FastifyInstance, refunds: RefundService, showExists: (showId: string) => Promise<unknown>, guards: AuthGuards): void {
  app.get('/api/admin/shows/:showId/orders', async (req) => {
    await guards.requireAdmin(req);
    const { showId } = parse(ShowParams, req.params);
    await showExists(showId); // 404 for an unknown show
    return { orders: await refunds.ordersOf(showId) };
  });

  app.post('/api/admin/orders/:orderId/refund', async (req) => {
    await guards.requireAdmin(req);
    const { orderId } = parse(OrderParams, req.params);
    return { order: await refunds.refund(orderId) };
  });
}
