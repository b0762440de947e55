import type { Order, OrderItem, Ticket } from '../../../shared/api.js';
import type { Queryable } from '../../platform/database.js';
import { OrdersRepository } from './orders-repository.js';
import type { TicketRow } from './tickets-repository.js';

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
  // One statement: each order comes with its lines and, when it was paid, its tickets.
  const rows = await orders.listForAccount(userId, orderId, limit);
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
      tickets: o.tickets.map((t) => toTicket({ ...t, checked_in_at: t.checked_in_at === null ? null : new Date(t.checked_in_at) })),
      show: { startsAt: o.starts_at.toISOString(), eventTitle: o.event_title, artist: o.artist, venueName: o.venue_name, venueTimeZone: o.venue_time_zone },
    }),
  );
}
