-- Sources imported into each tenant; see db/migration/sqlite/V3 for the meaning of each column.
CREATE TABLE import_sources (
    tenant_id     TEXT COLLATE "C" NOT NULL,
    source_digest TEXT COLLATE "C" NOT NULL,
    mode          TEXT   NOT NULL CHECK (mode IN ('MERGE', 'REPLACE')),
    imported_at   BIGINT NOT NULL,
    first_seq     BIGINT NOT NULL,
    last_seq      BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, source_digest)
);
