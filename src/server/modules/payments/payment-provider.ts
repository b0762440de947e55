/**
 * The port to whoever moves the money. Shaped after card processors with payment intents
 * (Stripe and the like): one charge per idempotency key, a reference to refund it by. A provider
 * that confirms asynchronously (3-D Secure, webhooks) would answer `succeeded` from its webhook
 * handler instead, and call OrdersService.completePayment with the same reference.
 */
export interface CardDetails {
  /** Digits, spaces allowed. */
  number: string;
  expMonth: number;
  expYear: number;
  cvc: string;
}

export interface ChargeRequest {
  orderId: string;
  /** In the smallest unit of `currency`. */
  amount: number;
  currency: string;
  card: CardDetails;
  /** The same key never charges twice: a retry or a concurrent duplicate gets the first answer. */
  idempotencyKey: string;
}

export type ChargeResult = { status: 'succeeded'; reference: string } | { status: 'declined'; reason: string };

export interface PaymentProvider {
  readonly name: string;
  charge(req: ChargeRequest): Promise<ChargeResult>;
  /** Gives back a charge whose order could not be completed (it expired meanwhile, or was paid by another charge). */
  refund(reference: string, idempotencyKey: string): Promise<void>;
}
