import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as fontkit from 'fontkit';
import PDFDocument from 'pdfkit';
import QRCode from 'qrcode';
import type { Locale } from '../../../shared/api.js';
import type { TicketSheet } from './ticket-sheet.js';
import { money, showTime } from './ticket-format.js';

const en = {
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

/** Every word the ticket PDF prints, in each language. */
export const TICKET_PDF_MESSAGES: Record<Locale, typeof en> = {
  en,
  'zh-TW': {
    title: (event) => `票券：${event}`,
    ticketOf: (i, n) => `第 ${i} 張，共 ${n} 張`,
    venue: '場館',
    time: '時間',
    area: '區域',
    row: '排',
    seat: '座位',
    standing: '站位',
    price: '票價',
    holder: '持票人',
    order: '訂單',
    code: '票券代碼',
    footer: '入場時請出示此 QR 碼。每個代碼限一人入場一次。',
  },
};

type Font = ReturnType<typeof fontkit.create>;
/**
 * Noto Sans Hant (OFL, from @embedpdf/fonts-tc): the standard PDF fonts have no Chinese glyphs, and
 * event names, venues and buyers may be Chinese in either language. Opened once, on the first PDF,
 * and the same fontkit fonts reused by every document (reopening the 5 MB fonts per PDF costs ~1 s).
 */
let fonts: { regular: Font; bold: Font } | undefined;
function cjkFonts(): { regular: Font; bold: Font } {
  if (!fonts) {
    const dir = join(dirname(createRequire(import.meta.url).resolve('@embedpdf/fonts-tc')), '..', 'fonts');
    const open = (file: string) => fontkit.create(readFileSync(join(dir, file)));
    fonts = { regular: open('NotoSansHant-Regular.otf'), bold: open('NotoSansHant-Bold.otf') };
  }
  return fonts;
}

/**
 * The QR code as an 8-bit grayscale PNG with no row filters: pngjs then does not try all five
 * filters on every row of an RGBA image, and pdfkit embeds a PNG without alpha as it is instead
 * of decoding it to split off a soft mask. Together that was half of the CPU time of a PDF.
 * (pngjs takes these options through qrcode's `rendererOpts`; its types list fewer.)
 */
const PNG_OPTIONS = { colorType: 0, filterType: 0, deflateLevel: 6 };
// 4 pixels a module (about 140 px square, drawn 200 pt wide): whole pixels per module stay sharp.
const QR_PNG: QRCode.QRCodeToBufferOptions = { errorCorrectionLevel: 'M', margin: 1, scale: 4, rendererOpts: PNG_OPTIONS };
/** The ticket code's QR code as the PDF embeds it. */
export const qrPng = (code: string): Promise<Buffer> => QRCode.toBuffer(code, QR_PNG);

/** pdfkit skips its default font when `font` is null; its types only allow a string. */
const NO_DEFAULT_FONT = null as unknown as string;

/** Printable with a standard PDF font (WinAnsi): ASCII and Latin-1. */
const LATIN = /^[\x20-\x7e\u00a0-\u00ff]*$/;

/** Every string the PDF prints in the text fonts (the ticket code is in Courier, and base64url). */
function printed(sheet: TicketSheet, locale: Locale, when: string): string[] {
  const m = TICKET_PDF_MESSAGES[locale];
  const labels = [m.ticketOf(sheet.tickets.length, sheet.tickets.length), m.venue, m.time, m.area, m.row, m.seat, m.standing, m.price, m.holder, m.order, m.code, m.footer];
  const fields = [sheet.eventTitle, sheet.artist, sheet.venueName, sheet.venueAddress, sheet.venueCity, sheet.buyerName, sheet.orderId, when];
  return [...labels, ...fields, ...sheet.tickets.flatMap((t) => [t.areaName, money(t.price, sheet.currency, locale)])];
}

/** pdfkit takes an opened fontkit font as a font source (it checks for `layout`), though its types only list files and bytes. */
const asFontSource = (f: Font) => f as unknown as PDFKit.Mixins.PDFFontSource;

/**
 * One A5 page per ticket, in the buyer's language: its QR code (the ticket code check-in reads),
 * event, venue, area, row, seat and the show's time on the venue's clock. Serves tickets.pdf and
 * the confirmation email.
 */
export async function ticketPdf(sheet: TicketSheet, locale: Locale = sheet.buyerLocale): Promise<Buffer> {
  const m = TICKET_PDF_MESSAGES[locale];
  const qrs = await Promise.all(sheet.tickets.map((t) => qrPng(t.code)));
  // No default font: the standard Helvetica (its AFM metrics parsed per document) is never used.
  const doc = new PDFDocument({ size: 'A5', margin: 36, autoFirstPage: false, font: NO_DEFAULT_FONT, info: { Title: m.title(sheet.eventTitle), Author: 'TicketClub' } });
  const when = showTime(sheet.startsAt, sheet.timeZone, locale);
  if (printed(sheet, locale, when).every((s) => LATIN.test(s))) {
    // Nothing to print needs the CJK font: the standard Helvetica has every glyph, is not embedded
    // and needs no shaping, where laying out and subsetting the 5 MB Noto font was most of a PDF.
    doc.registerFont('Text', 'Helvetica');
    doc.registerFont('Text-Bold', 'Helvetica-Bold');
  } else {
    const { regular, bold } = cjkFonts();
    doc.registerFont('Text', asFontSource(regular));
    doc.registerFont('Text-Bold', asFontSource(bold));
  }
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  sheet.tickets.forEach((t, i) => {
    doc.addPage();
    const width = doc.page.width - 72;
    doc.font('Text').fontSize(9).fillColor('#555').text(m.ticketOf(i + 1, sheet.tickets.length), { align: 'right' });
    doc.moveDown(0.5);
    doc.font('Text-Bold').fontSize(20).fillColor('#000').text(sheet.eventTitle, { width });
    doc.font('Text').fontSize(12).text(sheet.artist, { width });
    doc.moveDown(0.8);
    const line = (label: string, value: string) => {
      doc.font('Text-Bold').fontSize(10).text(`${label}: `, { continued: true }).font('Text').text(value, { width });
    };
    line(m.venue, [sheet.venueName, sheet.venueAddress, sheet.venueCity].filter(Boolean).join(', '));
    line(m.time, when);
    line(m.area, t.areaName);
    if (t.row === null || t.number === null) line(m.seat, m.standing);
    else {
      line(m.row, String(t.row));
      line(m.seat, String(t.number));
    }
    line(m.price, money(t.price, sheet.currency, locale));
    line(m.holder, sheet.buyerName);
    line(m.order, sheet.orderId);
    doc.moveDown(1);
    const size = 200;
    doc.image(qrs[i]!, (doc.page.width - size) / 2, doc.y, { width: size, height: size });
    doc.y += size + 8;
    doc.font('Text').fontSize(8).text(`${m.code}: `, 36, doc.y, { width, align: 'center', continued: true }).font('Courier').text(t.code);
    doc.moveDown(1);
    doc.font('Text').fontSize(9).fillColor('#555').text(m.footer, { width, align: 'center' });
  });
  doc.end();
  return done;
}
