import PDFDocument from 'pdfkit';
import QRCode from 'qrcode';
import type { TicketSheet } from './ticket-sheet.js';
import { money, showTime } from './ticket-format.js';

/** Every word the ticket PDF prints, in one place (to be translated). */
export const TICKET_PDF_MESSAGES = {
  title: (event: string) => `Tickets: ${event}`,
  ticketOf: (i: number, n: number) => `Ticket ${i} of ${n}`,
  venue: 'Venue',
  time: 'Time',
  area: 'Area',
  row: 'Row',
  seat: 'Seat',
  standing: 'Standing',
  price: 'Price',
  holder: 'Ticket holder',
  order: 'Order',
  code: 'Ticket code',
  footer: 'Show this QR code at the door. Each code lets one person in, once.',
};

/**
 * One A5 page per ticket: its QR code (the ticket code check-in reads), event, venue, area, row,
 * seat and the show's time on the venue's clock. Serves tickets.pdf and the confirmation email.
 */
export async function ticketPdf(sheet: TicketSheet, m = TICKET_PDF_MESSAGES): Promise<Buffer> {
  const qrs = await Promise.all(sheet.tickets.map((t) => QRCode.toBuffer(t.code, { errorCorrectionLevel: 'M', margin: 1, width: 300 })));
  const doc = new PDFDocument({ size: 'A5', margin: 36, autoFirstPage: false, info: { Title: m.title(sheet.eventTitle), Author: 'TicketClub' } });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const when = showTime(sheet.startsAt, sheet.timeZone);
  sheet.tickets.forEach((t, i) => {
    doc.addPage();
    const width = doc.page.width - 72;
    doc.font('Helvetica').fontSize(9).fillColor('#555').text(m.ticketOf(i + 1, sheet.tickets.length), { align: 'right' });
    doc.moveDown(0.5);
    doc.font('Helvetica-Bold').fontSize(20).fillColor('#000').text(sheet.eventTitle, { width });
    doc.font('Helvetica').fontSize(12).text(sheet.artist, { width });
    doc.moveDown(0.8);
    const line = (label: string, value: string) => {
      doc.font('Helvetica-Bold').fontSize(10).text(`${label}: `, { continued: true }).font('Helvetica').text(value, { width });
    };
    line(m.venue, [sheet.venueName, sheet.venueAddress, sheet.venueCity].filter(Boolean).join(', '));
    line(m.time, when);
    line(m.area, t.areaName);
    if (t.row === null || t.number === null) line(m.seat, m.standing);
    else {
      line(m.row, String(t.row));
      line(m.seat, String(t.number));
    }
    line(m.price, money(t.price, sheet.currency));
    line(m.holder, sheet.buyerName);
    line(m.order, sheet.orderId);
    doc.moveDown(1);
    const size = 200;
    doc.image(qrs[i]!, (doc.page.width - size) / 2, doc.y, { width: size, height: size });
    doc.y += size + 8;
    doc.font('Courier').fontSize(8).text(`${m.code}: ${t.code}`, 36, doc.y, { width, align: 'center' });
    doc.moveDown(1);
    doc.font('Helvetica').fontSize(9).fillColor('#555').text(m.footer, { width, align: 'center' });
  });
  doc.end();
  return done;
}
