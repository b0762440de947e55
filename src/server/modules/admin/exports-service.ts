import { stringify } from 'csv-stringify/sync';
import type { Database } from '../../platform/database.js';
import { AppError } from '../../platform/errors.js';
import { catalogueSteps } from '../catalogue/catalogue-service.js';
import { orderReads } from '../orders/order-reads.js';

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
    if (!(await catalogueSteps(this.db).shows.idOf(showId))) throw new AppError('NOT_FOUND', 'No such show');
  }

  /** Every order of the show but those still being checked out, oldest first. */
  async ordersCsv(showId: string): Promise<string> {
    await this.requireShow(showId);
    const rows = await orderReads(this.db).orders.forExport(showId);
    return csv(
      ['order_id', 'status', 'buyer_name', 'buyer_email', 'tickets', 'total', 'currency', 'created_at', 'paid_at'],
      rows.map((o) => [o.id, o.status, o.name, o.email, o.tickets, o.total, o.currency, iso(o.created_at), iso(o.paid_at)]),
    );
  }

  /** Every ticket of the show with its holder and place, in seat order. */
  async attendeesCsv(showId: string): Promise<string> {
    await this.requireShow(showId);
    const rows = await orderReads(this.db).tickets.attendeesOf(showId);
    return csv(
      ['ticket_id', 'order_id', 'order_status', 'name', 'email', 'area', 'row', 'seat', 'checked_in_at'],
      // A standing place (stored as row 0) has no row or seat; a refunded order's void ticket says so in order_status.
      rows.map((t) => [t.id, t.order_id, t.order_status, t.name, t.email, t.area, t.row_number || null, t.row_number ? t.seat_number : null, iso(t.checked_in_at)]),
    );
  }
}
