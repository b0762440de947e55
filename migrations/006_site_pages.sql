-- The site's own pages the organizer writes in the console: help, terms, privacy, contact.
-- The body is Markdown, rendered as Markdown (never as HTML) by the web app.
CREATE TABLE site_pages (
  slug       text PRIMARY KEY CHECK (slug IN ('help', 'terms', 'privacy', 'contact')),
  title      text NOT NULL CHECK (length(title) BETWEEN 1 AND 120),
  body       text NOT NULL DEFAULT '' CHECK (length(body) <= 50000),
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- Every footer link leads somewhere from the first start; the organizer writes the text.
INSERT INTO site_pages (slug, title, body) VALUES
  ('help', 'Help', 'The organizer has not written this page yet.'),
  ('terms', 'Terms of sale', 'The organizer has not written this page yet.'),
  ('privacy', 'Privacy', 'The organizer has not written this page yet.'),
  ('contact', 'Contact', 'The organizer has not written this page yet.');
