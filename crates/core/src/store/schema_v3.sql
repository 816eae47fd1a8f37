-- Schema version 3: undo. An event that takes back an earlier one records its id in its
-- payload (`undoes`); this index finds whether an event was already taken back. The
-- expression never fails on a payload that is not JSON (a hand edit must stay possible,
-- for `verify` to see it), and the query uses exactly this expression.
CREATE INDEX history_undoes ON history (iif(json_valid(payload), json_extract(payload, '$.undoes'), NULL));
CREATE INDEX history_actor ON history (actor, id);
