import { randomUUID } from 'node:crypto';
import { cardDigits } from './card.js';
import type { ChargeRequest, ChargeResult, PaymentProvider } from './payment-provider.js';

/** The card number the test provider always declines (the same as Stripe's test mode). */
export const DECLINED_CARD = '4000000000000002';
const REMEMBERED_KEYS = 50_000;

/**
 * The built-in provider: no money moves. Declines DECLINED_CARD, accepts every other card, and
 * keeps the latest of what it did so tests can see it.
 */
export class TestPaymentProvider implements PaymentProvider {
  readonly name = 'test';
  readonly charges: { reference: string; orderId: string; amount: number; currency: string; last4: string }[] = [];
  readonly refunds: string[] = [];
  private readonly byKey = new Map<string, Promise<ChargeResult>>();
  private readonly refundKeys = new Set<string>();

  charge(req: ChargeRequest): Promise<ChargeResult> {
    const known = this.byKey.get(req.idempotencyKey);
    if (known) return known;
    const result = this.process(req);
    this.byKey.set(req.idempotencyKey, result);
    if (this.byKey.size > REMEMBERED_KEYS) this.byKey.delete(this.byKey.keys().next().value!);
    return result;
  }

  private async process(req: ChargeRequest): Promise<ChargeResult> {
    const digits = cardDigits(req.card.number);
    if (digits === DECLINED_CARD) return { status: 'declined', reason: 'card_declined' };
    const reference = `test_ch_${randomUUID()}`;
    this.charges.push({ reference, orderId: req.orderId, amount: req.amount, currency: req.currency, last4: digits.slice(-4) });
    if (this.charges.length > REMEMBERED_KEYS) this.charges.shift();
    return { status: 'succeeded', reference };
  }

  async refund(reference: string, idempotencyKey: string): Promise<void> {
    if (this.refundKeys.has(idempotencyKey)) return;
    this.refundKeys.add(idempotencyKey);
    this.refunds.push(reference);
    if (this.refunds.length > REMEMBERED_KEYS) this.refunds.shift();
    if (this.refundKeys.size > REMEMBERED_KEYS) this.refundKeys.delete(this.refundKeys.values().next().value!);
  }
}
