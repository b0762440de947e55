import { stringify } from 'csv-stringify/sync';
import type { Database } from '../../platform/database.js';
import { AppError } from '../../platform/errors.js';

type Cell = string | number | null;

/**
 * A cell a spreadsheet would run as a formula (=, +, -, @, or a tab or carriage return first) gets
 * a leading apostrophe: an attendee named "=HYPERLINK(...)" stays text in the organizer's Excel.
 */
export const neutralizeFormula = (cell: Cell): Cell => (typeof cell === 'string' && /^[=+\-@\t\r]/.test(cell) ? `'${cell}` : cell);

const csv = (header: string[], rows: Cell[][]): string =>
  stringify([header, ...rows.map((r) => r.map(neutralizeFormula))]);

const iso = (d: Date | null): string | null => d?.toISOString() ?? null;

/** The organizer's exports of one show: its orders and its attendees (one row per ticket). */
export class ExportsService {
  constructor(private readonly db: Database) {}

  private async requireShow(showId: string): Promise<void> {
    const { rowCount } = await this.db.query(`SELECT 1 FROM shows WHERE id = $1`, [showId]);
    if (rowCount === 0) throw new AppError('NOT_FOUND', 'No such show');
  }

  /** Every order of the show but those still being checked out, oldest first. */
  async ordersCsv(showId: string): Promise<string> {
    await this.requireShow(showId);
    const { rows } = await this.db.query<{
      id: string;
      status: string;
      name: string;
      email: string;
      tickets: number;
      total: number;
      currency: string;
      created_at: Date;
      paid_at: Date | null;
    }>(
      `SELECT o.id, o.status, u.name, u.email, (SELECT count(*)::int FROM order_items oi WHERE oi.order_id = o.id) AS tickets,
              o.total, o.currency, o.created_at, o.paid_at
         FROM orders o JOIN users u ON u.id = o.user_id
        WHERE o.show_id = $1 AND o.status <> 'pending'
        ORDER BY o.created_at, o.id`,
      [showId],
    );
    return csv(
      ['order_id', 'status', 'buyer_name', 'buyer_email', 'tickets', 'total', 'currency', 'created_at', 'paid_at'],
      rows.map((o) => [o.id, o.status, o.name, o.email, o.tickets, o.total, o.currency, iso(o.created_at), iso(o.paid_at)]),
    );
  }

  /** Every ticket of the show with its holder and place, in seat order. */
  async attendeesCsv(showId: string): Promise<string> {
    await this.requireShow(showId);
    const { rows } = await this.db.query<{
      id: string;
      order_id: string;
      order_status: string;
      name: string;
      email: string;
      area: string;
      row_number: number | null;
      seat_number: number | null;
      checked_in_at: Date | null;
    }>(
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
    return csv(
      ['ticket_id', 'order_id', 'order_status', 'name', 'email', 'area', 'row', 'seat', 'checked_in_at'],
      rows.map((t) => [t.id, t.order_id, t.order_status, t.name, t.email, t.area, t.row_number, t.seat_number, iso(t.checked_in_at)]),
    );
  }
}
