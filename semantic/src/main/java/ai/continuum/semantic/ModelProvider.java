package ai.continuum.semantic;

import ai.continuum.engine.semantic.TextEmbedder;
import java.util.function.Supplier;

/** A model of this module as {@link java.util.ServiceLoader} registers it: its name, and how it loads when opened. */
abstract class ModelProvider implements TextEmbedder.Provider {
    private final String name;
    private final Supplier<TextEmbedder> loader;

    ModelProvider(final String name, final Supplier<TextEmbedder> loader) {
        this.name = name;
        this.loader = loader;
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final TextEmbedder open() {
        return loader.get();
    }
}
