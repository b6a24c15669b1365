package ai.continuum.semantic;

import ai.continuum.engine.semantic.TextEmbedder;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;

/**
 * all-MiniLM-L6-v2, quantised, as the engine's {@link TextEmbedder}: 384 dimensions, mean pooling, run on ONNX
 * Runtime inside this JVM from weights packaged in the model's jar. Thread-safe (ONNX Runtime sessions are). Loading
 * takes about a second; an embedding a few milliseconds per sentence on one core.
 */
public final class MiniLmEmbedder implements TextEmbedder {
    public static final String NAME = "all-minilm-l6-v2-q";
    private static final int DIMENSIONS = 384;

    static {
        // The tokenizer's library (DJL) is told to stay offline: its natives come from the jar, nothing is fetched.
        if (System.getProperty("offline") == null) {
            System.setProperty("offline", "true");
        }
    }

    private final AllMiniLmL6V2QuantizedEmbeddingModel model = new AllMiniLmL6V2QuantizedEmbeddingModel();

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
}
