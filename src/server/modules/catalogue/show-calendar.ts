import { createEvent, type EventAttributes } from 'ics';
import type { ShowDetail } from '../../../shared/api.js';

export type CalendarFor = 'onsale' | 'show';

/** How long a show is put in a calendar: the catalogue knows when it starts, not when it ends. */
const SHOW_HOURS = 3;
/** The on-sale as an appointment: long enough to get through the line. */
const ON_SALE_MINUTES = 30;

/** "Mar 14, 2030, 19:30 GMT+8": a time in the text as the venue's clock reads it, labelled. */
function venueTime(iso: string, show: ShowDetail): string {
  const f = new Intl.DateTimeFormat('en-US', { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZoneName: 'short', timeZone: show.venue.timeZone });
  return f.format(new Date(iso));
}

/**
 * An iCalendar file (RFC 5545) for one show: its on-sale, or the show itself. Times are UTC, so
 * every calendar puts them at the right moment in its own zone; the UID is stable, so adding
 * the file again updates the entry instead of making a second one.
 */
export function showCalendar(show: ShowDetail, kind: CalendarFor): string {
  const where = [show.venue.name, show.venue.address, show.venue.city].filter((s) => s.trim()).join(', ');
  const preQueue = show.queueOpensAt < show.onSaleAt;
  const event: EventAttributes =
    kind === 'onsale'
      ? {
          start: Date.parse(preQueue ? show.queueOpensAt : show.onSaleAt),
          duration: { minutes: preQueue ? Math.ceil((Date.parse(show.onSaleAt) - Date.parse(show.queueOpensAt)) / 60_000) + ON_SALE_MINUTES : ON_SALE_MINUTES },
          title: `Tickets on sale: ${show.eventTitle}`,
          description: preQueue
            ? `The pre-queue opens at ${venueTime(show.queueOpensAt, show)} and tickets go on sale at ${venueTime(show.onSaleAt, show)}: everyone who joins before then is put in line in a random order.`
            : `Tickets go on sale at ${venueTime(show.onSaleAt, show)}.`,
        }
      : {
          start: Date.parse(show.startsAt),
          duration: { hours: SHOW_HOURS },
          title: show.eventTitle,
          description: `${show.artist} at ${show.venue.name}.`,
        };
  const { error, value } = createEvent({
    ...event,
    startInputType: 'utc',
    startOutputType: 'utc',
    location: where,
    uid: `${kind}-${show.id}@ticketclub`,
    productId: 'ticketclub',
    calName: 'TicketClub',
  });
  if (error || !value) throw error ?? new Error('ics: no calendar');
  return value;
}
