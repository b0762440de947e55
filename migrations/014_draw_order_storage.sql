-- The frozen order of a draw is written once, at onSaleAt, while every early entrant waits for it:
-- 100,000 entries make two arrays of several megabytes. Kept out of line but not compressed (ids and
-- hex compress poorly, and compressing them took about a tenth of the claim: docs/benchmarks.md).
ALTER TABLE show_draws ALTER COLUMN drawn_users SET STORAGE EXTERNAL;
ALTER TABLE show_draws ALTER COLUMN drawn_entries SET STORAGE EXTERNAL;
-- An entry id is base64url (DrawStore.enter): the claim reads and writes the entries as comma-joined
-- lists (DrawEntriesRepository.all, ShowDrawsRepository.markDrawn), which this keeps exact.
ALTER TABLE draw_entries ADD CONSTRAINT draw_entries_id_chars CHECK (entry_id ~ '^[A-Za-z0-9_-]{1,64}$');
