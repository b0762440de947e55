import type { Queryable } from '../../platform/database.js';

/** A ticket as its order lists it (read with the order: OrdersRepository.listForAccount). */
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
  /** Set when the order was refunded: the ticket lets no one in. */
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

/** A ticket as its sheet (the PDF) prints it, with what its seat was sold for (read with its order: OrdersRepository.paidSheet). */
export interface SheetTicketRow {
  id: string;
  code: string;
  area_name: string;
  row_number: number | null;
  seat_number: number | null;
  price: number;
}

/** A ticket as the organizer's attendees.csv lists it: its order, holder and place. */
export interface AttendeeRow {
  id: string;
  order_id: string;
  order_status: string;
  name: string;
  email: string;
  area: string;
  row_number: number | null;
  seat_number: number | null;
  checked_in_at: Date | null;
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

/** The tickets table: every statement on it is a named step here. */
export class TicketsRepository {
  constructor(private readonly q: Queryable) {}

  // Tickets are issued with the order's completion, in its one statement (OrdersRepository.completePayment):
  // one per sold seat; a unique index among tickets that are not void tickets a seat once whatever
  // happens around it (a refunded place may sell again).

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
          AND t.voided_at IS NULL AND o.id = t.order_id AND o.status = 'paid'
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

  /** Every ticket of the show with its order's status, holder and place, in seat order. */
  async attendeesOf(showId: string): Promise<AttendeeRow[]> {
    const { rows } = await this.q.query<AttendeeRow>(
      `SELECT t.id, t.order_id, o.status AS order_status, u.name, u.email, a.name AS area, s.row_number, s.seat_number, t.checked_in_at
         FROM tickets t
         JOIN orders o ON o.id = t.order_id
         JOIN users u ON u.id = t.user_id
         JOIN seats s ON s.id = t.seat_id
         JOIN areas a ON a.id = s.area_id
        WHERE t.show_id = $1
        ORDER BY a.position, s.row_number, s.seat_number, t.id`,
      [showId],
    );
    return rows;
  }

  /** A refunded order's tickets become void (they stay, so a scan at the door says why it is refused). */
  async voidTickets(orderId: string, now: Date): Promise<void> {
    await this.q.query(`UPDATE tickets SET voided_at = $2 WHERE order_id = $1 AND voided_at IS NULL`, [orderId, now]);
  }
}
