import type { Queryable } from '../../platform/database.js';

/** What the outbox can send; each kind has its template in templates/. */
export type MailKind = 'order-paid' | 'order-refunded' | 'waitlist-offer' | 'password-reset';

export interface OutboxRow {
  id: string;
  kind: MailKind;
  to_address: string;
  payload: Record<string, unknown>;
  attempts: number;
  created_at: Date;
}

/** A message as the console lists it. */
export interface OutboxEntry {
  id: string;
  kind: MailKind;
  to_address: string;
  subject: string | null;
  status: 'pending' | 'sent';
  attempts: number;
  last_error: string | null;
  delivered_to: string | null;
  created_at: Date;
  sent_at: Date | null;
}

export interface NewMessage {
  kind: MailKind;
  userId: string;
  payload: Record<string, unknown>;
  dedupeKey?: string;
  now: Date;
}

/** A sender's claim on a due message lasts this long; a sender that dies mid-send leaves it due again. */
const LEASE_MS = 2 * 60_000;
/** The delay before the n-th retry: 30 s, 1 min, 2 min, ... at most an hour. Never given up on. */
export const retryDelayMs = (attempts: number): number => Math.min(30_000 * 2 ** Math.max(0, attempts - 1), 3_600_000);

/** The mail_outbox table: every statement on it is a named step here. */
export class MailOutboxRepository {
  constructor(private readonly q: Queryable) {}

  /**
   * A message to an account's email. With a `dedupeKey`, a second enqueue of the same key (a
   * retried payment, the reconciler) is nothing (UNIQUE dedupe_key): says whether it was new.
   */
  async enqueue(m: NewMessage): Promise<boolean> {
    const { rowCount } = await this.q.query(
      `INSERT INTO mail_outbox (kind, dedupe_key, to_address, payload, next_attempt_at, created_at)
       SELECT $1, $2, u.email, $4::jsonb, $5, $5 FROM users u WHERE u.id = $3
       ON CONFLICT (dedupe_key) DO NOTHING`,
      [m.kind, m.dedupeKey ?? null, m.userId, JSON.stringify(m.payload), m.now],
    );
    return rowCount > 0;
  }

  /**
   * Claims up to `limit` due messages for this sender: row locks skip what another sender is
   * claiming right now, and the lease keeps them from the next run while they are being sent.
   */
  async claimDue(now: Date, limit: number): Promise<OutboxRow[]> {
    const { rows } = await this.q.query<OutboxRow>(
      `UPDATE mail_outbox SET next_attempt_at = $2, attempts = attempts + 1
        WHERE id IN (SELECT id FROM mail_outbox WHERE status = 'pending' AND next_attempt_at <= $1
                      ORDER BY next_attempt_at LIMIT $3 FOR UPDATE SKIP LOCKED)
        RETURNING id, kind, to_address, payload, attempts, created_at`,
      [now, new Date(now.getTime() + LEASE_MS), limit],
    );
    // Sent in the order they were written (RETURNING keeps none): a receipt before the refund notice that followed it.
    return rows.sort((a, b) => new Date(a.created_at).getTime() - new Date(b.created_at).getTime() || (a.id < b.id ? -1 : 1));
  }

  /** Sent: a secret payload (a reset token) is not kept once the message is out. */
  async markSent(id: string, r: { subject: string; deliveredTo: string; forgetPayload: boolean; now: Date }): Promise<void> {
    await this.q.query(
      `UPDATE mail_outbox SET status = 'sent', sent_at = $2, subject = $3, delivered_to = $4, last_error = NULL,
              payload = CASE WHEN $5::boolean THEN '{}'::jsonb ELSE payload END
        WHERE id = $1`,
      [id, r.now, r.subject, r.deliveredTo, r.forgetPayload],
    );
  }

  /** Not sent this time: due again after the backoff. */
  async markFailed(id: string, attempts: number, error: string, now: Date): Promise<void> {
    await this.q.query(`UPDATE mail_outbox SET next_attempt_at = $2, last_error = $3 WHERE id = $1 AND status = 'pending'`, [
      id,
      new Date(now.getTime() + retryDelayMs(attempts)),
      error.slice(0, 1000),
    ]);
  }

  /** The latest messages, for the console (what the operator can read without SMTP). */
  async recent(limit: number): Promise<OutboxEntry[]> {
    const { rows } = await this.q.query<OutboxEntry>(
      `SELECT id, kind, to_address, subject, status, attempts, last_error, delivered_to, created_at, sent_at
         FROM mail_outbox ORDER BY created_at DESC, id DESC LIMIT $1`,
      [limit],
    );
    return rows;
  }
}
