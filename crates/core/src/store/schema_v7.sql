-- Schema v7: a library shared through a team hub (issue 17).
--
-- team_link: the one workspace this library is linked to, this device's key and token, how
-- far its own history was pushed (a local history id and the hash of the newest envelope
-- sent: the next one's `prev`), and how far the hub's order was pulled (a sequence number
-- and the hub chain's head there).
CREATE TABLE team_link (
    singleton       INTEGER PRIMARY KEY CHECK (singleton = 1),
    hub_url         TEXT NOT NULL,
    workspace       TEXT NOT NULL,
    member          TEXT NOT NULL,
    role            TEXT NOT NULL,
    device_key      TEXT NOT NULL,
    device_token    TEXT NOT NULL,
    joined_at       TEXT NOT NULL,
    pushed_through  INTEGER NOT NULL DEFAULT 0,
    device_head     TEXT,
    pulled_seq      INTEGER NOT NULL DEFAULT 0,
    hub_head        TEXT NOT NULL DEFAULT ''
);

-- Ids that mean the same on every desktop of the workspace, and the local row each is
-- here. Articles are named by the SHA-256 of their first bytes; what a device created, by
-- the device's short id and its local number.
CREATE TABLE team_ids (
    uid       TEXT PRIMARY KEY,
    kind      TEXT NOT NULL,
    local_id  INTEGER NOT NULL,
    UNIQUE (kind, local_id)
);

-- The hub's events as pulled, in its order, with its chain. history_id is the local event
-- it is (one of ours) or became (replayed); NULL when this release cannot replay its kind
-- yet (kept, counted, never dropped).
CREATE TABLE team_events (
    seq         INTEGER PRIMARY KEY,
    id          TEXT NOT NULL UNIQUE,
    hash        TEXT NOT NULL,
    hub_hash    TEXT NOT NULL,
    author      TEXT NOT NULL,
    kind        TEXT NOT NULL,
    history_id  INTEGER,
    envelope    TEXT NOT NULL
);
CREATE INDEX team_events_by_history ON team_events(history_id);

-- Claims two members decided differently from the same earlier state: both decisions are
-- kept (JSON: [{author, at, from, to, note}]) until an editor settles the claim.
CREATE TABLE claim_contests (
    claim_id   INTEGER PRIMARY KEY REFERENCES claims(id),
    decisions  TEXT NOT NULL
);
