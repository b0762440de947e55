/** A real SMTP server in the test process (smtp-server), and what arrives at it, parsed (mailparser). */
import type { AddressInfo } from 'node:net';
import { inflateSync } from 'node:zlib';
import jsQRModule from 'jsqr';
import { simpleParser, type ParsedMail } from 'mailparser';
import { PDFParse } from 'pdf-parse';
import { SMTPServer } from 'smtp-server';

// jsqr is CommonJS whose types declare an ES default export: under Node's interop that is `.default`.
const jsQR = jsQRModule.default;

export interface TestSmtp {
  url: string;
  received: ParsedMail[];
  /** The next n messages are refused with a temporary error (a server in trouble). */
  refuseNext(n: number): void;
  close(): Promise<void>;
}

export async function startSmtp(): Promise<TestSmtp> {
  const received: ParsedMail[] = [];
  let refuse = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, _session, done) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        if (refuse > 0) {
          refuse--;
          return done(Object.assign(new Error('Try again later'), { responseCode: 451 }));
        }
        // Parsed before the server says OK: once the sender's send resolves, the message is here.
        simpleParser(Buffer.concat(chunks)).then(
          (m) => {
            received.push(m);
            done();
          },
          (e: Error) => done(e),
        );
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    refuseNext: (n) => (refuse = n),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/**
 * The text of a PDF, and what each QR code drawn in it reads as (in the order they are drawn), read
 * the way a scanner would: the squares of each content stream painted into a bitmap and decoded.
 */
export async function readPdf(pdf: Buffer): Promise<{ text: string; qrCodes: string[] }> {
  const parser = new PDFParse({ data: new Uint8Array(pdf) });
  try {
    const { text } = await parser.getText();
    return { text, qrCodes: qrCodesIn(pdf) };
  } finally {
    await parser.destroy();
  }
}

/** Every compressed stream of a PDF (pdfkit writes each with its /Length), inflated. */
function streams(pdf: Buffer): Buffer[] {
  const raw = pdf.toString('latin1');
  const out: Buffer[] = [];
  for (const m of raw.matchAll(/<<([^]*?)>>\s*stream\r?\n/g)) {
    const length = /\/Length (\d+)/.exec(m[1]!);
    if (!length || !m[1]!.includes('/FlateDecode')) continue;
    const at = m.index + m[0].length;
    out.push(inflateSync(pdf.subarray(at, at + Number(length[1]))));
  }
  return out;
}

type Rect = [x: number, y: number, w: number, h: number];

/** The filled rectangles each content stream that paints any draws (drawQrCode's squares), and the smallest height among them: one module. */
export function qrDrawings(pdf: Buffer): { rects: Rect[]; cell: number }[] {
  const out: { rects: Rect[]; cell: number }[] = [];
  for (const stream of streams(pdf)) {
    const rects = [...stream.toString('latin1').matchAll(/(-?[\d.]+) (-?[\d.]+) (-?[\d.]+) (-?[\d.]+) re/g)].map((m) => m.slice(1, 5).map(Number) as Rect);
    if (rects.length > 0) out.push({ rects, cell: Math.min(...rects.map((r) => r[3])) });
  }
  return out;
}

/** The QR code each stream paints, decoded (`(unreadable)` where it does not read). */
function qrCodesIn(pdf: Buffer): string[] {
  return qrDrawings(pdf).map(({ rects, cell }) => {
    const left = Math.min(...rects.map((r) => r[0]));
    const top = Math.min(...rects.map((r) => r[1]));
    const n = Math.round((Math.max(...rects.map((r) => r[1] + r[3])) - top) / cell);
    // 4 px a module and 4 modules of white around, as a printed code has.
    const scale = 4;
    const side = (n + 8) * scale;
    const px = new Uint8ClampedArray(side * side * 4).fill(255);
    for (const [x, y, w] of rects) {
      const row = Math.round((y - top) / cell);
      const first = Math.round((x - left) / cell);
      const last = first + Math.round(w / cell);
      for (let col = first; col < last; col++)
        for (let dy = 0; dy < scale; dy++)
          for (let dx = 0; dx < scale; dx++) {
            const at = (((row + 4) * scale + dy) * side + (col + 4) * scale + dx) * 4;
            px[at] = px[at + 1] = px[at + 2] = 0;
          }
    }
    return jsQR(px, side, side)?.data ?? '(unreadable)';
  });
}
