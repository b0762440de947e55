import type { FastifyPluginAsync } from 'fastify';
import type { Jobs } from '../../platform/jobs.js';
import type { AuthGuards } from '../auth/auth-context.js';
import { ordersRoutes } from './orders-routes.js';
import type { OrdersService } from './orders-service.js';
import { refundRoutes } from './refund-routes.js';
import type { RefundService } from './refunds.js';

export interface OrdersModuleOptions {
  orders: OrdersService;
  guards: AuthGuards;
  jobs: Jobs;
  refunds: RefundService;
  /** Throws 404 NOT_FOUND for an unknown show. */
  showExists(showId: string): Promise<unknown>;
}

/** Checkout, payment and tickets, the console's orders of a show and refunds, and the jobs that release expired holds and settle interrupted payments. */
export const ordersModule: FastifyPluginAsync<OrdersModuleOptions> = async (app, o) => {
  const { orders } = o;
  ordersRoutes(app, orders, o.guards);
  refundRoutes(app, o.refunds, o.showExists, o.guards);
  o.jobs.every({ name: 'release expired seats', run: () => orders.releaseExpired(), everyMs: 1_000 });
  // Also at start: attempts a crashed process left in flight hold their orders until resolved.
  o.jobs.every({ name: 'reconcile payments', run: () => orders.reconcilePayments(), everyMs: 5_000, atStart: true });
};
