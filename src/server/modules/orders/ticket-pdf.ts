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
 * Draws the ticket code's QR code as vector squares: one rectangle per run of dark modules in a row,
 * all filled at once (one fill leaves no hairline between abutting modules), with one module of
 * margin inside `size`. Sharp at any zoom, and nothing to encode: making the PNG that was drawn
 * before (qrcode's pixels, pngjs' packing) was about a third of a Latin ticket's CPU.
 */
export function drawQrCode(doc: PDFKit.PDFDocument, code: string, x: number, y: number, size: number): void {
  const { modules } = QRCode.create(code, { errorCorrectionLevel: 'M' });
  const n = modules.size;
  const cell = size / (n + 2);
  for (let row = 0; row < n; row++) {
    for (let col = 0; col < n; ) {
      if (!modules.get(row, col)) {
        col++;
        continue;
      }
      let end = col + 1;
      while (end < n && modules.get(row, end)) end++;
      doc.rect(x + (col + 1) * cell, y + (row + 1) * cell, (end - col) * cell, cell);
      col = end;
    }
  }
  doc.fill('#000');
}

type StandardFontName = 'Helvetica' | 'Helvetica-Bold' | 'Courier';
/** pdfkit's per-document font table and font counter, which its types do not list. */
interface FontTable {
  _fontFamilies: Record<string, object>;
  _fontCount: number;
}
/**
 * One font object per standard font, opened by pdfkit on a document of its own: the model of every
 * document's copy. Null where pdfkit's font objects or table are not what this expects (another
 * pdfkit): found out once, and every document then opens the font through pdfkit as usual.
 */
const standardFonts = new Map<StandardFontName, Record<string, unknown> | null>();

function standardFontModel(name: StandardFontName, doc: Partial<FontTable>): Record<string, unknown> | null {
  let model = standardFonts.get(name);
  if (model === undefined) {
    const scratch = new PDFDocument({ autoFirstPage: false, font: name }) as unknown as Partial<FontTable> & { _font?: Record<string, unknown> };
    const usable = scratch._font?.['font'] && scratch._font['name'] === name && typeof doc._fontFamilies === 'object' && typeof doc._fontCount === 'number';
    standardFonts.set(name, (model = usable ? scratch._font! : null));
  }
  return model;
}

/**
 * Makes the standard font `name` available as `key` in `doc`, its metrics parsed once per process.
 * pdfkit parses them again for every document (its AFM reader unpacks every kerning pair of the
 * font: a quarter of a Latin ticket's CPU). The metrics are only read, so each document gets its
 * own font object (its own id and PDF dictionary) over the same metrics, in pdfkit's font table.
 * Where that table is not what this expects (another pdfkit), or `shared` is false, pdfkit opens
 * the font as usual; `test/unit/ticket-pdf.test.ts` checks that both give the same bytes.
 */
function useStandardFont(doc: PDFKit.PDFDocument, key: string, name: StandardFontName, shared: boolean): void {
  const table = doc as unknown as FontTable;
  const model = shared ? standardFontModel(name, table) : null;
  if (!model) {
    doc.registerFont(key, name);
    return;
  }
  const { document: _document, id: _id, dictionary: _dictionary, embedded: _embedded, ...metrics } = model;
  table._fontFamilies[key] = Object.assign(Object.create(Object.getPrototypeOf(model) as object) as object, metrics, { document: doc, id: `F${++table._fontCount}` });
}

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
export function ticketPdf(sheet: TicketSheet, locale: Locale = sheet.buyerLocale, { sharedFonts = true }: { sharedFonts?: boolean } = {}): Promise<Buffer> {
  const m = TICKET_PDF_MESSAGES[locale];
  // No default font: pdfkit would open its Helvetica for every document, used or not.
  const doc = new PDFDocument({ size: 'A5', margin: 36, autoFirstPage: false, font: NO_DEFAULT_FONT, info: { Title: m.title(sheet.eventTitle), Author: 'TicketClub' } });
  const when = showTime(sheet.startsAt, sheet.timeZone, locale);
  if (printed(sheet, locale, when).every((s) => LATIN.test(s))) {
    // Nothing to print needs the CJK font: the standard Helvetica has every glyph, is not embedded
    // and needs no shaping, where laying out and subsetting the 5 MB Noto font was most of a PDF.
    useStandardFont(doc, 'Text', 'Helvetica', sharedFonts);
    useStandardFont(doc, 'Text-Bold', 'Helvetica-Bold', sharedFonts);
    useStandardFont(doc, 'Code', 'Courier', sharedFonts);
  } else {
    const { regular, bold } = cjkFonts();
    doc.registerFont('Text', asFontSource(regular));
    doc.registerFont('Text-Bold', asFontSource(bold));
    // Opened by pdfkit when first used, after the text fonts, as the font ids go (its metrics are
    // small: Courier has no kerning pairs to unpack, and this path lays out the Noto font anyway).
    doc.registerFont('Code', 'Courier');
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
    drawQrCode(doc, t.code, (doc.page.width - size) / 2, doc.y, size);
    doc.y += size + 8;
    doc.font('Text').fontSize(8).text(`${m.code}: `, 36, doc.y, { width, align: 'center', continued: true }).font('Code').text(t.code);
    doc.moveDown(1);
    doc.font('Text').fontSize(9).fillColor('#555').text(m.footer, { width, align: 'center' });
  });
  doc.end();
  return done;
}
