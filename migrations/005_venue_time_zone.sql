-- Venues keep their IANA time zone: show times are shown to people, and entered by organizers, on
-- the venue's wall clock. The application validates the name (Intl knows the zones; SQL here does
-- not have one list shared by PostgreSQL and PGlite). Venues made before this get UTC, the default
-- of DEFAULT_TIME_ZONE; an organizer sets the real zone in the console.
ALTER TABLE venues ADD COLUMN time_zone text NOT NULL DEFAULT 'UTC'
  CHECK (length(time_zone) BETWEEN 1 AND 64);
