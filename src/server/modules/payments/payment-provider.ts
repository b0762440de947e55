/**
 * The port to whoever moves the money, shaped after card processors with idempotency keys
 * (Stripe and the like): one charge per key, whatever retries or crashes happen on our side; the
 * charge can be looked up by that key later; a refund names the charge it gives back.
 */
export interface CardDetails {
  /** Digits, spaces allowed. */
  number: string;
  expMonth: number;
  expYear: number;
  cvc: string;
}

export interface ChargeRequest {
  /** The same key never charges twice: a retry or a concurrent duplicate gets the first answer. */
  idempotencyKey: string;
  /** In the smallest unit of `currency`. */
  amount: number;
  currency: string;
  card: CardDetails;
  /** Kept with the charge for the people reading the provider's dashboard. */
  metadata?: { orderId?: string };
}

export type ChargeResult = { status: 'succeeded'; chargeId: string } | { status: 'declined'; reason: string };

/** What the provider remembers of the charge made with one idempotency key. */
export type ChargeRecord = { status: 'succeeded'; chargeId: string; amount: number; currency: string } | { status: 'declined'; reason: string };

export interface RefundRequest {
  chargeId: string;
  /** A retried refund with the same key (or of an already refunded charge) gives nothing back twice. */
  idempotencyKey: string;
}

export interface PaymentProvider {
  readonly name: string;
  charge(req: ChargeRequest): Promise<ChargeResult>;
  /** The charge made with this key, or null if the provider never made one. */
  lookup(idempotencyKey: string): Promise<ChargeRecord | null>;
  /** Gives a whole charge back. Idempotent. */
  refund(req: RefundRequest): Promise<void>;
}
