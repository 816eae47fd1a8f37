-- The hub's schema, version 1: workspaces and their members, one-time invitations,
-- devices with their bearer tokens (stored as SHA-256) and their own chain heads, and the
-- events of each workspace in the one order the hub gave them, hash-chained.

CREATE TABLE workspaces (
    id          bigserial PRIMARY KEY,
    name        text NOT NULL UNIQUE,
    created_at  timestamptz NOT NULL DEFAULT now(),
    -- The next sequence number and the hub chain's head: read and moved under
    -- SELECT ... FOR UPDATE, so pushes to one workspace are put in one order.
    next_seq    bigint NOT NULL DEFAULT 1,
    head_hash   text NOT NULL DEFAULT ''
);

CREATE TABLE members (
    id            bigserial PRIMARY KEY,
    workspace_id  bigint NOT NULL REFERENCES workspaces(id),
    name          text NOT NULL,
    role          text NOT NULL CHECK (role IN ('reporter', 'checker', 'editor')),
    created_at    timestamptz NOT NULL DEFAULT now(),
    UNIQUE (workspace_id, name)
);

CREATE TABLE invitations (
    token_sha256  text PRIMARY KEY,
    member_id     bigint NOT NULL REFERENCES members(id),
    created_at    timestamptz NOT NULL DEFAULT now(),
    expires_at    timestamptz NOT NULL,
    used_at       timestamptz
);

CREATE TABLE devices (
    id            bigserial PRIMARY KEY,
    member_id     bigint NOT NULL REFERENCES members(id),
    public_key    text NOT NULL UNIQUE,
    name          text NOT NULL,
    token_sha256  text NOT NULL UNIQUE,
    joined_at     timestamptz NOT NULL DEFAULT now(),
    revoked_at    timestamptz,
    -- The hash of this device's newest accepted envelope: the next one's `prev`.
    last_hash     text
);

CREATE TABLE events (
    workspace_id  bigint NOT NULL REFERENCES workspaces(id),
    seq           bigint NOT NULL,
    id            text NOT NULL,
    device_id     bigint NOT NULL REFERENCES devices(id),
    kind          text NOT NULL,
    envelope      text NOT NULL,
    hash          text NOT NULL,
    -- SHA-256 of the previous event's hub_hash, this seq and this event's hash.
    hub_hash      text NOT NULL,
    received_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (workspace_id, seq),
    UNIQUE (workspace_id, id)
);
