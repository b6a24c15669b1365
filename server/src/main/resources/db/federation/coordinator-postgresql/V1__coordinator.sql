-- The federation coordinator's own database on PostgreSQL: the same tables as db/federation/coordinator (SQLite), in
-- PostgreSQL's types. It holds no concept name: patterns are pseudonyms (HMAC under the members' group key) and sealed
-- payloads (AES-GCM under a key derived from it). Times are epoch milliseconds, as on SQLite.

-- Single-use enrolment tokens the operator mints, stored as SHA-256 hashes.
CREATE TABLE enrolments (
    token_hash  TEXT PRIMARY KEY,
    org_id      TEXT    NOT NULL,
    created_at  BIGINT  NOT NULL,
    expires_at  BIGINT  NOT NULL,
    used_by     TEXT
);

-- Member nodes: their Ed25519 public key (never a secret), organisation and contribution accounts.
CREATE TABLE nodes (
    node_id      TEXT PRIMARY KEY,
    org_id       TEXT    NOT NULL,
    public_key   TEXT    NOT NULL,
    status       TEXT    NOT NULL CHECK (status IN ('active', 'revoked', 'left')),
    joined_at    BIGINT  NOT NULL,
    last_seen_at BIGINT,
    contributed  DOUBLE PRECISION NOT NULL DEFAULT 0,
    consumed     DOUBLE PRECISION NOT NULL DEFAULT 0
);

-- One row per (pattern, node): re-sending is an upsert, so a retried contribution changes nothing. A retraction
-- drops the ciphertext and keeps the row, so contributing the pattern again earns no second credit. Pattern ids
-- compare byte-wise (collation "C"), as on SQLite: the release pages are ordered and resumed by pattern id.
CREATE TABLE contributions (
    pattern_id  TEXT COLLATE "C" NOT NULL,
    node_id     TEXT    NOT NULL,
    org_id      TEXT    NOT NULL,
    key_id      TEXT    NOT NULL,
    sealed      BYTEA,
    weight      DOUBLE PRECISION NOT NULL,
    retracted   INTEGER NOT NULL DEFAULT 0,
    updated_at  BIGINT  NOT NULL,
    PRIMARY KEY (pattern_id, node_id)
);
CREATE INDEX contributions_live ON contributions (key_id, pattern_id) WHERE retracted = 0;

-- Nonces of signed requests seen within the skew window: a second use is a replay.
CREATE TABLE nonces (
    node_id    TEXT    NOT NULL,
    nonce      TEXT    NOT NULL,
    expires_at BIGINT  NOT NULL,
    PRIMARY KEY (node_id, nonce)
);
CREATE INDEX nonces_expiry ON nonces (expires_at);
