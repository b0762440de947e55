import type { Order, OrderItem, Ticket } from '../../../shared/api.js';
import type { Queryable } from '../../platform/database.js';
import { OrdersRepository } from './orders-repository.js';
import { TicketsRepository, type TicketRow } from './tickets-repository.js';

/** Row and number as the API shows them: null for a standing place (stored as row 0). */
export const placeOf = (r: { row_number: number; seat_number: number }): { row: number | null; number: number | null } =>
  r.row_number === 0 ? { row: null, number: null } : { row: r.row_number, number: r.seat_number };

export const toTicket = (t: TicketRow): Ticket => ({
  id: t.id,
  showId: t.show_id,
  seatId: t.seat_id,
  code: t.code,
  areaName: t.area_name,
  ...placeOf(t),
  checkedInAt: t.checked_in_at?.toISOString() ?? null,
});

/**
 * The account's orders as the API shows them, newest first, with items, tickets and what they are
 * for. A pending order whose time ran out reads as expired even before the release job has run
 * (unless its payment is in flight).
 */
export async function readOrders(q: Queryable, userId: string, now: Date, orderId: string | null = null, limit = 100): Promise<Order[]> {
  const orders = new OrdersRepository(q);
  const rows = await orders.listForAccount(userId, orderId, limit);
  if (rows.length === 0) return [];
  // Only an order that was paid has tickets (they are issued in the transaction that pays it):
  // a checkout's or a pending order's answer needs no second statement.
  const ticketed = rows.filter((o) => o.status === 'paid' || o.status === 'refunded').map((o) => o.id);
  const tickets = ticketed.length > 0 ? await new TicketsRepository(q).ofOrders(ticketed) : [];
  const ticketsOf = group(tickets, (t) => t.order_id);
  return rows.map(
    (o): Order => ({
      id: o.id,
      // While a payment is in flight the order is still pending, window or not: the charge decides.
      status: o.status === 'pending' && o.expires_at <= now && o.paying_attempt_id === null ? 'expired' : o.status,
      showId: o.show_id,
      total: o.total,
      currency: o.currency,
      expiresAt: o.expires_at.toISOString(),
      createdAt: o.created_at.toISOString(),
      paidAt: o.paid_at?.toISOString() ?? null,
      refundedAt: o.refunded_at?.toISOString() ?? null,
      items: o.items.map(
        (i): OrderItem => ({ seatId: i.seat_id, areaName: i.area_name, ...placeOf(i), price: i.price }),
      ),
      tickets: (ticketsOf.get(o.id) ?? []).map(toTicket),
      show: { startsAt: o.starts_at.toISOString(), eventTitle: o.event_title, artist: o.artist, venueName: o.venue_name, venueTimeZone: o.venue_time_zone },
    }),
  );
}

function group<T>(rows: T[], key: (r: T) => string): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const r of rows) {
    const k = key(r);
    const list = m.get(k);
    if (list) list.push(r);
    else m.set(k, [r]);
  }
  return m;
}
