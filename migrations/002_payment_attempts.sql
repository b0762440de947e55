-- The payment record: every charge is announced here before the provider is asked, so a process
-- that dies between the charge and the order's completion leaves a trace the reconciler resolves.

CREATE TABLE payment_attempts (
  id              uuid PRIMARY KEY,
  order_id        uuid NOT NULL REFERENCES orders (id),
  -- What the provider knows this charge by: a retry with the same key is the same charge.
  idempotency_key text NOT NULL UNIQUE,
  amount          integer NOT NULL CHECK (amount >= 0),
  currency        text NOT NULL,
  -- charging: written before the charge, outcome unknown. succeeded: the order is paid by it.
  -- declined / failed: no money moved (failed: the provider never saw the charge).
  -- refund_due: money moved but the order could not be completed; refunded: given back.
  state           text NOT NULL CHECK (state IN ('charging', 'succeeded', 'declined', 'failed', 'refund_due', 'refunded')),
  charge_id       text,
  created_at      timestamptz NOT NULL,
  resolved_at     timestamptz,
  CHECK ((state IN ('succeeded', 'refund_due', 'refunded')) = (charge_id IS NOT NULL)),
  CHECK ((state = 'charging') = (resolved_at IS NULL))
);
-- At most one charge of an order is in flight, whatever two requests or instances do at once.
CREATE UNIQUE INDEX payment_attempts_one_in_flight ON payment_attempts (order_id) WHERE state = 'charging';
-- What the reconciler looks for.
CREATE INDEX payment_attempts_unresolved_idx ON payment_attempts (created_at) WHERE state IN ('charging', 'refund_due');
CREATE INDEX payment_attempts_order_idx ON payment_attempts (order_id);

-- The attempt in flight, on the order's own row: every statement that ends a pending order says
-- `paying_attempt_id IS NULL` in its WHERE, which PostgreSQL re-checks on the row it locks, so an
-- order cannot expire or be cancelled while its charge may be going through.
ALTER TABLE orders ADD COLUMN paying_attempt_id uuid;

-- The built-in test payment provider's own books: a stand-in for the processor's side, which
-- survives our restarts the way a real processor's does. Nothing of ours reads these tables.
CREATE TABLE test_provider_charges (
  id              text PRIMARY KEY,
  idempotency_key text NOT NULL UNIQUE,
  status          text NOT NULL CHECK (status IN ('succeeded', 'declined')),
  amount          integer NOT NULL,
  currency        text NOT NULL,
  last4           text NOT NULL,
  order_id        text,
  created_at      timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE test_provider_refunds (
  id              text PRIMARY KEY,
  -- Refunds are of a whole charge: one per charge, whatever key a retry brings.
  charge_id       text NOT NULL UNIQUE REFERENCES test_provider_charges (id),
  idempotency_key text NOT NULL UNIQUE,
  amount          integer NOT NULL,
  created_at      timestamptz NOT NULL DEFAULT now()
);
