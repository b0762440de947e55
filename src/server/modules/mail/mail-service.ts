import type { Locale } from '../../../shared/api.js';
import type { Clock } from '../../platform/clock.js';
import type { Database } from '../../platform/database.js';
import { ticketPdf } from '../orders/ticket-pdf.js';
import { readTicketSheet } from '../orders/ticket-sheet.js';
import type { MailTransport, OutgoingMail } from './mail-transport.js';
import { outbox, type OutboxRow } from './outbox.js';
import type { RenderedMail } from './templates/layout.js';
import { ORDER_PAID_MESSAGES, orderPaidMail } from './templates/order-paid.js';
import { orderRefundedMail } from './templates/order-refunded.js';
import { passwordResetMail } from './templates/password-reset.js';
import { waitlistOfferMail } from './templates/waitlist-offer.js';

export interface MailOptions {
  from: string;
  /** Where links in emails point (PUBLIC_URL). */
  publicUrl: string;
  onError?(err: unknown, what: string): void;
}

const BATCH = 20;

/** A message whose subject cannot be written yet (its order is not readable): tried again later. */
class NotReady extends Error {}

/**
 * Sends what the outbox holds. Run every second or two on every instance: each run claims due
 * messages with row locks (no two senders take the same one), renders each from the database as
 * it is now (the tickets PDF included), and sends it. A failure is recorded on the message and
 * retried with a growing delay; it never touches what the message is about.
 */
export class MailService {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly transport: MailTransport,
    private readonly opts: MailOptions,
  ) {}

  get transportKind(): MailTransport['kind'] {
    return this.transport.kind;
  }

  async sendDue(now: number = this.clock.now()): Promise<{ sent: number; failed: number }> {
    const due = await outbox.claimDue(this.db, new Date(now), BATCH);
    let sent = 0;
    let failed = 0;
    for (const row of due) {
      try {
        const mail = await this.compose(row);
        const name = `${new Date(now).toISOString().replace(/[:.]/g, '-')}-${row.kind}-${row.id}`;
        const { deliveredTo } = await this.transport.send(mail, name);
        await outbox.sent(this.db, row.id, { subject: mail.subject, deliveredTo, forgetPayload: row.kind === 'password-reset', now: new Date(this.clock.now()) });
        sent++;
      } catch (e) {
        failed++;
        this.opts.onError?.(e, `send ${row.kind} mail ${row.id} (attempt ${row.attempts})`);
        await outbox.failed(this.db, row.id, row.attempts, e instanceof Error ? e.message : String(e), new Date(this.clock.now())).catch((err: unknown) =>
          this.opts.onError?.(err, `record failure of mail ${row.id}`),
        );
      }
    }
    return { sent, failed };
  }

  close(): void {
    this.transport.close();
  }

  private async compose(row: OutboxRow): Promise<OutgoingMail> {
    const { mail, attachments } = await this.render(row);
    return { from: this.opts.from, to: row.to_address, ...mail, attachments, messageId: `<${row.id}@ticketclub>` };
  }

  private url(path: string): string {
    return `${this.opts.publicUrl}${path}`;
  }

  private async render(row: OutboxRow): Promise<{ mail: RenderedMail; attachments?: OutgoingMail['attachments'] }> {
    const p = row.payload as Record<string, string | string[] | number>;
    switch (row.kind) {
      case 'order-paid': {
        const orderId = String(p.orderId);
        const sheet = await readTicketSheet(this.db, orderId);
        if (!sheet) throw new NotReady(`order ${orderId} has no paid tickets`);
        const pdf = await ticketPdf(sheet);
        return {
          mail: orderPaidMail(sheet, this.url(`/orders/${orderId}`), sheet.buyerLocale),
          attachments: [{ filename: ORDER_PAID_MESSAGES[sheet.buyerLocale].attachment(orderId), content: pdf, contentType: 'application/pdf' }],
        };
      }
      case 'order-refunded': {
        const orderId = String(p.orderId);
        const { rows } = await this.db.query<{ buyer_name: string; locale: Locale; title: string; starts_at: Date; time_zone: string; total: number; currency: string }>(
          `SELECT u.name AS buyer_name, u.locale, e.title, sh.starts_at, v.time_zone, o.total, o.currency
             FROM orders o JOIN users u ON u.id = o.user_id JOIN shows sh ON sh.id = o.show_id
             JOIN events e ON e.id = sh.event_id JOIN venues v ON v.id = sh.venue_id
            WHERE o.id = $1`,
          [orderId],
        );
        const o = rows[0];
        if (!o) throw new NotReady(`order ${orderId} not found`);
        return {
          mail: orderRefundedMail(
            { orderId, buyerName: o.buyer_name, eventTitle: o.title, startsAt: o.starts_at, timeZone: o.time_zone, total: o.total, currency: o.currency },
            this.url(`/orders/${orderId}`),
            o.locale,
          ),
        };
      }
      case 'waitlist-offer': {
        const showId = String(p.showId);
        const { rows } = await this.db.query<{ buyer_name: string; locale: Locale; title: string; venue_name: string; starts_at: Date; time_zone: string }>(
          `SELECT u.name AS buyer_name, u.locale, e.title, v.name AS venue_name, sh.starts_at, v.time_zone
             FROM shows sh JOIN events e ON e.id = sh.event_id JOIN venues v ON v.id = sh.venue_id, users u
            WHERE sh.id = $1 AND u.id = $2`,
          [showId, String(p.userId)],
        );
        const o = rows[0];
        if (!o) throw new NotReady(`show ${showId} or its account not found`);
        const places = Array.isArray(p.seatIds) ? p.seatIds.length : 1;
        return {
          mail: waitlistOfferMail(
            { buyerName: o.buyer_name, eventTitle: o.title, venueName: o.venue_name, startsAt: o.starts_at, timeZone: o.time_zone, places, expiresAt: new Date(String(p.expiresAt)) },
            this.url(`/shows/${showId}`),
            o.locale,
          ),
        };
      }
      case 'password-reset': {
        const { rows } = await this.db.query<{ name: string; locale: Locale }>(`SELECT name, locale FROM users WHERE id = $1`, [String(p.userId)]);
        const name = rows[0]?.name ?? '';
        return { mail: passwordResetMail(name, this.url(`/reset-password?token=${encodeURIComponent(String(p.token))}`), Number(p.validMinutes), rows[0]?.locale) };
      }
    }
  }
}
