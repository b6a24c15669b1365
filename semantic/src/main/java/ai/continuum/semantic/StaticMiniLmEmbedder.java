package ai.continuum.semantic;

import ai.continuum.engine.semantic.TextEmbedder;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Map;

/**
 * The light model of the semantic index: all-MiniLM-L6-v2's own vector for each token of its vocabulary, computed once
 * at build time ({@link TokenVectorTableBuilder}), and a text's vector the sum of its tokens' rows. No neural network
 * runs at embedding time, only the tokenizer and one row addition per token: about 0.15 ms of CPU a learned turn where
 * the model takes about 6 ms, for part of its quality (benchmarks/RESULTS.md, "A light semantic index").
 *
 * <p>The rows are already centred, stripped of the direction every word shares and weighted by how rare their token
 * is (the builder says how), so that "new passport" and "replacement travel document" land near each other while
 * "the", "a" and "of" weigh next to nothing.
 *
 * <p>Thread-safe: the table is read-only and the tokenizer is safe to share.
 */
public final class StaticMiniLmEmbedder implements TextEmbedder {
    public static final String NAME = "all-minilm-l6-v2-static";

    /** The table inside this module's jar, written by the build ({@link TokenVectorTableBuilder}). */
    static final String TABLE = "all-minilm-l6-v2-static.bin";

    private final TokenVectorTable table;
    private final HuggingFaceTokenizer tokenizer;

    public StaticMiniLmEmbedder() {
        // MiniLmEmbedder.resource initialises that class first, which tells the tokenizer's library to stay offline.
        try (InputStream in = MiniLmEmbedder.resource(TABLE);
                InputStream tokenizerJson = MiniLmEmbedder.resource(MiniLmEmbedder.TOKENIZER)) {
            this.table =
                    TokenVectorTable.read(ByteBuffer.wrap(in.readAllBytes()).order(ByteOrder.LITTLE_ENDIAN));
            // No truncation: a sum of rows has no window, so a long memory is embedded whole.
            this.tokenizer =
                    HuggingFaceTokenizer.newInstance(tokenizerJson, Map.of("padding", "false", "truncation", "false"));
        } catch (final IOException e) {
            throw new UncheckedIOException("the packaged token table " + TABLE + " cannot be read", e);
        }
    }

    @Override
    public int dimensions() {
        return table.dimensions();
    }

    /** The sum of the rows of the text's tokens, without [CLS] and [SEP]; all zeros for a text with no token. */
    @Override
    public float[] embed(final String text) {
        final float[] sum = new float[table.dimensions()];
        for (final long id : tokenizer.encode(text, false, false).getIds()) {
            table.addRow((int) id, sum);
        }
        return sum;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void close() {
        tokenizer.close();
    }

    /** Registered with {@link java.util.ServiceLoader}; loads the table only when opened. */
    public static final class Provider extends ModelProvider {
        public Provider() {
            super(NAME, StaticMiniLmEmbedder::new);
        }
    }
}
