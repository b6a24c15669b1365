-- Secrets of this store, by name. 'export_seal': 32 random bytes (hex), the HMAC-SHA-256 key that seals each tenant
-- section of an export document (summary.seal over tenant, continuity head and content digest; see ExportSeal). A
-- merge skips a document as the tenant's own earlier state only when its seal verifies, so a document whose content was
-- changed while its continuity head was kept cannot pass as already imported. Every instance on one database shares it;
-- it never leaves the database. randomblob draws from SQLite's ChaCha20 generator, seeded from the OS.
CREATE TABLE store_secrets (
    name   TEXT NOT NULL PRIMARY KEY,
    secret TEXT NOT NULL
) WITHOUT ROWID;
INSERT INTO store_secrets (name, secret) VALUES ('export_seal', lower(hex(randomblob(32))));
