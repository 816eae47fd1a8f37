-- The hub's schema, version 2: the bytes an event needs on other desktops (an imported
-- article's original file), by SHA-256, kept once per workspace.
CREATE TABLE blobs (
    workspace_id  bigint NOT NULL REFERENCES workspaces(id),
    sha256        text NOT NULL,
    bytes         bytea NOT NULL,
    stored_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (workspace_id, sha256)
);
