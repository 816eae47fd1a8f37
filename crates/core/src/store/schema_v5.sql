-- Schema version 5: article versions, and claims that follow them.

-- `articles` holds each article's newest version (every reader of its text sees that);
-- the versions it replaced are kept here, bytes and text, never changed.
ALTER TABLE articles ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
-- The article's URL normalized (`url::normalize_url`), so that an import with the same
-- address finds it by index. Filled by the library when a row is written, and for the
-- articles of an older library when it is first opened (the rule is Rust, not SQL).
ALTER TABLE articles ADD COLUMN url_key TEXT;
CREATE INDEX articles_by_url_key ON articles(url_key) WHERE url_key IS NOT NULL;
CREATE INDEX articles_without_url_key ON articles(id) WHERE url IS NOT NULL AND url_key IS NULL;
CREATE TABLE article_versions (
    article_id  INTEGER NOT NULL REFERENCES articles(id),
    version     INTEGER NOT NULL CHECK (version >= 1),
    sha256      TEXT NOT NULL,
    original    BLOB NOT NULL,
    file_name   TEXT NOT NULL,
    format      TEXT NOT NULL,
    encoding    TEXT NOT NULL,
    title       TEXT NOT NULL,
    text        TEXT NOT NULL,
    word_count  INTEGER NOT NULL,
    imported_at TEXT NOT NULL,
    PRIMARY KEY (article_id, version)
);
CREATE INDEX article_versions_by_sha256 ON article_versions(sha256);

-- Where a claim stands since its article last changed. `anchor_version` is the version
-- its status was decided on; for an `exact` or `moved` claim the newest, for a `changed`
-- one the older version (start/end then hold the span proposed in the newest text, and
-- `previous_quote` the words decided on), for an `orphaned` one the version its
-- start/end still index.
ALTER TABLE claims ADD COLUMN anchor_state TEXT NOT NULL DEFAULT 'exact'
    CHECK (anchor_state IN ('exact', 'moved', 'changed', 'orphaned'));
ALTER TABLE claims ADD COLUMN anchor_version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE claims ADD COLUMN previous_quote TEXT;
CREATE INDEX claims_to_recheck ON claims(article_id)
    WHERE removed_at IS NULL AND anchor_state IN ('changed', 'orphaned');
