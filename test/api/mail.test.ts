import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outbox } from '../../src/server/modules/mail/outbox.js';
import { call, createShow, newAdmin, newCustomer } from '../support/api-client.js';
import { useHarness } from '../support/api-suite.js';
import { startHarness, type Harness } from '../support/harness.js';
import { readPdf, type TestSmtp } from '../support/mail.js';
import { describeOnEachDatabase } from '../support/needs.js';
import { admit, checkout, hold, pay, seatIdsOf } from './seat-helpers.js';

const STARTS_AT = '2030-03-14T11:30:00.000Z'; // 19:30 in Taipei

/** A show at a venue in Taipei, on sale now. */
async function taipeiShow(app: FastifyInstance, admin: string, title: string) {
  const show = await createShow(app, admin, { event: { title, artist: 'The Mailers' }, venueName: 'Postal Hall', startsAt: STARTS_AT });
  const r = await call(app, 'PATCH', `/api/admin/venues/${show.venue.id}`, { token: admin, body: { timeZone: 'Asia/Taipei' } });
  expect(r.status).toBe(200);
  return show;
}

/** A customer who bought the first `n` seats of the show; returns the paid order. */
async function buy(app: FastifyInstance, db: Harness['db'], showId: string, n: number, seatOffset = 0) {
  const buyer = await newCustomer(app, 'Mail Fan');
  await admit(app, showId, buyer.token);
  const seats = (await seatIdsOf(db, showId)).slice(seatOffset, seatOffset + n);
  for (const s of seats) expect((await hold(app, showId, s, buyer.token)).status).toBe(200);
  const order = (await checkout(app, showId, seats, buyer.token)).body.order;
  const paid = await call(app, 'POST', `/api/orders/${order.id}/pay`, { token: buyer.token, body: pay() });
  expect(paid.status, JSON.stringify(paid.body)).toBe(200);
  return { buyer, order: paid.body.order };
}

