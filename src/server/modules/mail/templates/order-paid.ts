import type { Locale } from '../../../../shared/api.js';
import { money, showTime } from '../../orders/ticket-format.js';
import type { TicketSheet } from '../../orders/ticket-sheet.js';
import { layout, type RenderedMail } from './layout.js';

const en = {
  subject: (event: string) => `Your tickets for ${event}`,
  greeting: (name: string) => `Hi ${name},`,
  intro: (n: number) => `thank you for your order. Your ${n === 1 ? 'ticket is' : `${n} tickets are`} attached as a PDF: show its QR code at the door.`,
  refundedIntro: (n: number) =>
    `thank you for your order. It has been refunded since, so ${n === 1 ? 'its ticket is' : `its ${n} tickets are`} void and none is attached: you will get a separate email about the refund.`,
  show: (event: string, artist: string, venue: string, when: string) => `${event} (${artist})\n${venue}\n${when}`,
  seat: (area: string, row: number | null, seat: number | null) => (row === null || seat === null ? `${area}, standing` : `${area}, row ${row}, seat ${seat}`),
  total: (amount: string) => `Total paid: ${amount}`,
  action: 'View your order',
  footer: (orderId: string) => `Order ${orderId}. You get this email because you bought tickets on TicketClub.`,
  attachment: (orderId: string) => `tickets-${orderId.slice(0, 8)}.pdf`,
};

/** Every word of the order confirmation, in each language. */
export const ORDER_PAID_MESSAGES: Record<Locale, typeof en> = {
  en,
  'zh-TW': {
    subject: (event) => `您的「${event}」票券`,
    greeting: (name) => `${name} 您好：`,
    intro: (n) => `感謝您的訂購。您的 ${n} 張票券已附在 PDF 檔中：入場時請出示 QR 碼。`,
    refundedIntro: (n) => `感謝您的訂購。此訂單其後已退款，因此其 ${n} 張票券已作廢，本信不附票券：退款的說明另以電子郵件寄送。`,
    show: (event, artist, venue, when) => `${event}（${artist}）\n${venue}\n${when}`,
    seat: (area, row, seat) => (row === null || seat === null ? `${area}，站位` : `${area}，第 ${row} 排 ${seat} 號`),
    total: (amount) => `付款總額：${amount}`,
    action: '查看您的訂單',
    footer: (orderId) => `訂單 ${orderId}。您收到這封信，是因為您在 TicketClub 購買了票券。`,
    attachment: (orderId) => `tickets-${orderId.slice(0, 8)}.pdf`,
  },
};

export function orderPaidMail(sheet: TicketSheet, orderUrl: string, locale: Locale = 'en'): RenderedMail {
  const m = ORDER_PAID_MESSAGES[locale];
  const venue = [sheet.venueName, sheet.venueCity].filter(Boolean).join(', ');
  return layout(
    m.subject(sheet.eventTitle),
    [
      m.greeting(sheet.buyerName),
      sheet.refunded ? m.refundedIntro(sheet.tickets.length) : m.intro(sheet.tickets.length),
      m.show(sheet.eventTitle, sheet.artist, venue, showTime(sheet.startsAt, sheet.timeZone, locale)),
      sheet.tickets.map((t) => m.seat(t.areaName, t.row, t.number)).join('\n'),
      m.total(money(sheet.total, sheet.currency, locale)),
    ],
    { label: m.action, url: orderUrl },
    m.footer(sheet.orderId),
  );
}
