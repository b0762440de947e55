-- TicketClub schema. The same file runs on PostgreSQL and on PGlite.

CREATE TABLE users (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name          text NOT NULL CHECK (length(name) BETWEEN 1 AND 60),
  email         text NOT NULL,
  password_hash text NOT NULL,
  role          text NOT NULL DEFAULT 'customer' CHECK (role IN ('customer', 'admin')),
  created_at    timestamptz NOT NULL DEFAULT now()
);
-- Emails are unique whatever their case.
CREATE UNIQUE INDEX users_email_key ON users (lower(email));

CREATE TABLE sessions (
  token_hash text PRIMARY KEY,
  user_id    uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL
);
CREATE INDEX sessions_user_idx ON sessions (user_id);

CREATE TABLE venues (
  id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name       text NOT NULL,
  city       text NOT NULL,
  address    text NOT NULL DEFAULT '',
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE areas (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  venue_id      uuid NOT NULL REFERENCES venues (id) ON DELETE CASCADE,
  name          text NOT NULL,
  rows          integer NOT NULL CHECK (rows BETWEEN 1 AND 200),
  seats_per_row integer NOT NULL CHECK (seats_per_row BETWEEN 1 AND 200),
  position      integer NOT NULL,
  UNIQUE (venue_id, name)
);

CREATE TABLE seats (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  area_id     uuid NOT NULL REFERENCES areas (id) ON DELETE CASCADE,
  row_number  integer NOT NULL,
  seat_number integer NOT NULL,
  UNIQUE (area_id, row_number, seat_number)
);

CREATE TABLE events (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  title       text NOT NULL,
  artist      text NOT NULL,
  description text NOT NULL DEFAULT '',
  image_url   text,
  created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE shows (
  id                      uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  event_id                uuid NOT NULL REFERENCES events (id) ON DELETE CASCADE,
  venue_id                uuid NOT NULL REFERENCES venues (id),
  starts_at               timestamptz NOT NULL,
  on_sale_at              timestamptz NOT NULL,
  page_capacity           integer NOT NULL DEFAULT 100 CHECK (page_capacity BETWEEN 1 AND 100000),
  purchase_window_seconds integer NOT NULL DEFAULT 600 CHECK (purchase_window_seconds BETWEEN 5 AND 3600),
  max_tickets_per_account integer NOT NULL DEFAULT 4 CHECK (max_tickets_per_account BETWEEN 1 AND 20),
  created_at              timestamptz NOT NULL DEFAULT now(),
  CHECK (on_sale_at <= starts_at)
);
CREATE INDEX shows_event_idx ON shows (event_id, starts_at);

CREATE TABLE show_prices (
  show_id  uuid NOT NULL REFERENCES shows (id) ON DELETE CASCADE,
  area_id  uuid NOT NULL REFERENCES areas (id),
  price    integer NOT NULL CHECK (price >= 0),
  currency text NOT NULL DEFAULT 'TWD',
  PRIMARY KEY (show_id, area_id)
);

CREATE TABLE orders (
  id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id    uuid NOT NULL REFERENCES users (id),
  show_id    uuid NOT NULL REFERENCES shows (id),
  status     text NOT NULL CHECK (status IN ('pending', 'paid', 'cancelled', 'expired')),
  total      integer NOT NULL CHECK (total >= 0),
  currency   text NOT NULL DEFAULT 'TWD',
  expires_at timestamptz NOT NULL,
  payment_ref text,
  created_at timestamptz NOT NULL DEFAULT now(),
  paid_at    timestamptz,
  CHECK ((status = 'paid') = (paid_at IS NOT NULL))
);
CREATE INDEX orders_user_idx ON orders (user_id, created_at DESC);
CREATE INDEX orders_pending_idx ON orders (expires_at) WHERE status = 'pending';

-- One row per (show, seat): the seat's sale state for that show. Every state change is a
-- conditional UPDATE on this row, so two buyers can never both win it.
CREATE TABLE show_seats (
  show_id         uuid NOT NULL REFERENCES shows (id) ON DELETE CASCADE,
  seat_id         uuid NOT NULL REFERENCES seats (id),
  area_id         uuid NOT NULL REFERENCES areas (id),
  status          text NOT NULL DEFAULT 'available'
                  CHECK (status IN ('available', 'selected', 'locked', 'sold')),
  holder_id       uuid REFERENCES users (id),
  hold_expires_at timestamptz,
  order_id        uuid REFERENCES orders (id),
  updated_at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (show_id, seat_id),
  CHECK ((status = 'available') = (holder_id IS NULL)),
  CHECK ((status IN ('locked', 'sold')) = (order_id IS NOT NULL)),
  CHECK (status IN ('available', 'sold') OR hold_expires_at IS NOT NULL)
);
CREATE INDEX show_seats_area_idx ON show_seats (show_id, area_id);
CREATE INDEX show_seats_holder_idx ON show_seats (show_id, holder_id) WHERE holder_id IS NOT NULL;
CREATE INDEX show_seats_expiry_idx ON show_seats (hold_expires_at) WHERE status IN ('selected', 'locked');

CREATE TABLE order_items (
  order_id uuid NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
  show_id  uuid NOT NULL,
  seat_id  uuid NOT NULL,
  price    integer NOT NULL CHECK (price >= 0),
  PRIMARY KEY (order_id, seat_id),
  FOREIGN KEY (show_id, seat_id) REFERENCES show_seats (show_id, seat_id)
);

-- A seat of a show is sold at most once, whatever the code above does.
CREATE TABLE tickets (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  order_id      uuid NOT NULL REFERENCES orders (id),
  user_id       uuid NOT NULL REFERENCES users (id),
  show_id       uuid NOT NULL,
  seat_id       uuid NOT NULL,
  code          text NOT NULL UNIQUE,
  checked_in_at timestamptz,
  created_at    timestamptz NOT NULL DEFAULT now(),
  UNIQUE (show_id, seat_id),
  FOREIGN KEY (show_id, seat_id) REFERENCES show_seats (show_id, seat_id)
);
CREATE INDEX tickets_order_idx ON tickets (order_id);
