-- V2, PostgreSQL: case-insensitive concept identity (as in the SQLite V2 of the same number), and what only PostgreSQL
-- offers: JSONB metadata and full-text search. Every column added here is GENERATED from columns the product writes, so
-- the writer's statements, the rebuild (StateLoader) and the change feed stay the same SQL on both backends.

-- Case-insensitive concept identity, enforced by the database: no two concepts of a tenant whose keys differ only in
-- case. The index is on the key, the identity the product writes (ConceptKeys.normalize: Java's
-- toLowerCase(Locale.ROOT)), not on the display name. Java's lower-casing is already applied to every key the product
-- writes, so lower(key) = key for them and the index can never reject a key the primary key accepts, provided the
-- database's lower() leaves Java-lower-cased text unchanged. ICU's root-locale lower() is the same Unicode default case
-- mapping as Java's (final sigma, U+0130 to "i" + U+0307), so it folds every Unicode case variant written behind the
-- API ('ÄPFEL' next to 'äpfel', 'ΟΔΟΣ' next to 'οδος') and leaves the product's keys alone. A lower-cased display
-- name would not do: the C library's lower() (no final sigma, U+0130 to "i") maps the names 'ΟΔΟΣ' and 'οδοσ', two
-- different keys in Java ('οδος', 'οδοσ'), to the same text. A server built without ICU gets lower() over the key's
-- "C" collation instead, which folds ASCII only, as SQLite's does. Should a server's ICU ever know case pairs newer
-- than the JDK's Unicode version, ConceptIdentityTest is the check that says so.
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_collation WHERE collname = 'und-x-icu') THEN
        EXECUTE 'CREATE UNIQUE INDEX entities_identity ON entities (tenant_id, lower(key COLLATE "und-x-icu"))';
    ELSE
        RAISE NOTICE 'no ICU collation: entities_identity folds ASCII letters only';
        EXECUTE 'CREATE UNIQUE INDEX entities_identity ON entities (tenant_id, lower(key))';
    END IF;
END
$$;

-- JSONB metadata. The metadata column keeps the exact text the engine was given and stays what the product reads:
-- the engine's state checksum covers that text, so a rebuild from SQL must give it back byte for byte, and JSONB does
-- not (it reorders keys, adds spaces, drops duplicate keys). Re-writing the API's metadata into JSONB's canonical text
-- before the engine sees it was the other option; it would tie the API to one database's output format. So each
-- table gets a JSONB twin for SQL and indexes (metadata_json @> '{"source": "slack"}'). It is NULL where the text is
-- not a JSON value PostgreSQL can hold: empty (no metadata given), not JSON at all (change-feed replays may carry any
-- text), or JSON JSONB refuses (a "\u0000" escape, a number beyond its range), so that no metadata can fail a write.
CREATE FUNCTION continuum_metadata_jsonb(metadata TEXT) RETURNS JSONB
    LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
BEGIN
    IF metadata = '' THEN
        RETURN NULL;
    END IF;
    -- The inner block alone pays for the subtransaction an exception handler needs.
    BEGIN
        RETURN metadata::jsonb;
    EXCEPTION
        WHEN data_exception OR program_limit_exceeded OR statement_too_complex THEN
            RETURN NULL;
    END;
END
$$;

ALTER TABLE messages ADD COLUMN metadata_json JSONB GENERATED ALWAYS AS (continuum_metadata_jsonb(metadata)) STORED;
ALTER TABLE tenants ADD COLUMN metadata_json JSONB GENERATED ALWAYS AS (continuum_metadata_jsonb(metadata)) STORED;

-- Full-text search over memories (Storage.memories with a text filter). search_text is the user and assistant text
-- lower-cased in Java, so case folding does not depend on the database's locale. The 'simple' configuration splits
-- words with PostgreSQL's default parser and neither stems nor drops stop words: a filter word matches the start of
-- a word (MemoryFilter builds 'word':* prefix queries). Only the first 100,000 characters are indexed: a tsvector
-- holds at most 1 MB, which this bound keeps (one-character words of four-byte characters, the densest text, give
-- about 520 kB), so no memory can fail its write on its size.
ALTER TABLE messages ADD COLUMN search_vector TSVECTOR
    GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, left(search_text, 100000))) STORED;
CREATE INDEX messages_search ON messages USING GIN (search_vector);

-- Full-text index over concept names, for SQL and future concept search: the normalised name (key), lower-cased in
-- Java like search_text. Query it with the same expression, e.g.
-- WHERE to_tsvector('simple'::regconfig, left(key, 100000)) @@ to_tsquery('simple', 'kube:*').
CREATE INDEX entities_name_search ON entities USING GIN (to_tsvector('simple'::regconfig, left(key, 100000)));
