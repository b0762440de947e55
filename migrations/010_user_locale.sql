-- The language an account reads its emails and ticket PDFs in: set at signup from the web app's
-- language and changed when the fan switches language while logged in.
ALTER TABLE users ADD COLUMN locale text NOT NULL DEFAULT 'en' CHECK (locale IN ('en', 'zh-TW'));
