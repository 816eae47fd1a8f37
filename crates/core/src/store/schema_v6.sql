-- Schema version 6: long lists page quickly at any size (100,000 articles, a million
-- claims). A page of a list is found by an index holding only ids, and each list's
-- length is kept instead of counted on every page: by the statements that insert an
-- article or a claim, change a status or remove a claim (`store::shared::count_change`),
-- in their transaction. Not by triggers: any trigger on `articles` made each insert of
-- a large row several times slower (BENCHMARKS.md). `verify` compares them with the rows.

CREATE INDEX articles_newest ON articles(id);
CREATE INDEX claims_live ON claims(id) WHERE removed_at IS NULL;

-- Rows in each list: 'articles', 'claims' (live) and 'claims:<status>' (live claims).
CREATE TABLE list_counts (
    list TEXT PRIMARY KEY,
    rows INTEGER NOT NULL CHECK (rows >= 0)
) WITHOUT ROWID;
INSERT INTO list_counts (list, rows)
    SELECT 'articles', count(*) FROM articles
    UNION ALL SELECT 'claims', count(*) FROM claims WHERE removed_at IS NULL
    UNION ALL SELECT 'claims:' || s.status, (SELECT count(*) FROM claims c WHERE c.removed_at IS NULL AND c.status = s.status)
        FROM (SELECT 'unreviewed' AS status UNION ALL SELECT 'confirmed' UNION ALL SELECT 'unconfirmed'
              UNION ALL SELECT 'disputed' UNION ALL SELECT 'false') AS s;
