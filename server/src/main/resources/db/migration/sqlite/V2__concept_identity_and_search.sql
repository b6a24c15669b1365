-- V2, SQLite. The PostgreSQL V2 of the same number adds the same concept identity index, and the columns and indexes
-- that only PostgreSQL has (JSONB metadata, full-text search); see the comments there.

-- Case-insensitive concept identity, enforced by the database: no two concepts of a tenant whose keys differ only in
-- case. The product writes every key as ConceptKeys.normalize made it (Java's toLowerCase(Locale.ROOT)), so the keys it
-- writes contain no upper-case letters and lower(key) = key for each of them: this index can never reject a key the
-- product writes that the primary key accepts. It rejects a second spelling of a concept written behind the API
-- (e.g. key 'Kubernetes' next to 'kubernetes'). SQLite's built-in lower() folds ASCII letters only, so here that second
-- spelling is caught when it differs in ASCII letters; the PostgreSQL index folds all of Unicode.
CREATE UNIQUE INDEX entities_identity ON entities (tenant_id, lower(key));
