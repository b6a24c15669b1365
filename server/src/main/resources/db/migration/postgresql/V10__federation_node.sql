-- This deployment's federation membership; see db/migration/sqlite/V10 for the meaning of each table. In the main
-- database so that every replica of one deployment is ONE federation node.
CREATE TABLE federation_node (
    singleton        INTEGER PRIMARY KEY CHECK (singleton = 1),
    version          BIGINT  NOT NULL,
    lease_holder     TEXT,
    lease_expires_at BIGINT  NOT NULL
);
INSERT INTO federation_node (singleton, version, lease_holder, lease_expires_at) VALUES (1, 0, NULL, 0);

CREATE TABLE federation_identity (
    singleton   INTEGER PRIMARY KEY CHECK (singleton = 1),
    node_id     TEXT    NOT NULL,
    org_id      TEXT    NOT NULL,
    private_key TEXT    NOT NULL,
    public_key  TEXT    NOT NULL,
    joined_at   BIGINT  NOT NULL
);

CREATE TABLE federation_contributed (
    pattern_id     TEXT COLLATE "C" PRIMARY KEY,
    key_id         TEXT    NOT NULL,
    concept_a      TEXT    NOT NULL,
    concept_b      TEXT    NOT NULL,
    bucket         INTEGER NOT NULL,
    contributed_at BIGINT  NOT NULL
);

CREATE TABLE federation_patterns (
    pattern_id    TEXT COLLATE "C" PRIMARY KEY,
    concept_a     TEXT    NOT NULL,
    concept_b     TEXT    NOT NULL,
    name_a        TEXT    NOT NULL,
    name_b        TEXT    NOT NULL,
    bucket        INTEGER NOT NULL,
    organisations INTEGER NOT NULL,
    weight        DOUBLE PRECISION NOT NULL,
    pulled_at     BIGINT  NOT NULL
);

CREATE TABLE federation_state (
    name  TEXT COLLATE "C" PRIMARY KEY,
    value TEXT NOT NULL
);
