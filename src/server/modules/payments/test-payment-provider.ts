import { randomUUID } from 'node:crypto';
import type { Database } from '../../platform/database.js';
import { cardDigits } from './card.js';
import type { ChargeRecord, ChargeRequest, ChargeResult, PaymentProvider, RefundRequest } from './payment-provider.js';

/** The card number the test provider always declines (the same as Stripe's test mode). */
export const DECLINED_CARD = '4000000000000002';

interface ChargeRow {
  id: string;
  status: 'succeeded' | 'declined';
  amount: number;
  currency: string;
}

/** A charge as the provider's books record it, as the PaymentProvider interface answers it. */
const asRecord = (c: ChargeRow): ChargeRecord =>
  c.status === 'succeeded' ? { status: 'succeeded', chargeId: c.id, amount: c.amount, currency: c.currency } : { status: 'declined', reason: 'card_declined' };

/**
 * The built-in provider: no money moves. Declines DECLINED_CARD and accepts every other card.
 * It keeps its books in its own tables (test_provider_*), as a real processor keeps them on its
 * side: they outlive a crash of ours, and a charge is made once per key even across instances.
 */
export class TestPaymentProvider implements PaymentProvider {
  readonly name = 'test';

  constructor(private readonly db: Database) {}

  async charge(req: ChargeRequest): Promise<ChargeResult> {
    const digits = cardDigits(req.card.number);
    const declined = digits === DECLINED_CARD;
    // The unique key decides between concurrent duplicates: the loser reads the winner's answer.
    const { rows } = await this.db.query<ChargeRow>(
      `INSERT INTO test_provider_charges (id, idempotency_key, status, amount, currency, last4, order_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (idempotency_key) DO NOTHING
       RETURNING id, status, amount, currency`,
      [`test_ch_${randomUUID()}`, req.idempotencyKey, declined ? 'declined' : 'succeeded', req.amount, req.currency, digits.slice(-4), req.metadata?.orderId ?? null],
    );
    const known = rows[0] ? asRecord(rows[0]) : await this.lookup(req.idempotencyKey);
    if (!known) throw new Error(`test provider: charge ${req.idempotencyKey} vanished`);
    return known.status === 'succeeded' ? { status: 'succeeded', chargeId: known.chargeId } : known;
  }

  async lookup(idempotencyKey: string): Promise<ChargeRecord | null> {
    const { rows } = await this.db.query<ChargeRow>(
      `SELECT id, status, amount, currency FROM test_provider_charges WHERE idempotency_key = $1`,
      [idempotencyKey],
    );
    return rows[0] ? asRecord(rows[0]) : null;
  }

  async refund(req: RefundRequest): Promise<void> {
    const { rows } = await this.db.query<ChargeRow>(`SELECT id, status, amount, currency FROM test_provider_charges WHERE id = $1`, [req.chargeId]);
    const charge = rows[0];
    if (!charge || charge.status !== 'succeeded') throw new Error(`test provider: no charge ${req.chargeId} to refund`);
    // One refund per charge (charge_id is unique): a retry, with this key or another, is a no-op.
    await this.db.query(
      `INSERT INTO test_provider_refunds (id, charge_id, idempotency_key, amount)
       VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`,
      [`test_re_${randomUUID()}`, charge.id, req.idempotencyKey, charge.amount],
    );
  }

  /** What tests and the operator see of the provider's books for one order. */
  async chargesOf(orderId: string): Promise<{ chargeId: string; idempotencyKey: string; status: string; amount: number; refunded: boolean }[]> {
    const { rows } = await this.db.query<{ id: string; idempotency_key: string; status: string; amount: number; refunded: boolean }>(
      `SELECT c.id, c.idempotency_key, c.status, c.amount, r.id IS NOT NULL AS refunded
         FROM test_provider_charges c LEFT JOIN test_provider_refunds r ON r.charge_id = c.id
        WHERE c.order_id = $1 ORDER BY c.created_at, c.id`,
      [orderId],
    );
    return rows.map((r) => ({ chargeId: r.id, idempotencyKey: r.idempotency_key, status: r.status, amount: r.amount, refunded: r.refunded }));
  }
}
