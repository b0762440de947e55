import type { CheckinTicket } from '../../../shared/api.js';
import type { Clock } from '../../platform/clock.js';
import type { Database } from '../../platform/database.js';
import { AppError } from '../../platform/errors.js';
import { placeOf } from '../orders/order-views.js';

interface CheckinRow {
  id: string;
  show_id: string;
  seat_id: string;
  code: string;
  checked_in_at: Date | null;
  voided_at: Date | null;
  order_status: string;
  area_name: string;
  row_number: number;
  seat_number: number;
  event_title: string;
  artist: string;
  venue_name: string;
  venue_time_zone: string;
  starts_at: Date;
}

const CHECKIN_SELECT = `
  SELECT t.id, t.show_id, t.seat_id, t.code, t.checked_in_at, t.voided_at, o.status AS order_status,
         a.name AS area_name, s.row_number, s.seat_number,
         e.title AS event_title, e.artist, v.name AS venue_name, v.time_zone AS venue_time_zone, sh.starts_at
    FROM tickets t
    JOIN orders o ON o.id = t.order_id
    JOIN seats s ON s.id = t.seat_id
    JOIN areas a ON a.id = s.area_id
    JOIN shows sh ON sh.id = t.show_id
    JOIN events e ON e.id = sh.event_id
    JOIN venues v ON v.id = sh.venue_id`;

const toCheckinTicket = (r: CheckinRow): CheckinTicket => ({
  id: r.id,
  showId: r.show_id,
  seatId: r.seat_id,
  code: r.code,
  areaName: r.area_name,
  ...placeOf(r),
  checkedInAt: r.checked_in_at?.toISOString() ?? null,
  eventTitle: r.event_title,
  artist: r.artist,
  venueName: r.venue_name,
  venueTimeZone: r.venue_time_zone,
  startsAt: r.starts_at.toISOString(),
});

/** At the door of one show: a ticket lets one person in, once, on its own show's night only. */
export class CheckinService {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
  ) {}

  async checkIn(code: string, showId: string): Promise<CheckinTicket> {
    const { rows: shows } = await this.db.query<{ id: string }>(`SELECT id FROM shows WHERE id = $1`, [showId]);
    const show = shows[0];
    if (!show) throw new AppError('NOT_FOUND', 'No such show');
    // One conditional UPDATE decides: of two scans of one ticket at once exactly one sets checked_in_at.
    // Only a paid order's ticket lets anyone in (a refunded or cancelled one is void).
    const { rows } = await this.db.query<{ id: string }>(
      `UPDATE tickets t SET checked_in_at = $3
         FROM orders o
        WHERE t.code = $1 AND t.show_id = $2 AND t.checked_in_at IS NULL
          AND t.voided_at IS NULL AND o.id = t.order_id AND o.status = 'paid'
        RETURNING t.id`,
      [code, show.id, new Date(this.clock.now())],
    );
    const { rows: found } = await this.db.query<CheckinRow>(`${CHECKIN_SELECT} WHERE ${rows[0] ? 't.id = $1' : 't.code = $1'}`, [
      rows[0]?.id ?? code,
    ]);
    const row = found[0];
    if (!row) throw new AppError('NOT_FOUND', 'No ticket with this code');
    const ticket = toCheckinTicket(row);
    if (rows[0]) return ticket;
    // Why not: the other show first (the door must send them elsewhere), then void, then used.
    if (row.show_id !== show.id) {
      throw new AppError('WRONG_SHOW', undefined, { showId: row.show_id, ticket });
    }
    if (row.order_status !== 'paid' || row.voided_at) throw new AppError('TICKET_VOID', undefined, { ticket });
    throw new AppError('ALREADY_CHECKED_IN', undefined, { checkedInAt: ticket.checkedInAt, ticket });
  }
}
