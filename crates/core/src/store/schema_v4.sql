-- Schema version 4: captures and evidence files, kept byte for byte in the library file.

-- A snapshot is one HTTP exchange as received, stored as WARC/1.1 `response` and
-- `request` records (uncompressed). It documents either an imported article or an
-- evidence link. `sha256` is the payload's (the body as received), `warc_sha256` the
-- stored records'; the history event of the capture records both, so `verify` notices
-- edited bytes.
CREATE TABLE snapshots (
    id           INTEGER PRIMARY KEY,
    article_id   INTEGER REFERENCES articles(id),
    evidence_id  INTEGER REFERENCES evidence(id),
    url          TEXT NOT NULL,
    final_url    TEXT NOT NULL,
    status       INTEGER NOT NULL,
    content_type TEXT,
    fetched_at   TEXT NOT NULL,
    sha256       TEXT NOT NULL,
    bytes        INTEGER NOT NULL,
    warc         BLOB NOT NULL,
    warc_sha256  TEXT NOT NULL,
    text         TEXT,
    CHECK ((article_id IS NULL) <> (evidence_id IS NULL))
);
CREATE INDEX snapshots_by_article ON snapshots(article_id) WHERE article_id IS NOT NULL;
CREATE INDEX snapshots_by_evidence ON snapshots(evidence_id) WHERE evidence_id IS NOT NULL;

-- Evidence files (a PDF, an image, a spreadsheet), one row per distinct content.
CREATE TABLE files (
    id          INTEGER PRIMARY KEY,
    sha256      TEXT NOT NULL UNIQUE,
    media_type  TEXT NOT NULL,
    bytes       INTEGER NOT NULL,
    content     BLOB NOT NULL
);
ALTER TABLE evidence ADD COLUMN file_id INTEGER REFERENCES files(id);
ALTER TABLE evidence ADD COLUMN file_name TEXT;
