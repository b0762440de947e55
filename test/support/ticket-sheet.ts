import type { TicketSheet } from '../../src/server/modules/orders/ticket-sheet.js';

/** A one-ticket sheet in English (Latin-only text), with whatever `o` changes: the PDF tests' and `npm run bench:pdf`'s. */
export const ticketSheet = (o: Partial<TicketSheet> = {}): TicketSheet => ({
  orderId: '7b0c4c2e-1111-4222-8333-444455556666',
  buyerName: 'Ada Lovelace',
  buyerEmail: 'ada@example.com',
  buyerLocale: 'en',
  eventTitle: 'Paper Moon Live',
  artist: 'Paper Moon',
  venueName: 'Postal Hall',
  venueCity: 'Taipei',
  venueAddress: '2 Nanjing E Rd',
  startsAt: new Date('2030-03-14T11:30:00Z'),
  timeZone: 'Asia/Taipei',
  total: 2800,
  currency: 'TWD',
  refunded: false,
  tickets: [{ id: 't1', code: 'Qm9vbS1ib29tLWJvb20tdGlja2V0LWNvZGUtMDAwMDE', areaName: 'Floor', row: 3, number: 12, price: 2800 }],
  ...o,
});
