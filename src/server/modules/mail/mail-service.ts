import type { Clock } from '../../platform/clock.js';
import type { Database } from '../../platform/database.js';
import { accountNames } from '../auth/auth-service.js';
import { catalogueSteps } from '../catalogue/catalogue-service.js';
import { orderReads } from '../orders/order-reads.js';
import { ticketPdf } from '../orders/ticket-pdf.js';
import { readTicketSheet } from '../orders/ticket-sheet.js';
import type { MailTransport, OutgoingMail } from './mail-transport.js';
import { MailOutboxRepository, type OutboxRow } from './mail-outbox-repository.js';
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
/** At most this many messages in one run of the job: a run ends, and shutdown waits for it. */
const MAX_PER_RUN = 400;

/** A message whose subject cannot be written yet (its order is not readable): tried again later. */
class NotReady extends Error {}

/**
 * Sends what the outbox holds. Run every second or two on every instance: each run claims due
 * messages with row locks (no two senders take the same one), renders each from the database as
 * it is now (the tickets PDF included), and sends it. A failure is recorded on the message and
 * retried with a growing delay; it never touches what the message is about.
 */
export class MailService {
  private readonly outbox: MailOutboxRepository;

  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly transport: MailTransport,
    private readonly opts: MailOptions,
  ) {
    this.outbox = new MailOutboxRepository(db);
  }

  get transportKind(): MailTransport['kind'] {
    return this.transport.kind;
  }

  async sendDue(now: number = this.clock.now()): Promise<{ sent: number; failed: number }> {
    let sent = 0;
    let failed = 0;
    // A full batch means more are due (an on-sale pays orders far faster than one batch per run):
    // claim the next one now rather than in two seconds, up to MAX_PER_RUN in one run.
    for (let taken = 0; taken < MAX_PER_RUN; ) {
      const due = await this.outbox.claimDue(new Date(now), BATCH);
      taken += due.length;
      const r = await this.sendBatch(due, now);
      sent += r.sent;
      failed += r.failed;
      if (due.length < BATCH) break;
    }
    return { sent, failed };
  }

  private async sendBatch(due: OutboxRow[], now: number): Promise<{ sent: number; failed: number }> {
    let sent = 0;
    let failed = 0;
    for (const row of due) {
      try {
        const mail = await this.compose(row);
        const name = `${new Date(now).toISOString().replace(/[:.]/g, '-')}-${row.kind}-${row.id}`;
        const { deliveredTo } = await this.transport.send(mail, name);
        await this.outbox.markSent(row.id, { subject: mail.subject, deliveredTo, forgetPayload: row.kind === 'password-reset', now: new Date(this.clock.now()) });
        sent++;
      } catch (e) {
        failed++;
        this.opts.onError?.(e, `send ${row.kind} mail ${row.id} (attempt ${row.attempts})`);
        await this.outbox.markFailed(row.id, row.attempts, e instanceof Error ? e.message : String(e), new Date(this.clock.now())).catch((err: unknown) =>
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
        // A refund that came before this went out does not take the receipt away: it says the
        // tickets are void, and carries none (the refund notice follows it).
        const sheet = await readTicketSheet(this.db, orderId, { refunded: true });
        if (!sheet) throw new NotReady(`order ${orderId} has no paid tickets`);
        if (sheet.refunded) return { mail: orderPaidMail(sheet, this.url(`/orders/${orderId}`), sheet.buyerLocale) };
        const pdf = await ticketPdf(sheet);
        return {
          mail: orderPaidMail(sheet, this.url(`/orders/${orderId}`), sheet.buyerLocale),
          attachments: [{ filename: ORDER_PAID_MESSAGES[sheet.buyerLocale].attachment(orderId), content: pdf, contentType: 'application/pdf' }],
        };
      }
      case 'order-refunded': {
        const orderId = String(p.orderId);
        const o = await orderReads(this.db).orders.refundNotice(orderId);
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
        const [show, buyer] = await Promise.all([catalogueSteps(this.db).shows.get(showId), accountNames(this.db).addressee(String(p.userId))]);
        if (!show || !buyer) throw new NotReady(`show ${showId} or its account not found`);
        const places = Array.isArray(p.seatIds) ? p.seatIds.length : 1;
        return {
          mail: waitlistOfferMail(
            { buyerName: buyer.name, eventTitle: show.event_title, venueName: show.venue_name, startsAt: show.starts_at, timeZone: show.time_zone, places, expiresAt: new Date(String(p.expiresAt)) },
            this.url(`/shows/${showId}`),
            buyer.locale,
          ),
        };
      }
      case 'password-reset': {
        const account = await accountNames(this.db).addressee(String(p.userId));
        return { mail: passwordResetMail(account?.name ?? '', this.url(`/reset-password?token=${encodeURIComponent(String(p.token))}`), Number(p.validMinutes), account?.locale) };
      }
    }
  }
}
