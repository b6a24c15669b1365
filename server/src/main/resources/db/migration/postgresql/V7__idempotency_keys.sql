-- Idempotency-Key of each write request, so a retry returns the original answer and applies nothing.
-- The row is inserted in the same transaction as the write it names (exactly once: both commit or neither, and a
-- second instance inserting the same key waits for the first and then finds it);
-- status and response are recorded once the answer is known (NULL if the server stopped in between).
-- request_hash: SHA-256 (hex) of the request's method, path and canonical content; a key reused for another request
-- is refused. created_at: epoch ms; rows older than the window (idempotency.window-hours) are ignored and purged.
CREATE TABLE idempotency_keys (
    tenant_id    TEXT    NOT NULL,
    idem_key     TEXT    NOT NULL,
    request_hash TEXT    NOT NULL,
    memory_id    BIGINT  NOT NULL,
    status       INTEGER,
    response     TEXT,
    created_at   BIGINT  NOT NULL,
    PRIMARY KEY (tenant_id, idem_key)
);
CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at);
