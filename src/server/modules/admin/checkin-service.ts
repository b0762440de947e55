import type { CheckinTicket } from '../../../shared/api.js';
import type { Clock } from '../../platform/clock.js';
import type { Database } from '../../platform/database.js';
import { AppError } from '../../platform/errors.js';
import { catalogueSteps } from '../catalogue/catalogue-service.js';
import type { CheckinRow } from '../orders/tickets-repository.js';
import { ticketsAtTheDoor } from '../orders/orders-service.js';
import { placeOf } from '../orders/order-views.js';

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
    const show = await catalogueSteps(this.db).shows.idOf(showId);
    if (!show) throw new AppError('NOT_FOUND', 'No such show');
    const tickets = ticketsAtTheDoor(this.db);
    const admitted = await tickets.checkIn(code, show, new Date(this.clock.now()));
    const row = await tickets.forDoor(admitted ? { id: admitted } : { code });
    if (!row) throw new AppError('NOT_FOUND', 'No ticket with this code');
    const ticket = toCheckinTicket(row);
    if (admitted) return ticket;
    // Why not: the other show first (the door must send them elsewhere), then void, then used.
    if (row.show_id !== show) {
      throw new AppError('WRONG_SHOW', undefined, { showId: row.show_id, ticket });
    }
    if (row.order_status !== 'paid' || row.voided_at) throw new AppError('TICKET_VOID', undefined, { ticket });
    throw new AppError('ALREADY_CHECKED_IN', undefined, { checkedInAt: ticket.checkedInAt, ticket });
  }
}
