-- A federation node's own state, apart from the tenant's knowledge: nothing here changes local counts.

-- This node's identity at the coordinator (one row while joined).
CREATE TABLE identity (
    singleton   INTEGER PRIMARY KEY CHECK (singleton = 1),
    node_id     TEXT    NOT NULL,
    org_id      TEXT    NOT NULL,
    private_key TEXT    NOT NULL,
    public_key  TEXT    NOT NULL,
    joined_at   INTEGER NOT NULL
);

-- Patterns this node contributed and the coordinator acknowledged; what the next sync retracts when they are gone.
CREATE TABLE contributed (
    pattern_id     TEXT PRIMARY KEY,
    key_id         TEXT    NOT NULL,
    concept_a      TEXT    NOT NULL,
    concept_b      TEXT    NOT NULL,
    bucket         INTEGER NOT NULL,
    contributed_at INTEGER NOT NULL
);

-- Patterns pulled from the federation: released (k organisations), opened with the group key.
CREATE TABLE federated (
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

CREATE TABLE sync_state (
    name  TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
