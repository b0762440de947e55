import type { Locale } from '../../../../shared/api.js';
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

const en = {
  subject: (event: string) => `Tickets for ${event} are waiting for you`,
  greeting: (name: string) => `Hi ${name},`,
  body: (n: number, event: string, venue: string, when: string) =>
    `${n === 1 ? 'a place' : `${n} places`} for ${event} at ${venue} on ${when} came back, and you are next on the waitlist. They are held for you now.`,
  deadline: (until: string) => `Pay by ${until}, or they go to the next person on the waitlist.`,
  action: 'Buy them now',
};

/** Every word of the waitlist offer, in each language. */
export const WAITLIST_OFFER_MESSAGES: Record<Locale, typeof en> = {
  en,
  'zh-TW': {
    subject: (event) => `「${event}」的票券正在等您`,
    greeting: (name) => `${name} 您好：`,
    body: (n, event, venue, when) => `${when} 在 ${venue} 的「${event}」釋出了 ${n} 個名額，候補名單上下一位就是您。這些名額現在為您保留。`,
    deadline: (until) => `請於 ${until} 前付款，否則名額將轉給候補名單上的下一位。`,
    action: '立即購買',
  },
};

export function waitlistOfferMail(o: WaitlistOffer, showUrl: string, locale: Locale = 'en'): RenderedMail {
  const m = WAITLIST_OFFER_MESSAGES[locale];
  return layout(
    m.subject(o.eventTitle),
    [m.greeting(o.buyerName), m.body(o.places, o.eventTitle, o.venueName, showTime(o.startsAt, o.timeZone, locale)), m.deadline(showTime(o.expiresAt, o.timeZone, locale))],
    { label: m.action, url: showUrl },
  );
}
