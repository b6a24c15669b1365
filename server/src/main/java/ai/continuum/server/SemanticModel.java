package ai.continuum.server;

import ai.continuum.engine.semantic.SemanticIndex;
import ai.continuum.engine.semantic.TextEmbedder;
import ai.continuum.server.config.ConfigException;
import java.util.List;
import java.util.ServiceLoader;
import java.util.logging.Logger;

/**
 * Finds the sentence-embedding model of the semantic index (recall.semantic.enabled, recall.semantic.model) on the
 * class path: the continuum-semantic module registers a {@link TextEmbedder.Provider} per model with
 * {@link ServiceLoader}. The server names no model class, so it builds and runs without that module.
 */
public final class SemanticModel {
    private SemanticModel() {}

    private static final Logger LOG = Logger.getLogger(SemanticModel.class.getName());

    /**
     * Loads the model named {@code name} (the sentence model in about a second, its light form in a fraction of one),
     * or fails the start with what to do. Says once, at INFO, when the vector scans
     * will run without the Vector API: the launcher and the image add its module only when the index is switched on
     * through CONTINUUM_SEMANTIC_INDEX, because the module costs every start about a second of its AOT cache's gain.
     */
    public static TextEmbedder load(final String name) {
        if (!SemanticIndex.vectorised()) {
            LOG.info("semantic index: the JVM was started without --add-modules=jdk.incubator.vector, so vector scans "
                    + "use the plain loop (same results, several times slower); the launcher adds the module when "
                    + "CONTINUUM_SEMANTIC_INDEX=true is set in the environment");
        }
        final List<TextEmbedder.Provider> models = ServiceLoader.load(TextEmbedder.Provider.class).stream()
                .map(ServiceLoader.Provider::get)
                .toList();
        if (models.isEmpty()) {
            throw new ConfigException("recall.semantic.enabled=true (CONTINUUM_SEMANTIC_INDEX) needs the "
                    + "continuum-semantic module's jar on the class path; it is not there");
        }
        return models.stream()
                .filter(model -> model.name().equals(name))
                .findFirst()
                .orElseThrow(() -> new ConfigException("recall.semantic.model (CONTINUUM_SEMANTIC_MODEL) \"" + name
                        + "\" is not among the models on the class path: "
                        + String.join(
                                ", ",
                                models.stream().map(TextEmbedder.Provider::name).toList())))
                .open();
    }
}
