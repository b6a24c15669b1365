package ai.continuum.engine.semantic;

/**
 * A sentence-embedding model that runs in this process: text in, a vector out. The engine stores and compares the
 * vectors ({@link SemanticIndex}); it never loads a model itself, so it depends on no model runtime. An implementation
 * must be safe to call from several threads at once (learn's embedding thread and every recalling thread).
 */
public interface TextEmbedder extends AutoCloseable {

    /** Length of every vector {@link #embed} returns, constant for the life of the embedder. */
    int dimensions();

    /** The vector of {@code text}, {@link #dimensions()} long; its length need not be 1 (the index normalises it). */
    float[] embed(String text);

    /** Model name, for statistics and logs. */
    String name();

    /** Releases the model's native resources. Further calls to {@link #embed} fail. */
    @Override
    default void close() {}

    /**
     * One model a module offers, registered with {@link java.util.ServiceLoader}: constructing it is free, so a
     * process looks every model up by {@link #name} and loads only the one it was configured with ({@link #open}).
     */
    interface Provider {
        /** The model's name, equal to the {@link TextEmbedder#name} of what {@link #open} returns. */
        String name();

        /** Loads the model; the caller closes it. */
        TextEmbedder open();
    }
}
