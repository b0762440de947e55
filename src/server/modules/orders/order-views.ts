import type { Order, OrderItem, Ticket } from '../../../shared/api.js';
import type { Queryable } from '../../platform/database.js';

interface OrderRow {
  id: string;
  show_id: string;
  status: Order['status'];
  total: number;
  currency: string;
  expires_at: Date;
  created_at: Date;
  paid_at: Date | null;
  refunded_at: Date | null;
  paying_attempt_id: string | null;
  starts_at: Date;
  event_title: string;
  artist: string;
  venue_name: string;
  venue_time_zone: string;
}

interface ItemRow {
  order_id: string;
  seat_id: string;
  area_name: string;
  row_number: number;
  seat_number: number;
  price: number;
}

interface TicketRow {
  id: string;
  order_id: string;
  show_id: string;
  seat_id: string;
  code: string;
  checked_in_at: Date | null;
  area_name: string;
  row_number: number;
  seat_number: number;
}

/** Row and number as the API shows them: null for a standing place (stored as row 0). */
export const placeOf = (r: { row_number: number; seat_number: number }): { row: number | null; number: number | null } =>
  r.row_number === 0 ? { row: null, number: null } : { row: r.row_number, number: r.seat_number };

export const TICKET_SELECT = `
  SELECT t.id, t.order_id, t.show_id, t.seat_id, t.code, t.checked_in_at, a.name AS area_name, s.row_number, s.seat_number
    FROM tickets t JOIN seats s ON s.id = t.seat_id JOIN areas a ON a.id = s.area_id`;

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
  const { rows } = await q.query<OrderRow>(
    `SELECT o.id, o.show_id, o.status, o.total, o.currency, o.expires_at, o.created_at, o.paid_at, o.refunded_at, o.paying_attempt_id,
            sh.starts_at, e.title AS event_title, e.artist, v.name AS venue_name, v.time_zone AS venue_time_zone
       FROM orders o
       JOIN shows sh ON sh.id = o.show_id
       JOIN events e ON e.id = sh.event_id
       JOIN venues v ON v.id = sh.venue_id
      WHERE o.user_id = $1 AND ($2::uuid IS NULL OR o.id = $2::uuid)
      ORDER BY o.created_at DESC, o.id DESC
      LIMIT $3`,
    [userId, orderId, limit],
  );
  if (rows.length === 0) return [];
  const ids = rows.map((o) => o.id);
  const [items, tickets] = await Promise.all([
    q.query<ItemRow>(
      `SELECT oi.order_id, oi.seat_id, a.name AS area_name, s.row_number, s.seat_number, oi.price
         FROM order_items oi JOIN seats s ON s.id = oi.seat_id JOIN areas a ON a.id = s.area_id
        WHERE oi.order_id = ANY($1::uuid[])
        ORDER BY a.position, s.row_number, s.seat_number`,
      [ids],
    ),
    q.query<TicketRow>(`${TICKET_SELECT} WHERE t.order_id = ANY($1::uuid[]) ORDER BY a.position, s.row_number, s.seat_number`, [ids]),
  ]);
  const itemsOf = group(items.rows, (i) => i.order_id);
  const ticketsOf = group(tickets.rows, (t) => t.order_id);
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
      items: (itemsOf.get(o.id) ?? []).map(
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
