-- The change log as a table with row ids. As a WITHOUT ROWID table (V1) its rows lived in an index B-tree, where a
-- row keeps at most about 1,000 bytes of a 4 KiB page in place: a learn's row (a payload of 1-2 KB and three 64-char
-- hashes) went to a leaf page and a 4 KiB overflow page of its own, mostly empty. Every durable learn then wrote that
-- page (to the log at commit, to the file at checkpoint), and the log took about twice its data on disk. In a rowid
-- table a row of up to about 4,000 bytes stays in its leaf page, two learns' rows to a page; the primary key becomes a
-- unique index of (tenant_id, seq), and rows are copied in key order, so a tenant's tail is still read in order
-- (benchmarks/RESULTS.md, "The change log's rows in place"). Same columns, constraints and meaning as V1.
CREATE TABLE change_log_v11 (
    tenant_id      TEXT    NOT NULL,
    seq            INTEGER NOT NULL CHECK (seq >= 1),
    kind           TEXT    NOT NULL,
    payload        TEXT    NOT NULL,
    payload_digest TEXT    NOT NULL,
    prev_hash      TEXT    NOT NULL,
    hash           TEXT    NOT NULL,
    committed_at   INTEGER NOT NULL,
    redacted_at    INTEGER,
    PRIMARY KEY (tenant_id, seq)
);
INSERT INTO change_log_v11 (tenant_id, seq, kind, payload, payload_digest, prev_hash, hash, committed_at, redacted_at)
SELECT tenant_id, seq, kind, payload, payload_digest, prev_hash, hash, committed_at, redacted_at
FROM change_log
ORDER BY tenant_id, seq;
DROP TABLE change_log;
ALTER TABLE change_log_v11 RENAME TO change_log;
