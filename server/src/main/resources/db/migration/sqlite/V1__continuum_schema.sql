-- Continuum schema, SQLite. The PostgreSQL twin lives in db/migration/postgresql and keeps the same tables, columns
-- and keys. Every data table carries tenant_id and every key starts with it. Times are epoch milliseconds (UTC).
-- Text comparisons that break ties (entities.name) use BINARY collation: code-point order.

CREATE TABLE tenants (
    tenant_id   TEXT    NOT NULL PRIMARY KEY,
    created_at  INTEGER NOT NULL,
    last_active INTEGER NOT NULL,
    metadata    TEXT    NOT NULL DEFAULT '{}'
);

-- Concepts. key is the normalised name (ConceptKeys.normalize); name is the display spelling of the earliest
-- sighting (ties: the smaller name), which the upsert keeps.
CREATE TABLE entities (
    tenant_id   TEXT    NOT NULL,
    key         TEXT    NOT NULL,
    name        TEXT    NOT NULL,
    entity_type TEXT    NOT NULL,
    description TEXT    NOT NULL,
    created_at  INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, key)
) WITHOUT ROWID;
CREATE INDEX entities_by_type ON entities (tenant_id, entity_type, created_at);

-- Undirected co-occurrence counts, one row per unordered pair (concept_a < concept_b). Strength is derived from
-- count and last_seen at read time, never stored.
CREATE TABLE attention_links (
    tenant_id TEXT    NOT NULL,
    concept_a TEXT    NOT NULL,
    concept_b TEXT    NOT NULL,
    count     INTEGER NOT NULL CHECK (count >= 1),
    last_seen INTEGER NOT NULL,
    CHECK (concept_a < concept_b),
    PRIMARY KEY (tenant_id, concept_a, concept_b)
) WITHOUT ROWID;
CREATE INDEX attention_links_by_b ON attention_links (tenant_id, concept_b);

-- components_key: the sorted component keys joined by U+001F (Delta.CompoundDelta.joinedKey), the identity.
-- compound_name: the first three components' display names joined by " + ", as first recorded.
CREATE TABLE compound_concepts (
    tenant_id          TEXT    NOT NULL,
    components_key     TEXT    NOT NULL,
    compound_name      TEXT    NOT NULL,
    component_concepts TEXT    NOT NULL,
    count              INTEGER NOT NULL CHECK (count >= 1),
    last_seen          INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, components_key)
) WITHOUT ROWID;

-- Memories (conversation turns). concepts: JSON array of the concept keys the turn mentions (its postings).
-- search_text: lower-cased (Locale.ROOT) user and assistant text, so substring search is Unicode case-insensitive
-- with a plain LIKE.
CREATE TABLE messages (
    tenant_id    TEXT    NOT NULL,
    id           INTEGER NOT NULL,
    session_id   TEXT    NOT NULL,
    user_message TEXT    NOT NULL,
    ai_response  TEXT    NOT NULL,
    thinking     TEXT    NOT NULL,
    metadata     TEXT    NOT NULL,
    created_at   INTEGER NOT NULL,
    concepts     TEXT    NOT NULL,
    search_text  TEXT    NOT NULL,
    PRIMARY KEY (tenant_id, id)
);
CREATE INDEX messages_newest ON messages (tenant_id, created_at DESC, id DESC);
CREATE INDEX messages_by_session ON messages (tenant_id, session_id, created_at DESC, id DESC);

-- Tombstones of forgotten memories: a memory (and its decisions) whose id is here is never inserted again, so
-- replaying the delta that created it does not revive it.
CREATE TABLE forgotten_memories (
    tenant_id    TEXT    NOT NULL,
    memory_id    INTEGER NOT NULL,
    forgotten_at INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, memory_id)
) WITHOUT ROWID;

CREATE TABLE decisions (
    tenant_id  TEXT    NOT NULL,
    memory_id  INTEGER NOT NULL,
    ordinal    INTEGER NOT NULL,
    text       TEXT    NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, memory_id, ordinal)
) WITHOUT ROWID;

-- Tenant keys and admin keys. tenant_id is NULL only for an admin key that belongs to no tenant. hash is the slow
-- salted hash of the whole key; the secret itself is never stored.
CREATE TABLE api_keys (
    key_id       TEXT    NOT NULL PRIMARY KEY,
    tenant_id    TEXT,
    name         TEXT    NOT NULL,
    hash         TEXT    NOT NULL,
    admin        INTEGER NOT NULL CHECK (admin IN (0, 1)),
    created_at   INTEGER NOT NULL,
    revoked_at   INTEGER,
    last_used_at INTEGER
);
CREATE INDEX api_keys_by_tenant ON api_keys (tenant_id);

-- Every committed op, per tenant, in commit order: the continuity hash chain and the change feed.
-- payload_digest = SHA-256(payload bytes as committed); hash = SHA-256(prev_hash || payload_digest), all hex here; the
-- chain of a tenant starts at SHA-256("5.083203692315260"). A forget redacts a memory's text from payload (setting
-- redacted_at); payload_digest keeps the chain verifiable.
CREATE TABLE change_log (
    tenant_id    TEXT    NOT NULL,
    seq          INTEGER NOT NULL CHECK (seq >= 1),
    kind         TEXT    NOT NULL,
    payload        TEXT    NOT NULL,
    payload_digest TEXT    NOT NULL,
    prev_hash      TEXT    NOT NULL,
    hash           TEXT    NOT NULL,
    committed_at   INTEGER NOT NULL,
    redacted_at    INTEGER,
    PRIMARY KEY (tenant_id, seq)
) WITHOUT ROWID;

-- The logged ops that carried each memory (by seq), so forgetting the memory can redact its text from the log.
CREATE TABLE memory_origins (
    tenant_id TEXT    NOT NULL,
    memory_id INTEGER NOT NULL,
    seq       INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, memory_id, seq)
) WITHOUT ROWID;

-- One row the writer rewrites first in every transaction (so it takes the write lock before reading) and alone as
-- the probe that notices when the database accepts writes again after a failure.
CREATE TABLE writer_probe (
    id         INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),
    written_at INTEGER NOT NULL
);
