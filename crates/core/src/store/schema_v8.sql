-- Schema v8: the team board's lists found without reading every claim (issue 17).
--
-- Assignments and reviews are history events, few beside a library's claims: partial
-- indexes hold only those two kinds, so "assigned to me" and "waiting for review" read
-- them, not the whole history or every claim. Other events pay one comparison each.
CREATE INDEX history_assignments ON history(id) WHERE kind = 'assigned';
CREATE INDEX history_reviews ON history(claim_id, id) WHERE kind = 'claim_reviewed';
