-- Factdesk library, schema version 1. Never edit once shipped: add schema_v2.sql.

-- Articles keep the bytes exactly as imported, so nothing is ever lost.
CREATE TABLE articles (
    id          INTEGER PRIMARY KEY,
    sha256      TEXT NOT NULL UNIQUE,
    original    BLOB NOT NULL,
    file_name   TEXT NOT NULL,
    format      TEXT NOT NULL,
    encoding    TEXT NOT NULL,
    title       TEXT NOT NULL,
    outlet      TEXT,
    author      TEXT,
    dateline    TEXT,
    published   TEXT,
    url         TEXT,
    text        TEXT NOT NULL,
    word_count  INTEGER NOT NULL,
    imported_at TEXT NOT NULL
);

-- Offsets are code points into articles.text, end exclusive. A removed claim keeps
-- its row (removed_at set) so history and anchors stay meaningful.
CREATE TABLE claims (
    id          INTEGER PRIMARY KEY,
    article_id  INTEGER NOT NULL REFERENCES articles(id),
    start       INTEGER NOT NULL CHECK (start >= 0),
    end         INTEGER NOT NULL CHECK (end > start),
    quote       TEXT NOT NULL,
    prefix      TEXT NOT NULL,
    suffix      TEXT NOT NULL,
    status      TEXT NOT NULL DEFAULT 'unreviewed'
                CHECK (status IN ('unreviewed', 'confirmed', 'unconfirmed', 'disputed', 'false')),
    claimant    TEXT,
    note        TEXT,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    removed_at  TEXT
);
CREATE INDEX claims_by_article ON claims(article_id);
CREATE INDEX claims_by_status ON claims(status, id) WHERE removed_at IS NULL;

-- The reusable source library. url_key is the normalized URL; NULL for sources
-- without one (a person, a printed document), which are never merged automatically.
CREATE TABLE sources (
    id          INTEGER PRIMARY KEY,
    title       TEXT NOT NULL,
    url         TEXT,
    url_key     TEXT UNIQUE,
    kind        TEXT NOT NULL
                CHECK (kind IN ('web_page', 'document', 'person', 'official_statement', 'media_report', 'dataset')),
    reliability TEXT CHECK (reliability IN ('A', 'B', 'C', 'D', 'E', 'F')),
    created_at  TEXT NOT NULL
);

CREATE TABLE evidence (
    id          INTEGER PRIMARY KEY,
    claim_id    INTEGER NOT NULL REFERENCES claims(id),
    source_id   INTEGER NOT NULL REFERENCES sources(id),
    stance      TEXT NOT NULL CHECK (stance IN ('supports', 'refutes', 'context')),
    credibility INTEGER CHECK (credibility BETWEEN 1 AND 6),
    excerpt     TEXT,
    added_at    TEXT NOT NULL,
    removed_at  TEXT
);
CREATE INDEX evidence_by_claim ON evidence(claim_id);
CREATE INDEX evidence_by_source ON evidence(source_id);

-- Append-only and hash-chained: hash = SHA-256(prev_hash || canonical JSON of the
-- event). Only ever INSERTed; `factdesk verify` recomputes the chain.
CREATE TABLE history (
    id          INTEGER PRIMARY KEY,
    at          TEXT NOT NULL,
    actor       TEXT NOT NULL,
    kind        TEXT NOT NULL,
    article_id  INTEGER,
    claim_id    INTEGER,
    payload     TEXT NOT NULL,
    prev_hash   TEXT NOT NULL,
    hash        TEXT NOT NULL
);
CREATE INDEX history_by_article ON history(article_id);
CREATE INDEX history_by_claim ON history(claim_id);

-- The chain head, written in the same transaction as each event, so that deleting
-- the newest events is noticed too.
CREATE TABLE history_head (
    singleton   INTEGER PRIMARY KEY CHECK (singleton = 1),
    events      INTEGER NOT NULL,
    hash        TEXT NOT NULL
);

-- Full-text indexes over the articles and the live claims; external content, so
-- the text is stored once. Kept in step by the same transactions that write rows.
CREATE VIRTUAL TABLE articles_fts USING fts5(
    title, text, content = 'articles', content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2'
);
CREATE VIRTUAL TABLE claims_fts USING fts5(
    quote, content = 'claims', content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2'
);
