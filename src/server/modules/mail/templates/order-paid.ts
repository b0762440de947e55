import { money, showTime } from '../../orders/ticket-format.js';
import type { TicketSheet } from '../../orders/ticket-sheet.js';
import { layout, type RenderedMail } from './layout.js';

/** Every word of the order confirmation, in one place (to be translated). */
export const ORDER_PAID_MESSAGES = {
  subject: (event: string) => `Your tickets for ${event}`,
  greeting: (name: string) => `Hi ${name},`,
  intro: (n: number) => `thank you for your order. Your ${n === 1 ? 'ticket is' : `${n} tickets are`} attached as a PDF: show its QR code at the door.`,
  show: (event: string, artist: string, venue: string, when: string) => `${event} (${artist})\n${venue}\n${when}`,
  seat: (area: string, row: number | null, seat: number | null) => (row === null || seat === null ? `${area}, standing` : `${area}, row ${row}, seat ${seat}`),
  total: (amount: string) => `Total paid: ${amount}`,
  action: 'View your order',
  footer: (orderId: string) => `Order ${orderId}. You get this email because you bought tickets on TicketClub.`,
  attachment: (orderId: string) => `tickets-${orderId.slice(0, 8)}.pdf`,
};

export function orderPaidMail(sheet: TicketSheet, orderUrl: string, m = ORDER_PAID_MESSAGES): RenderedMail {
  const venue = [sheet.venueName, sheet.venueCity].filter(Boolean).join(', ');
  return layout(
    m.subject(sheet.eventTitle),
    [
      m.greeting(sheet.buyerName),
      m.intro(sheet.tickets.length),
      m.show(sheet.eventTitle, sheet.artist, venue, showTime(sheet.startsAt, sheet.timeZone)),
      sheet.tickets.map((t) => m.seat(t.areaName, t.row, t.number)).join('\n'),
      m.total(money(sheet.total, sheet.currency)),
    ],
    { label: m.action, url: orderUrl },
    m.footer(sheet.orderId),
  );
}
