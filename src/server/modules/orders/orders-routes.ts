import type { FastifyInstance } from 'fastify';
import { CheckoutRequest, OrderParams, PayRequest, ShowParams } from '../../../shared/api.js';
import { parse } from '../../platform/validation.js';
import type { AuthGuards } from '../auth/auth-context.js';
import type { OrdersService } from './orders-service.js';

export function ordersRoutes(app: FastifyInstance, orders: OrdersService, guards: AuthGuards): void {
  app.post('/api/shows/:showId/checkout', async (req, reply) => {
    const user = await guards.requireUser(req);
    const { showId } = parse(ShowParams, req.params);
    const { seatIds } = parse(CheckoutRequest, req.body);
    return reply.status(201).send({ order: await orders.checkout(showId, user.id, seatIds) });
  });

  app.post('/api/orders/:orderId/pay', async (req) => {
    const user = await guards.requireUser(req);
    const { orderId } = parse(OrderParams, req.params);
    return { order: await orders.pay(orderId, user.id, parse(PayRequest, req.body)) };
  });

  app.delete('/api/orders/:orderId', async (req, reply) => {
    const user = await guards.requireUser(req);
    const { orderId } = parse(OrderParams, req.params);
    await orders.cancel(orderId, user.id);
    return reply.status(204).send();
  });

  app.get('/api/orders', async (req) => {
    const user = await guards.requireUser(req);
    return { orders: await orders.list(user.id) };
  });

  app.get('/api/orders/:orderId/tickets.pdf', async (req, reply) => {
    const user = await guards.requireUser(req);
    const { orderId } = parse(OrderParams, req.params);
    const pdf = await orders.ticketsPdf(orderId, user.id);
    return reply
      .header('content-type', 'application/pdf')
      .header('content-disposition', `attachment; filename="tickets-${orderId.slice(0, 8)}.pdf"`)
      .header('cache-control', 'private, no-store')
      .send(pdf);
  });

  app.get('/api/orders/:orderId', async (req) => {
    const user = await guards.requireUser(req);
    const { orderId } = parse(OrderParams, req.params);
    return { order: await orders.get(orderId, user.id) };
  });
}
