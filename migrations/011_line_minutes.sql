-- The waiting room's figures minute by minute, for the sale dashboard's charts (so they survive a
-- reload and a restart). One row per show and minute of the line's clock, whichever instances
-- sample it: every instance upserts it (modules/admin/line-minutes-repository.ts), the gauges
-- from its latest sample and `admissions` as the greatest of the store's own count for that
-- minute, so two instances sampling at once never add up. Rows live as long as the show.
CREATE TABLE line_minutes (
  show_id    uuid NOT NULL REFERENCES shows (id) ON DELETE CASCADE,
  minute     timestamptz NOT NULL CHECK (date_trunc('minute', minute) = minute),
  waiting    integer NOT NULL CHECK (waiting >= 0),
  early      integer NOT NULL CHECK (early >= 0),
  admitted   integer NOT NULL CHECK (admitted >= 0),
  admissions integer NOT NULL CHECK (admissions >= 0),
  -- The line's clock at the sample the gauges come from: a later sample replaces them, an older one does not.
  sampled_at timestamptz NOT NULL,
  PRIMARY KEY (show_id, minute)
);