describeOnEachDatabase('email through SMTP (%s)', (kind) => {
  let h: Harness;
  let app: FastifyInstance;
  let admin: string;
  let smtp: TestSmtp;
  useHarness({ db: kind, redis: kind === 'postgres', smtp: true, env: { MAIL_FROM: 'TicketClub <tickets@example.test>' } }, (s) => ({ h, app, admin, smtp } = s));

  const mail = () => h.ticketClub.services.mail!;
  const outboxRows = async (orderId: string) =>
    (await h.db.query<{ status: string; attempts: number; last_error: string | null }>(`SELECT status, attempts, last_error FROM mail_outbox WHERE payload->>'orderId' = $1`, [orderId])).rows;

  it('when an order is paid, then its buyer gets one email with the tickets as a PDF naming the event, venue, seats and the time in the venue\'s zone, one QR code per ticket', async () => {
    const show = await taipeiShow(app, admin, 'Paper Moon Live');
    const { buyer, order } = await buy(app, h.db, show.id, 2);
    expect(await mail().sendDue()).toEqual({ sent: 1, failed: 0 });

    expect(smtp.received).toHaveLength(1);
    const m = smtp.received[0]!;
    expect(m.to && !Array.isArray(m.to) ? m.to.text : '').toBe(buyer.email);
    expect(m.from?.text).toContain('tickets@example.test');
    expect(m.subject).toContain('Paper Moon Live');
    expect(m.text).toContain(`https://tickets.example.test/orders/${order.id}`);
    expect(m.text).toContain('19:30 GMT+8');
    const pdfs = m.attachments.filter((a) => a.contentType === 'application/pdf');
    expect(pdfs).toHaveLength(1);
    const { text, qrCodes } = await readPdf(pdfs[0]!.content);
    expect(text).toContain('Paper Moon Live');
    expect(text).toContain('Postal Hall');
    expect(text).toContain('Thu, Mar 14, 2030, 19:30 GMT+8 (Asia/Taipei)');
    for (const item of order.items as { areaName: string; row: number; number: number }[]) {
      expect(text).toMatch(new RegExp(`Area: ${item.areaName}\\s+Row: ${item.row}\\s+Seat: ${item.number}\\b`));
    }
    const codes = (order.tickets as { code: string }[]).map((t) => t.code);
    for (const code of codes) expect(text).toContain(code);
    // Each ticket's QR code reads as its code.
    expect(qrCodes.toSorted()).toEqual(codes.toSorted());

    // Sent once: a later run finds nothing, and paying the paid order again enqueues nothing.
    expect((await call(app, 'POST', `/api/orders/${order.id}/pay`, { token: buyer.token, body: pay() })).body.order.status).toBe('paid');
    expect(await mail().sendDue(Date.now() + 86_400_000)).toEqual({ sent: 0, failed: 0 });
    expect(smtp.received).toHaveLength(1);
    expect(await outboxRows(order.id)).toMatchObject([{ status: 'sent', attempts: 1 }]);
  });

  it('when the SMTP server refuses a message, then it is retried after a delay and sent once, and the order stays paid', async () => {
    const show = await taipeiShow(app, admin, 'Retry Night');
    const { buyer, order } = await buy(app, h.db, show.id, 1);
    smtp.refuseNext(1);
    const t0 = Date.now();
    expect(await mail().sendDue(t0)).toEqual({ sent: 0, failed: 1 });
    expect(smtp.received).toHaveLength(0);
    const [row] = await outboxRows(order.id);
    expect(row).toMatchObject({ status: 'pending', attempts: 1 });
    expect(row!.last_error).toMatch(/451|Try again later/);
    expect((await call(app, 'GET', `/api/orders/${order.id}`, { token: buyer.token })).body.order.status).toBe('paid');

    // Not before its backoff...
    expect(await mail().sendDue(t0 + 1_000)).toEqual({ sent: 0, failed: 0 });
    // ...then once.
    expect(await mail().sendDue(t0 + 31_000)).toEqual({ sent: 1, failed: 0 });
    expect(await mail().sendDue(t0 + 3_600_000)).toEqual({ sent: 0, failed: 0 });
    expect(smtp.received).toHaveLength(1);
    expect(smtp.received[0]!.subject).toContain('Retry Night');
    expect(await outboxRows(order.id)).toMatchObject([{ status: 'sent', attempts: 2, last_error: null }]);
  });

  it('when two senders run at once, then each message goes out once', async () => {
    const show = await taipeiShow(app, admin, 'Two Senders');
    const orders = await Promise.all([0, 1, 2].map((i) => buy(app, h.db, show.id, 1, i)));
    const results = await Promise.all([mail().sendDue(), mail().sendDue(), mail().sendDue()]);
    expect(results.reduce((n, r) => n + r.sent, 0)).toBe(3);
    expect(smtp.received.map((m) => m.to && !Array.isArray(m.to) && m.to.text).sort()).toEqual(orders.map((o) => o.buyer.email).sort());
  });

  it('when the same order\'s confirmation is enqueued twice at once (a retry, the reconciler), then there is one message', async () => {
    const show = await taipeiShow(app, admin, 'Once Only');
    const { buyer, order } = await buy(app, h.db, show.id, 1);
    const again = () => h.db.transaction((tx) => outbox.enqueue(tx, { kind: 'order-paid', userId: buyer.id, payload: { orderId: order.id }, dedupeKey: `order-paid:${order.id}`, now: new Date() }));
    expect(await Promise.all([again(), again()])).toEqual([false, false]);
    expect(await outboxRows(order.id)).toHaveLength(1);
  });

  it('when more messages are due than one batch holds (an on-sale), then one run of the job sends them all', async () => {
    const fan = await newCustomer(app, 'Busy Fan');
    const now = new Date();
    for (let i = 0; i < 45; i++) {
      await outbox.enqueue(h.db, { kind: 'password-reset', userId: fan.id, payload: { userId: fan.id, token: `t${i}`, validMinutes: 30 }, now });
    }
    // Others may be due too (an earlier test's retry): this fan's 45 are what is checked.
    const run = await mail().sendDue(now.getTime() + 1);
    expect(run.sent).toBeGreaterThanOrEqual(45);
    const { rows } = await h.db.query<{ status: string; n: number }>(
      `SELECT status, count(*)::int AS n FROM mail_outbox WHERE kind = 'password-reset' AND to_address = $1 GROUP BY status`,
      [fan.email],
    );
    expect(rows).toEqual([{ status: 'sent', n: 45 }]);
    expect(smtp.received.filter((m) => (m.to && !Array.isArray(m.to) ? m.to.text : '') === fan.email)).toHaveLength(45);
  });

  it('when an order is refunded before its confirmation went out, then the buyer still gets the confirmation, saying the tickets are void and carrying none, and then the refund notice', async () => {
    const show = await taipeiShow(app, admin, 'Quick Refund');
    const { buyer, order } = await buy(app, h.db, show.id, 2, 3);
    const refunded = await call(app, 'POST', `/api/admin/orders/${order.id}/refund`, { token: admin });
    expect(refunded.body.order.status).toBe('refunded');
    const before = smtp.received.length;
    expect(await mail().sendDue()).toEqual({ sent: 2, failed: 0 });
    const mine = smtp.received.slice(before).filter((m) => (m.to as { text: string }).text === buyer.email);
    expect(mine.map((m) => m.subject)).toEqual([expect.stringContaining('Your tickets for Quick Refund'), expect.stringContaining('refunded')]);
    const [confirmation] = mine;
    expect(confirmation!.text).toContain('void');
    expect(confirmation!.text).toContain(`https://tickets.example.test/orders/${order.id}`);
    expect(confirmation!.attachments.filter((a) => a.contentType === 'application/pdf')).toEqual([]);
    expect(await outboxRows(order.id)).toMatchObject([{ status: 'sent' }, { status: 'sent' }]);
  });

  it('when a waitlist offer or a refund is noticed, then the account gets that email once', async () => {
    const show = await taipeiShow(app, admin, 'Notice Board');
    const fan = await newCustomer(app, 'Waiting Fan');
    const seatIds = (await seatIdsOf(h.db, show.id)).slice(0, 2);
    const expiresAt = new Date(Date.parse(STARTS_AT) - 86_400_000);
    expect(await h.ticketClub.services.notices.waitlistOffered(fan.id, show.id, seatIds, expiresAt)).toBe(true);
    expect(await h.ticketClub.services.notices.waitlistOffered(fan.id, show.id, seatIds, expiresAt)).toBe(false);
    const { buyer, order } = await buy(app, h.db, show.id, 1, 5);
    expect(await h.ticketClub.services.notices.orderRefunded(order.id)).toBe(true);
    expect(await h.ticketClub.services.notices.orderRefunded(order.id)).toBe(false);
    await mail().sendDue();
    const bySubject = (s: string) => smtp.received.filter((m) => m.subject?.includes(s));
    const offer = bySubject('waiting for you');
    expect(offer).toHaveLength(1);
    expect(offer[0]!.text).toContain('2 places');
    expect(offer[0]!.text).toContain(`https://tickets.example.test/shows/${show.id}`);
    expect(offer[0]!.text).toContain('19:30 GMT+8');
    const refund = bySubject('refunded');
    expect(refund).toHaveLength(1);
    expect((refund[0]!.to as { text: string }).text).toBe(buyer.email);
    expect(refund[0]!.text).toContain('NT$1,000');
  });

  it('when a buyer downloads tickets.pdf, then it is their paid order\'s tickets; another account, an unpaid order and no login get nothing', async () => {
    const show = await taipeiShow(app, admin, 'Download Night');
    const { buyer, order } = await buy(app, h.db, show.id, 1);
    const own = await app.inject({ method: 'GET', url: `/api/orders/${order.id}/tickets.pdf`, headers: { authorization: `Bearer ${buyer.token}` } });
    expect(own.statusCode).toBe(200);
    expect(own.headers['content-type']).toBe('application/pdf');
    expect(own.headers['content-disposition']).toMatch(/^attachment; filename="tickets-[0-9a-f]{8}\.pdf"$/);
    const { text, qrCodes } = await readPdf(own.rawPayload);
    expect(text).toContain('Download Night');
    expect(text).toContain('19:30 GMT+8');
    expect(qrCodes).toEqual([order.tickets[0].code]);

    const other = await newCustomer(app);
    expect((await call(app, 'GET', `/api/orders/${order.id}/tickets.pdf`, { token: other.token })).body.error.code).toBe('NOT_FOUND');
    expect((await call(app, 'GET', `/api/orders/${order.id}/tickets.pdf`)).status).toBe(401);
    expect((await call(app, 'GET', `/api/orders/not-an-id/tickets.pdf`, { token: buyer.token })).status).toBe(400);

    const pendingBuyer = await newCustomer(app);
    await admit(app, show.id, pendingBuyer.token);
    const seat = (await seatIdsOf(h.db, show.id))[3]!;
    await hold(app, show.id, seat, pendingBuyer.token);
    const pending = (await checkout(app, show.id, [seat], pendingBuyer.token)).body.order;
    const r = await call(app, 'GET', `/api/orders/${pending.id}/tickets.pdf`, { token: pendingBuyer.token });
    expect(r.status).toBe(404);
  });
});

