/** A real SMTP server in the test process (smtp-server), and what arrives at it, parsed (mailparser). */
import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { PDFParse } from 'pdf-parse';
import { SMTPServer } from 'smtp-server';

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

/** The text of a PDF, and how many images it shows (pdfkit stores a PNG's alpha as a second, mask image). */
export async function readPdf(pdf: Buffer): Promise<{ text: string; images: number }> {
  const parser = new PDFParse({ data: new Uint8Array(pdf) });
  try {
    const { text } = await parser.getText();
    const raw = pdf.toString('latin1');
    const images = (raw.match(/\/Subtype \/Image/g) ?? []).length - (raw.match(/\/SMask \d+ 0 R/g) ?? []).length;
    return { text, images };
  } finally {
    await parser.destroy();
  }
}
