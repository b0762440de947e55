import type { Locale } from '../../../shared/api.js';
import type { Queryable } from '../../platform/database.js';

/** What a paid order's tickets say, read from the database (for tickets.pdf and the confirmation email). */
export interface TicketSheet {
  orderId: string;
  buyerName: string;
  buyerEmail: string;
  /** The language the buyer reads the PDF and emails in. */
  buyerLocale: Locale;
  eventTitle: string;
  artist: string;
  venueName: string;
  venueCity: string;
  venueAddress: string;
  startsAt: Date;
  timeZone: string;
  total: number;
  currency: string;
  tickets: { id: string; code: string; areaName: string; row: number | null; number: number | null; price: number }[];
}

interface SheetRow {
  order_id: string;
  buyer_name: string;
  buyer_email: string;
  buyer_locale: Locale;
  event_title: string;
  artist: string;
  venue_name: string;
  venue_city: string;
  venue_address: string;
  starts_at: Date;
  time_zone: string;
  total: number;
  currency: string;
}

/**
 * The tickets of a paid order, or null when there is none to show: unknown, not paid, or (with
 * `userId`) another account's order, which is as unknown as a missing one.
 */
export async function readTicketSheet(q: Queryable, orderId: string, userId: string | null = null): Promise<TicketSheet | null> {
  const { rows } = await q.query<SheetRow>(
    `SELECT o.id AS order_id, u.name AS buyer_name, u.email AS buyer_email, u.locale AS buyer_locale, e.title AS event_title, e.artist,
            v.name AS venue_name, v.city AS venue_city, v.address AS venue_address, v.time_zone, sh.starts_at,
            o.total, o.currency
       FROM orders o
       JOIN users u ON u.id = o.user_id
       JOIN shows sh ON sh.id = o.show_id
       JOIN events e ON e.id = sh.event_id
       JOIN venues v ON v.id = sh.venue_id
      WHERE o.id = $1 AND o.status = 'paid' AND ($2::uuid IS NULL OR o.user_id = $2::uuid)`,
    [orderId, userId],
  );
  const o = rows[0];
  if (!o) return null;
  const { rows: tickets } = await q.query<{ id: string; code: string; area_name: string; row_number: number | null; seat_number: number | null; price: number }>(
    `SELECT t.id, t.code, a.name AS area_name, s.row_number, s.seat_number, oi.price
       FROM tickets t
       JOIN seats s ON s.id = t.seat_id
       JOIN areas a ON a.id = s.area_id
       JOIN order_items oi ON oi.order_id = t.order_id AND oi.seat_id = t.seat_id
      WHERE t.order_id = $1
      ORDER BY a.position, s.row_number, s.seat_number`,
    [orderId],
  );
  return {
    orderId: o.order_id,
    buyerName: o.buyer_name,
    buyerEmail: o.buyer_email,
    buyerLocale: o.buyer_locale,
    eventTitle: o.event_title,
    artist: o.artist,
    venueName: o.venue_name,
    venueCity: o.venue_city,
    venueAddress: o.venue_address,
    startsAt: o.starts_at,
    timeZone: o.time_zone,
    total: o.total,
    currency: o.currency,
    tickets: tickets.map((t) => ({ id: t.id, code: t.code, areaName: t.area_name, row: t.row_number, number: t.seat_number, price: t.price })),
  };
}
