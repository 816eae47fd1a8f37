-- Schema v9: a captured page's records found by their SHA-256 (issue 17), as the team
-- sync names them when it sends them to other desks. Without the index each lookup would
-- read every snapshot's records: the hash column is stored after them.
CREATE INDEX snapshots_by_warc_sha256 ON snapshots(warc_sha256);
