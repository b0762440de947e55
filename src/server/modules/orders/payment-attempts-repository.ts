import type { Queryable } from '../../platform/database.js';

/** One try to charge an order, written before the provider is asked (see migrations/002). */
export interface Attempt {
  id: string;
  order_id: string;
  show_id: string;
  user_id: string;
  /** The admission the order was made in (null: made before admissions had ids). */
  admission_id: string | null;
  idempotency_key: string;
  amount: number;
  currency: string;
  state: 'charging' | 'succeeded' | 'declined' | 'failed' | 'refund_due' | 'refunded';
  charge_id: string | null;
  created_at: Date;
}

const SELECT_ATTEMPT = `
  SELECT pa.id, pa.order_id, o.show_id, o.user_id, o.admission_id, pa.idempotency_key, pa.amount, pa.currency, pa.state, pa.charge_id, pa.created_at
    FROM payment_attempts pa JOIN orders o ON o.id = pa.order_id`;

/** The payment_attempts table: every statement on it is a named step here. */
export class PaymentAttemptsRepository {
  constructor(private readonly q: Queryable) {}

  // A new attempt (`charging`) is recorded with its order's mark, in one statement: OrdersRepository.markPaying;
  // a charge that paid the order is recorded with the order's completion: OrdersRepository.completePayment.

  async get(id: string): Promise<Attempt | undefined> {
    const { rows } = await this.q.query<Attempt>(`${SELECT_ATTEMPT} WHERE pa.id = $1`, [id]);
    return rows[0];
  }

  /** No money moved (declined, or the provider never saw the charge), if it was still in flight. */
  async endWithoutCharge(id: string, state: 'declined' | 'failed', now: Date): Promise<boolean> {
    const { rowCount } = await this.q.query(`UPDATE payment_attempts SET state = $2, resolved_at = $3 WHERE id = $1 AND state = 'charging'`, [id, state, now]);
    return rowCount > 0;
  }

  /** Money moved but cannot complete the order: the charge is to be given back (the reconciler retries until the provider confirms). */
  async refundDue(id: string, chargeId: string, now: Date): Promise<boolean> {
    const { rowCount } = await this.q.query(
      `UPDATE payment_attempts SET state = 'refund_due', charge_id = $2, resolved_at = coalesce(resolved_at, $3)
        WHERE id = $1 AND state IN ('charging', 'failed')`,
      [id, chargeId, now],
    );
    return rowCount > 0;
  }

  /** An organizer refunds the order: its paid charge is owed back (the reconciler retries until the provider confirms). */
  async refundDueOfOrder(orderId: string): Promise<{ id: string; charge_id: string }[]> {
    const { rows } = await this.q.query<{ id: string; charge_id: string }>(
      `UPDATE payment_attempts SET state = 'refund_due' WHERE order_id = $1 AND state = 'succeeded' RETURNING id, charge_id`,
      [orderId],
    );
    return rows;
  }

  async refunded(id: string): Promise<void> {
    await this.q.query(`UPDATE payment_attempts SET state = 'refunded' WHERE id = $1 AND state = 'refund_due'`, [id]);
  }

  /** What the reconciler has to resolve: charges in flight since before `chargingBefore`, and refunds owed. */
  async unresolved(chargingBefore: Date, limit: number): Promise<Attempt[]> {
    const { rows } = await this.q.query<Attempt>(
      `${SELECT_ATTEMPT}
        WHERE (pa.state = 'charging' AND pa.created_at <= $1) OR pa.state = 'refund_due'
        ORDER BY pa.created_at LIMIT $2`,
      [chargingBefore, limit],
    );
    return rows;
  }
}
