-- Sources imported into each tenant, so an import is idempotent: a merge of a source already merged is skipped, and
-- so is a replace whose source was the last thing written to the tenant (last_seq is still the chain head).
-- source_digest: the SHA-256 (hex) of the tenant's section of the export document, over its canonical items.
-- first_seq..last_seq: the change-log positions the import wrote.
CREATE TABLE import_sources (
    tenant_id     TEXT    NOT NULL,
    source_digest TEXT    NOT NULL,
    mode          TEXT    NOT NULL CHECK (mode IN ('MERGE', 'REPLACE')),
    imported_at   INTEGER NOT NULL,
    first_seq     INTEGER NOT NULL,
    last_seq      INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, source_digest)
) WITHOUT ROWID;
