import { inflateSync } from 'node:zlib';
import QRCode from 'qrcode';
import { describe, expect, it } from 'vitest';
import { qrPng, ticketPdf } from '../../src/server/modules/orders/ticket-pdf.js';
import { readPdf } from '../support/mail.js';
import { ticketSheet as sheet } from '../support/ticket-sheet.js';

/** Reads an 8-bit grayscale PNG whose rows are unfiltered (what qrPng writes). */
function readGrayPng(png: Buffer): { width: number; height: number; pixel(x: number, y: number): number } {
  expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
  let width = 0;
  let height = 0;
  const idat: Buffer[] = [];
  for (let at = 8; at < png.length; ) {
    const len = png.readUInt32BE(at);
    const type = png.subarray(at + 4, at + 8).toString('latin1');
    const data = png.subarray(at + 8, at + 8 + len);
    if (type === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      expect({ depth: data[8], colorType: data[9] }).toEqual({ depth: 8, colorType: 0 });
    }
    if (type === 'IDAT') idat.push(data);
    at += 12 + len;
  }
  const raw = inflateSync(Buffer.concat(idat));
  for (let y = 0; y < height; y++) expect(raw[y * (width + 1)]).toBe(0);
  return { width, height, pixel: (x, y) => raw[y * (width + 1) + 1 + x]! };
}

describe('ticket PDF', () => {
  it('draws each QR code module by module: every module of the code is a square of its colour', async () => {
    const code = 'Qm9vbS1ib29tLWJvb20tdGlja2V0LWNvZGUtMDAwMDE';
    const { modules } = QRCode.create(code, { errorCorrectionLevel: 'M' });
    const img = readGrayPng(await qrPng(code));
    const cell = img.width / (modules.size + 2); // one module of margin each side
    expect(Number.isInteger(cell)).toBe(true);
    expect(img.height).toBe(img.width);
    for (let r = 0; r < modules.size; r++) {
      for (let c = 0; c < modules.size; c++) {
        const dark = modules.get(r, c) ? 0 : 255;
        // Both corners of the module's square: whole pixels per module, nothing blurred.
        expect(img.pixel((c + 1) * cell, (r + 1) * cell)).toBe(dark);
        expect(img.pixel((c + 2) * cell - 1, (r + 2) * cell - 1)).toBe(dark);
      }
    }
  });

  it('prints a Latin-only sheet in the standard fonts (nothing embedded), and a sheet with Chinese in the embedded CJK font', async () => {
    const latin = await ticketPdf(sheet());
    expect(latin.toString('latin1')).not.toMatch(/\/FontFile/);
    expect((await readPdf(latin)).text).toContain('Paper Moon Live');

    const chinese = await ticketPdf(sheet({ eventTitle: '紙月亮 Live', buyerName: '林小明' }));
    expect(chinese.toString('latin1')).toMatch(/\/FontFile/);
    const { text, images } = await readPdf(chinese);
    expect(text).toContain('紙月亮 Live');
    expect(text).toContain('林小明');
    expect(images).toBe(1);
  });
});
