-- Sentence vectors of the semantic index; see db/migration/sqlite/V9 for their meaning.
CREATE TABLE memory_vectors (
    tenant_id TEXT COLLATE "C" NOT NULL,
    memory_id BIGINT NOT NULL,
    model     TEXT COLLATE "C" NOT NULL,
    scale     REAL   NOT NULL CHECK (scale > 0),
    vector    BYTEA  NOT NULL,
    PRIMARY KEY (tenant_id, memory_id, model)
);
