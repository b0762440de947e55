import type { FastifyInstance } from 'fastify';
import { expect, it } from 'vitest';
import { call, createShow } from '../support/api-client.js';
import { useHarness } from '../support/api-suite.js';
import type { Harness } from '../support/harness.js';
import { readPdf, type TestSmtp } from '../support/mail.js';
import { describeOnEachDatabase } from '../support/needs.js';
import { admit, checkout, hold, pay, seatIdsOf } from './seat-helpers.js';

let n = 0;

describeOnEachDatabase('emails and ticket PDFs in the buyer\'s language (%s)', (kind) => {
  let h: Harness;
  let app: FastifyInstance;
  let admin: string;
  let smtp: TestSmtp;
  useHarness({ db: kind, redis: kind === 'postgres', smtp: true, env: { MAIL_FROM: 'TicketClub <tickets@example.test>' } }, (s) => ({ h, app, admin, smtp } = s));

  const signup = async (body: Record<string, unknown>) =>
    call(app, 'POST', '/api/auth/signup', { body: { name: '林小明', email: `lang${Date.now()}${++n}@example.com`, password: 'password123', ...body } });

  /** A fan of this token buys the show's first seat; returns the paid order's id. */
  async function buyOne(token: string, title: string): Promise<string> {
    const show = await createShow(app, admin, { event: { title, artist: '五月天' }, venueName: '台北小巨蛋', startsAt: '2030-03-14T11:30:00.000Z' });
    await admit(app, show.id, token);
    const [seat] = await seatIdsOf(h.db, show.id);
    expect((await hold(app, show.id, seat!, token)).status).toBe(200);
    const order = (await checkout(app, show.id, [seat!], token)).body.order;
    const paid = await call(app, 'POST', `/api/orders/${order.id}/pay`, { token, body: pay() });
    expect(paid.status, JSON.stringify(paid.body)).toBe(200);
    return order.id as string;
  }

  it('when a zh-TW account pays an order, then its confirmation\'s subject and body are Chinese and the PDF prints Chinese labels and the Chinese event name', async () => {
    const fan = await signup({ locale: 'zh-TW' });
    expect(fan.status).toBe(201);
    const orderId = await buyOne(fan.body.token, '夏日演唱會');
    expect(await h.ticketClub.services.mail!.sendDue()).toEqual({ sent: 1, failed: 0 });

    const m = smtp.received[0]!;
    expect(m.subject).toBe('您的「夏日演唱會」票券');
    expect(m.text).toContain('林小明 您好：');
    expect(m.text).toContain('感謝您的訂購');
    expect(m.text).toContain('付款總額');
    expect(m.text).not.toContain('Your tickets');
    const pdf = m.attachments.find((a) => a.contentType === 'application/pdf')!;
    const { text } = await readPdf(pdf.content);
    expect(text).toContain('夏日演唱會');
    expect(text).toContain('台北小巨蛋');
    expect(text).toMatch(/區域: .+\s+排: \d+\s+座位: \d+/);
    expect(text).toContain('持票人: 林小明');
    expect(text).toContain('入場時請出示此 QR 碼');

    // tickets.pdf from the order page is in the same language.
    const own = await app.inject({ method: 'GET', url: `/api/orders/${orderId}/tickets.pdf`, headers: { authorization: `Bearer ${fan.body.token}` } });
    expect(own.statusCode).toBe(200);
    expect((await readPdf(own.rawPayload)).text).toContain('票券代碼');
  });

  it('when a zh-TW account\'s order is refunded, then the refund email is Chinese too', async () => {
    const fan = await signup({ locale: 'zh-TW' });
    const orderId = await buyOne(fan.body.token, '退款之夜');
    await h.ticketClub.services.mail!.sendDue();
    smtp.received.length = 0;
    const r = await call(app, 'POST', `/api/admin/orders/${orderId}/refund`, { token: admin });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    await h.ticketClub.services.mail!.sendDue();
    expect(smtp.received.map((m) => m.subject)).toEqual(['您的「退款之夜」訂單已退款']);
    expect(smtp.received[0]!.text).toContain('將退回您的信用卡');
  });

  it('when an account signs up without a locale, then its emails are English; after PATCH /api/me {locale:"zh-TW"} they are Chinese', async () => {
    const fan = await signup({});
    await buyOne(fan.body.token, 'Plain English Night');
    await h.ticketClub.services.mail!.sendDue();
    expect(smtp.received[0]!.subject).toBe('Your tickets for Plain English Night');

    const r = await call(app, 'PATCH', '/api/me', { token: fan.body.token, body: { locale: 'zh-TW' } });
    expect(r.status).toBe(204);
    smtp.received.length = 0;
    await buyOne(fan.body.token, '第二場');
    await h.ticketClub.services.mail!.sendDue();
    expect(smtp.received[0]!.subject).toBe('您的「第二場」票券');
  });

  it('when a language we lack is asked for, then signup and PATCH /api/me answer 400 VALIDATION_FAILED and the account keeps its language', async () => {
    const bad = await signup({ locale: 'zh-CN' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('VALIDATION_FAILED');

    const fan = await signup({ locale: 'zh-TW' });
    for (const body of [{ locale: 'fr' }, { locale: 'zh-TW\u0000' }, {}, { locale: 'en', name: 'x' }]) {
      const r = await call(app, 'PATCH', '/api/me', { token: fan.body.token, body });
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.body.error.code).toBe('VALIDATION_FAILED');
    }
    const { rows } = await h.db.query<{ locale: string }>(`SELECT locale FROM users WHERE id = $1`, [fan.body.user.id]);
    expect(rows[0]!.locale).toBe('zh-TW');
  });

  it('when PATCH /api/me comes without a session, then it is 401 and changes nothing', async () => {
    const r = await call(app, 'PATCH', '/api/me', { body: { locale: 'zh-TW' } });
    expect(r.status).toBe(401);
  });
});
