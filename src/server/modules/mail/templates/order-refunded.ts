import { money, showTime } from '../../orders/ticket-format.js';
import { layout, type RenderedMail } from './layout.js';

export interface RefundedOrder {
  orderId: string;
  buyerName: string;
  eventTitle: string;
  startsAt: Date;
  timeZone: string;
  total: number;
  currency: string;
}

/** Every word of the refund notice, in one place (to be translated). */
export const ORDER_REFUNDED_MESSAGES = {
  subject: (event: string) => `Your order for ${event} was refunded`,
  greeting: (name: string) => `Hi ${name},`,
  body: (event: string, when: string, amount: string) =>
    `your order for ${event} on ${when} was refunded: ${amount} goes back to your card. Its tickets no longer let anyone in.`,
  action: 'View your order',
  footer: (orderId: string) => `Order ${orderId}.`,
};

export function orderRefundedMail(o: RefundedOrder, orderUrl: string, m = ORDER_REFUNDED_MESSAGES): RenderedMail {
  return layout(
    m.subject(o.eventTitle),
    [m.greeting(o.buyerName), m.body(o.eventTitle, showTime(o.startsAt, o.timeZone), money(o.total, o.currency))],
    { label: m.action, url: orderUrl },
    m.footer(o.orderId),
  );
}
