import QRCode from 'qrcode';
import { describe, expect, it } from 'vitest';
import { ticketPdf } from '../../src/server/modules/orders/ticket-pdf.js';
import { qrDrawings, readPdf } from '../support/mail.js';
import { ticketSheet as sheet } from '../support/ticket-sheet.js';

/** A PDF with its creation time and file id (the only parts that differ from one run to the next) blanked. */
const timeless = (pdf: Buffer) =>
  pdf
    .toString('latin1')
    .replace(/\(D:\d{14}Z\)/g, '(D:)')
    .replace(/\/ID \[<[0-9a-f]+> <[0-9a-f]+>\]/g, '/ID []');

const tickets = [
  { id: 't1', code: 'Qm9vbS1ib29tLWJvb20tdGlja2V0LWNvZGUtMDAwMDE', areaName: 'Floor', row: 3, number: 12, price: 2800 },
  { id: 't2', code: 'c2Vjb25kLXRpY2tldC1jb2RlLWF0LXRoZS1kb29yLTI', areaName: 'Floor', row: 3, number: 13, price: 2800 },
  { id: 't3', code: 'standing_-place-XYZ', areaName: 'Standing', row: null, number: null, price: 1200 },
];

describe('ticket PDF', () => {
  it("when a sheet has several tickets, then each page's QR code reads as that ticket's code, in either font setup", async () => {
    for (const s of [sheet({ tickets }), sheet({ tickets, eventTitle: '紙月亮 Live', buyerName: '林小明' })]) {
      const { qrCodes } = await readPdf(await ticketPdf(s));
      expect(qrCodes).toEqual(tickets.map((t) => t.code));
    }
  });

  it('draws the QR code module for module: one square per dark module, on a grid of the code\'s size with a module of margin', async () => {
    const code = tickets[0]!.code;
    const { modules } = QRCode.create(code, { errorCorrectionLevel: 'M' });
    const pdf = await ticketPdf(sheet());
    const { qrCodes } = await readPdf(pdf);
    expect(qrCodes).toEqual([code]);
    let dark = 0;
    for (let i = 0; i < modules.size * modules.size; i++) dark += modules.data[i]!;
    // The rectangles cover exactly the dark modules: their areas add up to that many cells.
    const [{ rects, cell }] = qrDrawings(pdf) as [ReturnType<typeof qrDrawings>[number]];
    expect(cell).toBeCloseTo(200 / (modules.size + 2), 4);
    expect(rects.reduce((sum, [, , w, h]) => sum + (w * h) / (cell * cell), 0)).toBeCloseTo(dark, 3);
  });

  it('when standard fonts are shared between documents, then each document is byte for byte what pdfkit writes opening them itself', async () => {
    // Latin-only sheets: a sheet with Chinese opens every font through pdfkit.
    for (const s of [sheet({ tickets }), sheet()]) {
      // The first shared document opens the fonts, the second reuses them.
      const shared = [await ticketPdf(s), await ticketPdf(s)];
      const own = await ticketPdf(s, s.buyerLocale, { sharedFonts: false });
      for (const pdf of shared) expect(timeless(pdf)).toBe(timeless(own));
    }
  });

  it('prints a Latin-only sheet in the standard fonts (nothing embedded), and a sheet with Chinese in the embedded CJK font', async () => {
    const latin = await ticketPdf(sheet());
    expect(latin.toString('latin1')).not.toMatch(/\/FontFile/);
    expect((await readPdf(latin)).text).toContain('Paper Moon Live');

    const chinese = await ticketPdf(sheet({ eventTitle: '紙月亮 Live', buyerName: '林小明' }));
    expect(chinese.toString('latin1')).toMatch(/\/FontFile/);
    const { text, qrCodes } = await readPdf(chinese);
    expect(text).toContain('紙月亮 Live');
    expect(text).toContain('林小明');
    expect(qrCodes).toHaveLength(1);
  });
});
