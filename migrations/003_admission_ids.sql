-- Holds and orders name the admission they were made in, so the end of one admission releases
-- only what it held: never the seats or the pending order of a newer admission of the same account.
ALTER TABLE show_seats ADD COLUMN admission_id text;
ALTER TABLE orders ADD COLUMN admission_id text;
-- A free seat belongs to no admission. (A hold without one, as before this migration, is released
-- with any ended admission of its holder.)
ALTER TABLE show_seats ADD CONSTRAINT show_seats_free_no_admission CHECK (status <> 'available' OR admission_id IS NULL);
CREATE INDEX orders_admission_idx ON orders (show_id, user_id, admission_id) WHERE status = 'pending';
