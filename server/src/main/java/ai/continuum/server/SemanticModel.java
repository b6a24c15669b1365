package ai.continuum.server;

import ai.continuum.engine.semantic.SemanticIndex;
import ai.continuum.engine.semantic.TextEmbedder;
import ai.continuum.server.config.ConfigException;
import java.util.ServiceLoader;
import java.util.logging.Logger;

/**
 * Finds the sentence-embedding model of the semantic index (recall.semantic.enabled) on the class path: the
 * continuum-semantic module registers one {@link TextEmbedder} with {@link ServiceLoader}. The server names no model
 * class, so it builds and runs without that module.
 */
public final class SemanticModel {
    private SemanticModel() {}

    private static final Logger LOG = Logger.getLogger(SemanticModel.class.getName());

    /**
     * Loads the model (about a second), or fails the start with what to do. Says once, at INFO, when the vector scans
     * will run without the Vector API: the launcher and the image add its module only when the index is switched on
     * through CONTINUUM_SEMANTIC_INDEX, because the module costs every start about a second of its AOT cache's gain.
     */
    public static TextEmbedder load() {
        if (!SemanticIndex.vectorised()) {
            LOG.info("semantic index: the JVM was started without --add-modules=jdk.incubator.vector, so vector scans "
                    + "use the plain loop (same results, several times slower); the launcher adds the module when "
                    + "CONTINUUM_SEMANTIC_INDEX=true is set in the environment");
        }
        return ServiceLoader.load(TextEmbedder.class)
                .findFirst()
                .orElseThrow(() -> new ConfigException("recall.semantic.enabled=true (CONTINUUM_SEMANTIC_INDEX) needs "
                        + "the continuum-semantic module's jar on the class path; it is not there"));
    }
}
