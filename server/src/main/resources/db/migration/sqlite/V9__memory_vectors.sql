-- Sentence vectors of the semantic index (recall.semantic.enabled), so a restart takes them instead of running the
-- model on every memory again. One row per memory and model: model is the embedder's name (a vector of another model
-- is never used); vector holds one signed byte per dimension and scale the value of one step (dimension d is
-- vector[d] * scale of a unit vector). Derived data: a missing row only means that memory is embedded again. Written
-- by the storage writer after the embedding, deleted with the memory (forget, replace-import); export leaves it out.
CREATE TABLE memory_vectors (
    tenant_id TEXT    NOT NULL,
    memory_id INTEGER NOT NULL,
    model     TEXT    NOT NULL,
    scale     REAL    NOT NULL CHECK (scale > 0),
    vector    BLOB    NOT NULL,
    PRIMARY KEY (tenant_id, memory_id, model)
) WITHOUT ROWID;
