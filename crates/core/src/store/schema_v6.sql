-- Schema version 6: long lists page quickly at any size (100,000 articles, a million
-- claims). A page of a list is found by an index holding only ids, and each list's
-- length is kept in step by triggers instead of counted on every page.

CREATE INDEX articles_newest ON articles(id);
CREATE INDEX claims_live ON claims(id) WHERE removed_at IS NULL;

-- Rows in each list: 'articles', 'claims' (live) and 'claims:<status>' (live).
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

CREATE TRIGGER articles_counted AFTER INSERT ON articles BEGIN
    UPDATE list_counts SET rows = rows + 1 WHERE list = 'articles';
END;
CREATE TRIGGER articles_uncounted AFTER DELETE ON articles BEGIN
    UPDATE list_counts SET rows = rows - 1 WHERE list = 'articles';
END;
CREATE TRIGGER claims_counted AFTER INSERT ON claims WHEN new.removed_at IS NULL BEGIN
    UPDATE list_counts SET rows = rows + 1 WHERE list IN ('claims', 'claims:' || new.status);
END;
CREATE TRIGGER claims_recounted AFTER UPDATE OF status, removed_at ON claims BEGIN
    UPDATE list_counts SET rows = rows - 1 WHERE old.removed_at IS NULL AND list IN ('claims', 'claims:' || old.status);
    UPDATE list_counts SET rows = rows + 1 WHERE new.removed_at IS NULL AND list IN ('claims', 'claims:' || new.status);
END;
CREATE TRIGGER claims_uncounted AFTER DELETE ON claims WHEN old.removed_at IS NULL BEGIN
    UPDATE list_counts SET rows = rows - 1 WHERE list IN ('claims', 'claims:' || old.status);
END;
