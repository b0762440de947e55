import { showTime } from '../../orders/ticket-format.js';
import { layout, type RenderedMail } from './layout.js';

export interface WaitlistOffer {
  buyerName: string;
  eventTitle: string;
  venueName: string;
  startsAt: Date;
  timeZone: string;
  places: number;
  expiresAt: Date;
}

/** Every word of the waitlist offer, in one place (to be translated). */
export const WAITLIST_OFFER_MESSAGES = {
  subject: (event: string) => `Tickets for ${event} are waiting for you`,
  greeting: (name: string) => `Hi ${name},`,
  body: (n: number, event: string, venue: string, when: string) =>
    `${n === 1 ? 'a place' : `${n} places`} for ${event} at ${venue} on ${when} came back, and you are next on the waitlist. They are held for you now.`,
  deadline: (until: string) => `Pay by ${until}, or they go to the next person on the waitlist.`,
  action: 'Buy them now',
};

export function waitlistOfferMail(o: WaitlistOffer, showUrl: string, m = WAITLIST_OFFER_MESSAGES): RenderedMail {
  return layout(
    m.subject(o.eventTitle),
    [m.greeting(o.buyerName), m.body(o.places, o.eventTitle, o.venueName, showTime(o.startsAt, o.timeZone)), m.deadline(showTime(o.expiresAt, o.timeZone))],
    { label: m.action, url: showUrl },
  );
}
