-- Continuum schema, PostgreSQL. Same tables, columns and keys as db/migration/sqlite/V1 (see the comments there).
-- Text that is compared or ordered uses COLLATE "C" (byte order of UTF-8 = code-point order), which is what SQLite's
-- BINARY collation does, so both backends break ties and stream rows identically. metadata stays TEXT: it is stored
-- exactly as received (the engine's value may be empty or not JSON), so a rebuild gives back identical state.

CREATE TABLE tenants (
    tenant_id   TEXT COLLATE "C" NOT NULL PRIMARY KEY,
    created_at  BIGINT NOT NULL,
    last_active BIGINT NOT NULL,
    metadata    TEXT   NOT NULL DEFAULT '{}'
);

CREATE TABLE entities (
    tenant_id   TEXT COLLATE "C" NOT NULL,
    key         TEXT COLLATE "C" NOT NULL,
    name        TEXT COLLATE "C" NOT NULL,
    entity_type TEXT COLLATE "C" NOT NULL,
    description TEXT COLLATE "C" NOT NULL,
    created_at  BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, key)
);
CREATE INDEX entities_by_type ON entities (tenant_id, entity_type, created_at);

CREATE TABLE attention_links (
    tenant_id TEXT COLLATE "C" NOT NULL,
    concept_a TEXT COLLATE "C" NOT NULL,
    concept_b TEXT COLLATE "C" NOT NULL,
    count     BIGINT NOT NULL CHECK (count >= 1),
    last_seen BIGINT NOT NULL,
    CHECK (concept_a < concept_b),
    PRIMARY KEY (tenant_id, concept_a, concept_b)
);
CREATE INDEX attention_links_by_b ON attention_links (tenant_id, concept_b);

CREATE TABLE compound_concepts (
    tenant_id          TEXT COLLATE "C" NOT NULL,
    components_key     TEXT COLLATE "C" NOT NULL,
    compound_name      TEXT   NOT NULL,
    component_concepts TEXT   NOT NULL,
    count              BIGINT NOT NULL CHECK (count >= 1),
    last_seen          BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, components_key)
);

CREATE TABLE messages (
    tenant_id    TEXT COLLATE "C" NOT NULL,
    id           BIGINT NOT NULL,
    session_id   TEXT COLLATE "C" NOT NULL,
    user_message TEXT   NOT NULL,
    ai_response  TEXT   NOT NULL,
    thinking     TEXT   NOT NULL,
    metadata     TEXT   NOT NULL,
    created_at   BIGINT NOT NULL,
    concepts     TEXT   NOT NULL,
    search_text  TEXT   NOT NULL,
    PRIMARY KEY (tenant_id, id)
);
CREATE INDEX messages_newest ON messages (tenant_id, created_at DESC, id DESC);
CREATE INDEX messages_by_session ON messages (tenant_id, session_id, created_at DESC, id DESC);

CREATE TABLE forgotten_memories (
    tenant_id    TEXT COLLATE "C" NOT NULL,
    memory_id    BIGINT NOT NULL,
    forgotten_at BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, memory_id)
);

CREATE TABLE decisions (
    tenant_id  TEXT COLLATE "C" NOT NULL,
    memory_id  BIGINT  NOT NULL,
    ordinal    INTEGER NOT NULL,
    text       TEXT    NOT NULL,
    created_at BIGINT  NOT NULL,
    PRIMARY KEY (tenant_id, memory_id, ordinal)
);

CREATE TABLE api_keys (
    key_id       TEXT COLLATE "C" NOT NULL PRIMARY KEY,
    tenant_id    TEXT COLLATE "C",
    name         TEXT     NOT NULL,
    hash         TEXT     NOT NULL,
    admin        SMALLINT NOT NULL CHECK (admin IN (0, 1)),
    created_at   BIGINT   NOT NULL,
    revoked_at   BIGINT,
    last_used_at BIGINT
);
CREATE INDEX api_keys_by_tenant ON api_keys (tenant_id);

CREATE TABLE change_log (
    tenant_id    TEXT COLLATE "C" NOT NULL,
    seq          BIGINT NOT NULL CHECK (seq >= 1),
    kind         TEXT   NOT NULL,
    payload        TEXT   NOT NULL,
    payload_digest TEXT   NOT NULL,
    prev_hash      TEXT   NOT NULL,
    hash           TEXT   NOT NULL,
    committed_at   BIGINT NOT NULL,
    redacted_at    BIGINT,
    PRIMARY KEY (tenant_id, seq)
);

CREATE TABLE memory_origins (
    tenant_id TEXT COLLATE "C" NOT NULL,
    memory_id BIGINT NOT NULL,
    seq       BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, memory_id, seq)
);

CREATE TABLE writer_probe (
    id         INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),
    written_at BIGINT  NOT NULL
);
