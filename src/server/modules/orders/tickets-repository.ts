import type { Queryable } from '../../platform/database.js';

export interface TicketRow {
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

/** A ticket as the door sees it: its order's state and the night it is for. */
export interface CheckinRow {
  id: string;
  show_id: string;
  seat_id: string;
  code: string;
  checked_in_at: Date | null;
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

const TICKET_SELECT = `
  SELECT t.id, t.order_id, t.show_id, t.seat_id, t.code, t.checked_in_at, a.name AS area_name, s.row_number, s.seat_number
    FROM tickets t JOIN seats s ON s.id = t.seat_id JOIN areas a ON a.id = s.area_id`;

const CHECKIN_SELECT = `
  SELECT t.id, t.show_id, t.seat_id, t.code, t.checked_in_at, o.status AS order_status,
         a.name AS area_name, s.row_number, s.seat_number,
         e.title AS event_title, e.artist, v.name AS venue_name, v.time_zone AS venue_time_zone, sh.starts_at
    FROM tickets t
    JOIN orders o ON o.id = t.order_id
    JOIN seats s ON s.id = t.seat_id
    JOIN areas a ON a.id = s.area_id
    JOIN shows sh ON sh.id = t.show_id
    JOIN events e ON e.id = sh.event_id
    JOIN venues v ON v.id = sh.venue_id`;

/** The tickets table: every statement on it is a named step here. */
export class TicketsRepository {
  constructor(private readonly q: Queryable) {}

  /**
   * One ticket per seat of a paid order, each with its code. UNIQUE (show_id, seat_id) on tickets:
   * a seat is ticketed once whatever happens around it.
   */
  async issue(t: { orderId: string; userId: string; showId: string; seats: { seatId: string; code: string }[]; now: Date }): Promise<void> {
    await this.q.query(
      `INSERT INTO tickets (order_id, user_id, show_id, seat_id, code, created_at)
       SELECT $1, $2, $3, x.seat_id, x.code, $6 FROM unnest($4::uuid[], $5::text[]) AS x(seat_id, code)`,
      [t.orderId, t.userId, t.showId, t.seats.map((s) => s.seatId), t.seats.map((s) => s.code), t.now],
    );
  }

  /** The tickets of these orders, in the venue's seat order. */
  async ofOrders(orderIds: string[]): Promise<TicketRow[]> {
    const { rows } = await this.q.query<TicketRow>(`${TICKET_SELECT} WHERE t.order_id = ANY($1::uuid[]) ORDER BY a.position, s.row_number, s.seat_number`, [
      orderIds,
    ]);
    return rows;
  }

  /**
   * Lets the ticket of this code in at this show's door, once: one conditional UPDATE, so of two
   * scans at once exactly one sets checked_in_at. Only a paid order's ticket counts (a refunded or
   * cancelled one is void). Returns the ticket's id, or undefined when it was refused.
   */
  async checkIn(code: string, showId: string, now: Date): Promise<string | undefined> {
    const { rows } = await this.q.query<{ id: string }>(
      `UPDATE tickets t SET checked_in_at = $3
         FROM orders o
        WHERE t.code = $1 AND t.show_id = $2 AND t.checked_in_at IS NULL
          AND o.id = t.order_id AND o.status = 'paid'
        RETURNING t.id`,
      [code, showId, now],
    );
    return rows[0]?.id;
  }

  /** A ticket as the door sees it, by its id or by its code. */
  async forDoor(by: { id: string } | { code: string }): Promise<CheckinRow | undefined> {
    const [where, value] = 'id' in by ? ['t.id = $1', by.id] : ['t.code = $1', by.code];
    const { rows } = await this.q.query<CheckinRow>(`${CHECKIN_SELECT} WHERE ${where}`, [value]);
    return rows[0];
  }
}
