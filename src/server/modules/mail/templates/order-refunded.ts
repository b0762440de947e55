import type { Locale } from '../../../../shared/api.js';
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

const en = {
  subject: (event: string) => `Your order for ${event} was refunded`,
  greeting: (name: string) => `Hi ${name},`,
  body: (event: string, when: string, amount: string) =>
    `your order for ${event} on ${when} was refunded: ${amount} goes back to your card. Its tickets no longer let anyone in.`,
  action: 'View your order',
  footer: (orderId: string) => `Order ${orderId}.`,
};

/** Every word of the refund notice, in each language. */
export const ORDER_REFUNDED_MESSAGES: Record<Locale, typeof en> = {
  en,
  'zh-TW': {
    subject: (event) => `您的「${event}」訂單已退款`,
    greeting: (name) => `${name} 您好：`,
    body: (event, when, amount) => `您於 ${when} 的「${event}」訂單已退款：${amount} 將退回您的信用卡。這些票券已無法入場。`,
    action: '查看您的訂單',
    footer: (orderId) => `訂單 ${orderId}。`,
  },
};

export function orderRefundedMail(o: RefundedOrder, orderUrl: string, locale: Locale = 'en'): RenderedMail {
  const m = ORDER_REFUNDED_MESSAGES[locale];
  return layout(
    m.subject(o.eventTitle),
    [m.greeting(o.buyerName), m.body(o.eventTitle, showTime(o.startsAt, o.timeZone, locale), money(o.total, o.currency, locale))],
    { label: m.action, url: orderUrl },
    m.footer(o.orderId),
  );
}
