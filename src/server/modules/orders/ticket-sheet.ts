import type { Locale } from '../../../shared/api.js';
import type { Queryable } from '../../platform/database.js';
import { placeOf } from './order-views.js';
import { OrdersRepository } from './orders-repository.js';

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
  /** Refunded since it was paid: its tickets are void (only the confirmation email reads such an order). */
  refunded: boolean;
  tickets: { id: string; code: string; areaName: string; row: number | null; number: number | null; price: number }[];
}

/**
 * The tickets of a paid order, or null when there is none to show: unknown, not paid, or (with
 * `userId`) another account's order, which is as unknown as a missing one. `refunded`: a refunded
 * order's sheet too (its `refunded` says so).
 */
export async function readTicketSheet(q: Queryable, orderId: string, opts: { userId?: string; refunded?: boolean } = {}): Promise<TicketSheet | null> {
  const o = await new OrdersRepository(q).paidSheet(orderId, { userId: opts.userId ?? null, refunded: opts.refunded ?? false });
  if (!o) return null;
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
    refunded: o.refunded,
    // A standing place (stored as row 0) has no row or number.
    tickets: o.tickets.map((t) => ({ id: t.id, code: t.code, areaName: t.area_name, ...placeOf({ row_number: t.row_number ?? 0, seat_number: t.seat_number ?? 0 }), price: t.price })),
  };
}
