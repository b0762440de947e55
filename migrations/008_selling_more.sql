-- Selling more than seats (docs/selling.md): standing areas, accessible seats, refunds, a waitlist.

-- A standing area (general admission) has `capacity` places and no grid: its places are seats rows
-- like any seat (row 0, numbers 1..capacity, never shown), so every seat guarantee holds for them.
ALTER TABLE areas ADD COLUMN kind text NOT NULL DEFAULT 'seated' CHECK (kind IN ('seated', 'standing'));
ALTER TABLE areas ADD COLUMN capacity integer;
ALTER TABLE areas DROP CONSTRAINT areas_rows_check;
ALTER TABLE areas DROP CONSTRAINT areas_seats_per_row_check;
ALTER TABLE areas ALTER COLUMN rows DROP NOT NULL;
ALTER TABLE areas ALTER COLUMN seats_per_row DROP NOT NULL;
ALTER TABLE areas ADD CONSTRAINT areas_shape CHECK (
  (kind = 'seated' AND rows BETWEEN 1 AND 200 AND seats_per_row BETWEEN 1 AND 200 AND capacity IS NULL)
  OR (kind = 'standing' AND rows IS NULL AND seats_per_row IS NULL AND capacity BETWEEN 1 AND 20000));

-- Wheelchair places, marked per venue.
ALTER TABLE seats ADD COLUMN accessible boolean NOT NULL DEFAULT false;

-- A refunded order keeps its paid_at (it was paid); its tickets are void.
ALTER TABLE orders DROP CONSTRAINT orders_status_check;
ALTER TABLE orders ADD CONSTRAINT orders_status_check CHECK (status IN ('pending', 'paid', 'cancelled', 'expired', 'refunded'));
ALTER TABLE orders DROP CONSTRAINT orders_check;
ALTER TABLE orders ADD CONSTRAINT orders_paid_at_check CHECK ((status IN ('paid', 'refunded')) = (paid_at IS NOT NULL));
ALTER TABLE orders ADD COLUMN refunded_at timestamptz;
ALTER TABLE orders ADD CONSTRAINT orders_refunded_at_check CHECK ((status = 'refunded') = (refunded_at IS NOT NULL));

-- A place of a show is sold at most once among tickets that stand: a refunded place sells again.
ALTER TABLE tickets ADD COLUMN voided_at timestamptz;
ALTER TABLE tickets DROP CONSTRAINT tickets_show_id_seat_id_key;
CREATE UNIQUE INDEX tickets_one_valid_per_seat ON tickets (show_id, seat_id) WHERE voided_at IS NULL;

-- The waitlist of a sold-out show: one entry per account. waiting -> offered (places held for the
-- account's admission until offer_expires_at) -> purchased, or lapsed (the places went to the next);
-- left: the fan left the list.
CREATE TABLE waitlist_entries (
  show_id            uuid NOT NULL REFERENCES shows (id) ON DELETE CASCADE,
  user_id            uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  quantity           integer NOT NULL CHECK (quantity BETWEEN 1 AND 20),
  state              text NOT NULL DEFAULT 'waiting' CHECK (state IN ('waiting', 'offered', 'purchased', 'lapsed', 'left')),
  joined_at          timestamptz NOT NULL,
  offer_admission_id text,
  offer_expires_at   timestamptz,
  PRIMARY KEY (show_id, user_id),
  CHECK ((state = 'offered') <= (offer_expires_at IS NOT NULL AND offer_admission_id IS NOT NULL))
);
CREATE INDEX waitlist_waiting_idx ON waitlist_entries (show_id, joined_at, user_id) WHERE state = 'waiting';
CREATE INDEX waitlist_offered_idx ON waitlist_entries (offer_expires_at) WHERE state = 'offered';
