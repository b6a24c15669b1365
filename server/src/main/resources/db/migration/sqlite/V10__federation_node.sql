-- This deployment's federation membership, in the main database so that every replica of one deployment on one
-- PostgreSQL database is ONE federation node (the SQLite backend has one process; it keeps the same tables). Apart
-- from the tenants' knowledge: nothing here changes a local count. See server/FEDERATION.md.

-- One row: the version of the federated state (identity, pulled patterns), raised by every join, leave and completed
-- pull so that replicas reload cheaply; and the sync lease, held by the one replica syncing now until lease_expires_at
-- (epoch ms), so that a replica killed mid-sync holds it no longer than that.
CREATE TABLE federation_node (
    singleton        INTEGER PRIMARY KEY CHECK (singleton = 1),
    version          INTEGER NOT NULL,
    lease_holder     TEXT,
    lease_expires_at INTEGER NOT NULL
);
INSERT INTO federation_node (singleton, version, lease_holder, lease_expires_at) VALUES (1, 0, NULL, 0);

-- This node's identity at the coordinator (one row while joined); the Ed25519 private key signs its requests.
CREATE TABLE federation_identity (
    singleton   INTEGER PRIMARY KEY CHECK (singleton = 1),
    node_id     TEXT    NOT NULL,
    org_id      TEXT    NOT NULL,
    private_key TEXT    NOT NULL,
    public_key  TEXT    NOT NULL,
    joined_at   INTEGER NOT NULL
);

-- Patterns this node contributed and the coordinator acknowledged; what the next sync retracts when they are gone.
CREATE TABLE federation_contributed (
    pattern_id     TEXT PRIMARY KEY,
    key_id         TEXT    NOT NULL,
    concept_a      TEXT    NOT NULL,
    concept_b      TEXT    NOT NULL,
    bucket         INTEGER NOT NULL,
    contributed_at INTEGER NOT NULL
);

-- Patterns pulled from the federation: released (k organisations), opened with the group key.
CREATE TABLE federation_patterns (
    pattern_id    TEXT PRIMARY KEY,
    concept_a     TEXT    NOT NULL,
    concept_b     TEXT    NOT NULL,
    name_a        TEXT    NOT NULL,
    name_b        TEXT    NOT NULL,
    bucket        INTEGER NOT NULL,
    organisations INTEGER NOT NULL,
    weight        REAL    NOT NULL,
    pulled_at     INTEGER NOT NULL
);

-- Named values of the sync (the last successful sync's time).
CREATE TABLE federation_state (
    name  TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
