-- Factdesk library, schema version 2: suggestions a reporter dismissed, so the claim
-- assistant does not offer them again. Offsets as in claims (code points, end exclusive).
-- The dismissal is also an event in the history; this table is what the assistant reads.
CREATE TABLE dismissed_suggestions (
    article_id   INTEGER NOT NULL REFERENCES articles(id),
    start        INTEGER NOT NULL CHECK (start >= 0),
    end          INTEGER NOT NULL CHECK (end > start),
    dismissed_at TEXT NOT NULL,
    dismissed_by TEXT NOT NULL,
    PRIMARY KEY (article_id, start, end)
) WITHOUT ROWID;
