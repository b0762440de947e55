import type { Queryable } from '../../platform/database.js';
import { OrdersRepository } from './orders-repository.js';
import { TicketsRepository } from './tickets-repository.js';

/** The reads of orders and their tickets that other modules make (none of them writes). */
export interface OrderReads {
  /** admin: the dashboard's sales, orders.csv; mail: whom a refund email goes to and what it says. */
  orders: Pick<OrdersRepository, 'salesOf' | 'salesByMinute' | 'forExport' | 'buyerOf' | 'refundNotice'>;
  /** admin: attendees.csv. */
  tickets: Pick<TicketsRepository, 'attendeesOf'>;
}

/** The orders module's reads for the console (modules/admin) and email (modules/mail), on `q`. */
export const orderReads = (q: Queryable): OrderReads => ({ orders: new OrdersRepository(q), tickets: new TicketsRepository(q) });
