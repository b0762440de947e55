/**
 * CPU per ticket PDF (`npm run bench:pdf`): one-ticket sheets in English (Latin-only) and in
 * Chinese, rendered one after the other in this process. `-- <checkout dir>` measures the
 * generator of another checkout (e.g. one made by `git archive`) with the same sheets.
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { TicketSheet } from '../src/server/modules/orders/ticket-sheet.js';
import { ticketSheet as sheet } from '../test/support/ticket-sheet.js';

const root = resolve(process.argv[2] ?? new URL('..', import.meta.url).pathname);
const { ticketPdf } = (await import(pathToFileURL(resolve(root, 'src/server/modules/orders/ticket-pdf.ts')).href)) as {
  ticketPdf(sheet: TicketSheet): Promise<Buffer>;
};

const N = 200;
console.log(`ticket PDFs of ${root}, ${N} each after 20 to warm up`);
for (const [name, s] of [
  ['en, Latin-only', sheet({})],
  ['zh-TW, Chinese names', sheet({ buyerLocale: 'zh-TW', eventTitle: '紙月亮 Live', buyerName: '林小明', venueName: '台北小巨蛋' })],
] as const) {
  for (let i = 0; i < 20; i++) await ticketPdf(s);
  const cpu = process.cpuUsage();
  let bytes = 0;
  for (let i = 0; i < N; i++) bytes += (await ticketPdf(s)).length;
  const c = process.cpuUsage(cpu);
  console.log(`${name}: ${((c.user + c.system) / 1000 / N).toFixed(2)} ms CPU per PDF, ${Math.round(bytes / N / 1024)} KiB`);
}
