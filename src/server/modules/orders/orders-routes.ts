import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { CheckoutRequest, Order, OrderParams, PayRequest, ShowParams } from '../../../shared/api.js';
import { fileResponse, sendPrivateFile, type ZodTypeProvider } from '../../platform/validation.js';
import type { AuthGuards } from '../auth/auth-context.js';
import type { OrdersService } from './orders-service.js';

export function ordersRoutes(fastify: FastifyInstance, orders: OrdersService, guards: AuthGuards): void {
  const app = fastify.withTypeProvider<ZodTypeProvider>();

  app.post(
    '/api/shows/:showId/checkout',
    {
      schema: {
        tags: ['Seats and orders'],
        summary: 'Turn held seats into a pending order (all or nothing; the seats become `locked`)',
        description:
          "Only for an account admitted to the show's selling page (else 403 `NOT_ADMITTED`). " +
          "Idempotent: a retried checkout of exactly the seats of the caller's pending order returns that order (201).",
        params: ShowParams,
        body: CheckoutRequest,
        response: { 201: z.object({ order: Order }).describe('The pending order') },
      },
      config: { access: 'user', refusals: ['NOT_ADMITTED', 'SALE_ENDED', 'NOT_FOUND', 'SEAT_UNAVAILABLE'] },
    },
    async (req, reply) => {
      const user = await guards.requireUser(req);
      return reply.status(201).send({ order: await orders.checkout(req.params.showId, user.id, req.body.seatIds) });
    },
  );

  app.post(
    '/api/orders/:orderId/pay',
    {
      schema: {
        tags: ['Seats and orders'],
        summary: 'Pay a pending order by card (paying a paid order returns it unchanged)',
        description:
          'The test provider declines card 4000000000000002 and accepts other Luhn-valid numbers. One charge of an order is in flight at a time: ' +
          'a second call waits for it, and answers 503 `UNAVAILABLE` if its outcome is not known yet (retry: the card is not charged twice).',
        params: OrderParams,
        body: PayRequest,
        response: { 200: z.object({ order: Order }).describe('The paid order with its tickets') },
      },
      config: { access: 'user', refusals: ['NOT_FOUND', 'PAYMENT_DECLINED', 'ORDER_EXPIRED', 'UNAVAILABLE'] },
    },
    async (req) => {
      const user = await guards.requireUser(req);
      return { order: await orders.pay(req.params.orderId, user.id, req.body) };
    },
  );

  app.delete(
    '/api/orders/:orderId',
    {
      schema: {
        tags: ['Seats and orders'],
        summary: 'Cancel a pending order (its seats become available)',
        params: OrderParams,
        response: { 204: z.undefined().describe('Cancelled') },
      },
      config: { access: 'user', refusals: ['NOT_FOUND', 'ORDER_NOT_PENDING'] },
    },
    async (req, reply) => {
      const user = await guards.requireUser(req);
      await orders.cancel(req.params.orderId, user.id);
      return reply.status(204).send();
    },
  );

  app.get(
    '/api/orders',
    {
      schema: { tags: ['Seats and orders'], summary: "The caller's orders, newest first", response: { 200: z.object({ orders: z.array(Order) }).describe('Orders') } },
      config: { access: 'user' },
    },
    async (req) => {
      const user = await guards.requireUser(req);
      return { orders: await orders.list(user.id) };
    },
  );

  app.get(
    '/api/orders/:orderId/tickets.pdf',
    {
      schema: {
        tags: ['Seats and orders'],
        summary: "The tickets of one of the caller's paid orders as a PDF: one page per ticket with its QR code, event, venue, seat and time in the venue's zone",
        description: "Another account's order, or one that is not paid, is a 404.",
        params: OrderParams,
        response: { 200: fileResponse('application/pdf', 'The PDF (`content-disposition: attachment`)') },
      },
      config: { access: 'user', refusals: ['NOT_FOUND'] },
    },
    async (req, reply) => {
      const user = await guards.requireUser(req);
      const { orderId } = req.params;
      const pdf = await orders.ticketsPdf(orderId, user.id);
      return sendPrivateFile(reply, 'application/pdf', `tickets-${orderId.slice(0, 8)}.pdf`, pdf);
    },
  );

  app.get(
    '/api/orders/:orderId',
    {
      schema: {
        tags: ['Seats and orders'],
        summary: "One of the caller's orders (another account's order is a 404)",
        params: OrderParams,
        response: { 200: z.object({ order: Order }).describe('The order') },
      },
      config: { access: 'user', refusals: ['NOT_FOUND'] },
    },
    async (req) => {
      const user = await guards.requireUser(req);
      return { order: await orders.get(req.params.orderId, user.id) };
    },
  );
}
