-- The mail outbox: every message the site sends is a row first, written in the transaction of
-- what it tells (a paid order's confirmation commits with the order), then sent by a job on any
-- instance. A message is never dropped: it stays pending, retried with a growing delay, until the
-- SMTP server accepts it (or, without SMTP_URL, it is written as a file under DATA_DIR/mail).
CREATE TABLE mail_outbox (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  kind            text NOT NULL CHECK (length(kind) BETWEEN 1 AND 40),
  -- One message per thing it tells (say, "order-paid:<orderId>"): a retried payment or the
  -- reconciler completing the same order never enqueues a second.
  dedupe_key      text UNIQUE CHECK (length(dedupe_key) <= 200),
  to_address      text NOT NULL CHECK (length(to_address) BETWEEN 3 AND 320),
  payload         jsonb NOT NULL DEFAULT '{}',
  status          text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent')),
  attempts        integer NOT NULL DEFAULT 0,
  -- Due from then on; a sender claims a row by moving it forward (a lease), so a sender that dies
  -- mid-send leaves it to the next run instead of losing it.
  next_attempt_at timestamptz NOT NULL,
  last_error      text,
  subject         text,
  -- Where the message went: 'smtp', or the file under DATA_DIR/mail.
  delivered_to    text,
  created_at      timestamptz NOT NULL,
  sent_at         timestamptz,
  CHECK ((status = 'sent') = (sent_at IS NOT NULL))
);
CREATE INDEX mail_outbox_due_idx ON mail_outbox (next_attempt_at) WHERE status = 'pending';
CREATE INDEX mail_outbox_recent_idx ON mail_outbox (created_at DESC);

-- "Forgot password": single-use, expiring tokens, stored as their SHA-256 only.
CREATE TABLE password_resets (
  token_hash text PRIMARY KEY,
  user_id    uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  created_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  used_at    timestamptz
);
CREATE INDEX password_resets_user_idx ON password_resets (user_id);

-- The dashboard's revenue and its per-minute history, and the CSV exports, read a show's orders.
CREATE INDEX orders_show_idx ON orders (show_id, created_at);
