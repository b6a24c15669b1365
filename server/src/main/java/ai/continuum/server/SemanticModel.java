package ai.continuum.server;

import ai.continuum.engine.semantic.TextEmbedder;
import ai.continuum.server.config.ConfigException;
import java.util.ServiceLoader;

/**
 * Finds the sentence-embedding model of the semantic index (recall.semantic.enabled) on the class path: the
 * continuum-semantic module registers one {@link TextEmbedder} with {@link ServiceLoader}. The server names no model
 * class, so it builds and runs without that module.
 */
public final class SemanticModel {
    private SemanticModel() {}

    /** Loads the model (about a second), or fails the start with what to do. */
    public static TextEmbedder load() {
        return ServiceLoader.load(TextEmbedder.class)
                .findFirst()
                .orElseThrow(() -> new ConfigException("recall.semantic.enabled=true (CONTINUUM_SEMANTIC_INDEX) needs "
                        + "the continuum-semantic module's jar on the class path; it is not there"));
    }
}
