-- The pre-queue and the draw. A show's queue opens at queue_opens_at (NULL: at on_sale_at, no
-- pre-queue: shows made before this migration, or inserted without it); from then until on_sale_at a
-- join is an entry in the draw.
ALTER TABLE shows ADD COLUMN queue_opens_at timestamptz;
ALTER TABLE shows ADD CONSTRAINT shows_queue_opens_by_sale CHECK (queue_opens_at IS NULL OR queue_opens_at <= on_sale_at);

-- One per show, made lazily by whichever instance needs it first (INSERT ... ON CONFLICT DO NOTHING),
-- so every instance publishes the same commitment. drawn_at is the claim: set once, by a conditional
-- UPDATE, together with the frozen order; moved_at says every drawn entry is in the line.
CREATE TABLE show_draws (
  show_id      uuid PRIMARY KEY REFERENCES shows (id) ON DELETE CASCADE,
  seed         bytea NOT NULL CHECK (length(seed) = 32),
  commitment   text NOT NULL,
  drawn_at     timestamptz,
  drawn_users  uuid[],
  drawn_entries text[],
  moved_at     timestamptz,
  CHECK ((drawn_at IS NULL) = (drawn_users IS NULL) AND (drawn_at IS NULL) = (drawn_entries IS NULL)),
  CHECK (moved_at IS NULL OR drawn_at IS NOT NULL)
);

CREATE TABLE draw_entries (
  show_id    uuid NOT NULL REFERENCES shows (id) ON DELETE CASCADE,
  user_id    uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  entry_id   text NOT NULL UNIQUE,
  entered_at timestamptz NOT NULL DEFAULT now(),
  -- Presence, as for waiters: an entrant no connection has watched for the grace loses its entry.
  seen_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (show_id, user_id)
);

-- The commitment is published from queue_opens_at: the seed behind it, and the order once drawn,
-- never change.
CREATE FUNCTION show_draws_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.seed <> OLD.seed OR NEW.commitment <> OLD.commitment
     OR (OLD.drawn_at IS NOT NULL AND (NEW.drawn_at IS DISTINCT FROM OLD.drawn_at
         OR NEW.drawn_users IS DISTINCT FROM OLD.drawn_users OR NEW.drawn_entries IS DISTINCT FROM OLD.drawn_entries))
     OR (OLD.moved_at IS NOT NULL AND NEW.moved_at IS DISTINCT FROM OLD.moved_at) THEN
    RAISE EXCEPTION 'a published draw does not change';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER show_draws_frozen BEFORE UPDATE ON show_draws FOR EACH ROW EXECUTE FUNCTION show_draws_frozen();
