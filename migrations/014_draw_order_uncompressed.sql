-- The frozen order of a draw is written once, at onSaleAt, while every early entrant waits for it:
-- 100,000 entries make two arrays of several megabytes. Kept out of line but not compressed (ids and
-- hex compress poorly, and compressing them took about a tenth of the claim: docs/benchmarks.md).
ALTER TABLE show_draws ALTER COLUMN drawn_users SET STORAGE EXTERNAL;
ALTER TABLE show_draws ALTER COLUMN drawn_entries SET STORAGE EXTERNAL;
