import { randomUUID } from 'node:crypto';
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

/**
 * The condition every statement ending a pending order adds to its WHERE: an order whose charge
 * may be going through stays as it is until the attempt is resolved. It is a column of the order's
 * own row, so an UPDATE that had to wait for the attempt's transaction re-checks it.
 */
export const NO_PAYMENT_IN_FLIGHT = 'paying_attempt_id IS NULL';

/** The payment_attempts table and the order's in-flight mark: every statement on them is here. */
export const attempts = {
  /**
   * Marks the order as being paid and records the attempt, if the order is pending, in time and
   * not already being paid (by another request, tab or instance). Null when it is not.
   */
  async start(tx: Queryable, order: { id: string; total: number; currency: string }, now: Date): Promise<{ id: string; idempotencyKey: string } | null> {
    const id = randomUUID();
    const marked = await tx.query(
      `UPDATE orders SET paying_attempt_id = $2
        WHERE id = $1 AND status = 'pending' AND expires_at > $3 AND ${NO_PAYMENT_IN_FLIGHT}`,
      [order.id, id, now],
    );
    if (marked.rowCount === 0) return null;
    // The attempt's own id is the provider's idempotency key: each try is a new charge, and the
    // record of a try is enough to ask the provider what became of it.
    const idempotencyKey = `ticketclub-pay-${id}`;
    await tx.query(
      `INSERT INTO payment_attempts (id, order_id, idempotency_key, amount, currency, state, created_at)
       VALUES ($1, $2, $3, $4, $5, 'charging', $6)`,
      [id, order.id, idempotencyKey, order.total, order.currency, now],
    );
    return { id, idempotencyKey };
  },

  async get(q: Queryable, id: string): Promise<Attempt | undefined> {
    const { rows } = await q.query<Attempt>(`${SELECT_ATTEMPT} WHERE pa.id = $1`, [id]);
    return rows[0];
  },

  /** Takes the attempt's row lock: whoever resolves an attempt holds it, so it is resolved once. */
  async lock(tx: Queryable, id: string): Promise<Attempt['state'] | undefined> {
    const { rows } = await tx.query<{ state: Attempt['state'] }>(`SELECT state FROM payment_attempts WHERE id = $1 FOR UPDATE`, [id]);
    return rows[0]?.state;
  },

  /** No money moved (declined, or the provider never saw the charge): the order is payable again. */
  async endWithoutCharge(tx: Queryable, id: string, state: 'declined' | 'failed', now: Date): Promise<boolean> {
    const { rowCount } = await tx.query(
      `UPDATE payment_attempts SET state = $2, resolved_at = $3 WHERE id = $1 AND state = 'charging'`,
      [id, state, now],
    );
    if (rowCount > 0) await tx.query(`UPDATE orders SET paying_attempt_id = NULL WHERE paying_attempt_id = $1`, [id]);
    return rowCount > 0;
  },

  /** The charge paid the order (the order row was updated in the same transaction). */
  async succeeded(tx: Queryable, id: string, chargeId: string, now: Date): Promise<void> {
    await tx.query(`UPDATE payment_attempts SET state = 'succeeded', charge_id = $2, resolved_at = $3 WHERE id = $1 AND state = 'charging'`, [id, chargeId, now]);
  },

  /**
   * Money moved but the order cannot be completed by it: the charge is to be given back (the
   * reconciler retries until the provider confirms). The order is released from the attempt.
   */
  async refundDue(tx: Queryable, id: string, chargeId: string, now: Date): Promise<boolean> {
    const { rowCount } = await tx.query(
      `UPDATE payment_attempts SET state = 'refund_due', charge_id = $2, resolved_at = coalesce(resolved_at, $3)
        WHERE id = $1 AND state IN ('charging', 'failed')`,
      [id, chargeId, now],
    );
    await tx.query(`UPDATE orders SET paying_attempt_id = NULL WHERE paying_attempt_id = $1`, [id]);
    return rowCount > 0;
  },

  async refunded(q: Queryable, id: string): Promise<void> {
    await q.query(`UPDATE payment_attempts SET state = 'refunded' WHERE id = $1 AND state = 'refund_due'`, [id]);
  },

  /** What the reconciler has to resolve: charges in flight since before `chargingBefore`, and refunds owed. */
  async unresolved(q: Queryable, chargingBefore: Date, limit: number): Promise<Attempt[]> {
    const { rows } = await q.query<Attempt>(
      `${SELECT_ATTEMPT}
        WHERE (pa.state = 'charging' AND pa.created_at <= $1) OR pa.state = 'refund_due'
        ORDER BY pa.created_at LIMIT $2`,
      [chargingBefore, limit],
    );
    return rows;
  },
};
