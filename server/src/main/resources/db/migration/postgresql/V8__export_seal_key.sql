-- Secrets of this store; see db/migration/sqlite/V8 for their meaning. 'export_seal' is two random UUIDs without their
-- dashes: 64 hex digits holding 244 random bits from the server's strong generator (gen_random_uuid, core since 13).
CREATE TABLE store_secrets (
    name   TEXT COLLATE "C" NOT NULL PRIMARY KEY,
    secret TEXT NOT NULL
);
INSERT INTO store_secrets (name, secret)
VALUES ('export_seal', replace(gen_random_uuid()::text || gen_random_uuid()::text, '-', ''));