describe('email without SMTP_URL', () => {
  let h: Harness;
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'tc-mail-'));
    h = await startHarness({ db: 'pglite', env: { DATA_DIR: dataDir } });
  }, 120_000);
  afterAll(async () => {
    await h?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('when an order is paid, then its confirmation is written as an .eml file in DATA_DIR/mail, with the PDF, and the console lists it', async () => {
    const admin = await newAdmin(h.ticketClub, h.ticketClub.app);
    const show = await taipeiShow(h.ticketClub.app, admin, 'Offline Mail');
    const { buyer, order } = await buy(h.ticketClub.app, h.db, show.id, 1);
    expect(await h.ticketClub.services.mail!.sendDue()).toEqual({ sent: 1, failed: 0 });
    const files = await readdir(path.join(dataDir, 'mail'));
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/order-paid-.*\.eml$/);
    const m = await simpleParser(await readFile(path.join(dataDir, 'mail', files[0]!)));
    expect(m.subject).toContain('Offline Mail');
    expect((m.to as { text: string }).text).toBe(buyer.email);
    const pdf = m.attachments.find((a) => a.contentType === 'application/pdf');
    expect((await readPdf(pdf!.content)).text).toContain(order.id);

    const list = await call(h.ticketClub.app, 'GET', '/api/admin/mail', { token: admin });
    expect(list.status).toBe(200);
    expect(list.body.transport).toBe('file');
    expect(list.body.messages[0]).toMatchObject({ kind: 'order-paid', to: buyer.email, status: 'sent', file: path.join(dataDir, 'mail', files[0]!) });
    expect((await call(h.ticketClub.app, 'GET', '/api/admin/mail', { token: buyer.token })).status).toBe(403);
  });
});
