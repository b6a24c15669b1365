package ai.continuum.semantic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.continuum.engine.semantic.TextEmbedder;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import java.util.List;
import java.util.ServiceLoader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** The packaged model loads from the jar (no download), is found by ServiceLoader, and puts paraphrases near. */
class MiniLmEmbedderTest {
    private static final MiniLmEmbedder MODEL = new MiniLmEmbedder();

    @AfterAll
    static void close() {
        MODEL.close();
    }

    private static double cosine(final String a, final String b) {
        final float[] x = MODEL.embed(a);
        final float[] y = MODEL.embed(b);
        assertEquals(MODEL.dimensions(), x.length);
        double dot = 0;
        double nx = 0;
        double ny = 0;
        for (int i = 0; i < x.length; i++) {
            dot += x[i] * y[i];
            nx += x[i] * x[i];
            ny += y[i] * y[i];
        }
        return dot / Math.sqrt(nx * ny);
    }

    @Test
    void aParaphraseSharingNoWordIsNearerThanAnUnrelatedSentence() {
        final String question = "How old is the granny of Ben now?";
        final double paraphrase = cosine(question, "My grandmother turned one hundred yesterday.");
        final double unrelated = cosine(question, "Our flat got flooded when the pipe under the sink burst.");
        assertTrue(paraphrase > unrelated + 0.1, "paraphrase " + paraphrase + " vs unrelated " + unrelated);
        assertTrue(cosine("I passed my driving test", "I passed my driving test") > 0.99);
    }

    @Test
    void theCallerThreadSessionGivesLangchainsOwnModelsVectors() {
        // MiniLmEmbedder builds its own ONNX Runtime session (one thread, the caller's); the vectors must stay those of
        // the packaged model, since stored vectors are taken by model name (StoredVectors).
        final AllMiniLmL6V2QuantizedEmbeddingModel reference = new AllMiniLmL6V2QuantizedEmbeddingModel();
        // MiniLmEmbedder encodes a text once and pools the session's output itself; langchain4j tokenises three times
        // and rebuilds the text from its tokens: the texts below test that the two agree beyond plain English
        // (accents, CJK, emoji, control characters, punctuation, special tokens typed in, a text past the
        // tokenizer's 128 tokens).
        for (final String text : new String[] {
            "hello",
            "How old is the granny of Ben now?",
            "I passed my driving test",
            "What did we say when We moved Ladazal Nokidit next to Maperos Dopogek last week?",
            "naïve café résumé, Zürich straße ﬁnance",
            "日本語のテキストです and Ελληνικά Русский עברית العربية",
            "emoji 😀🎉 here, $100,000.50 — “quotes” ‘single’ … ellipsis",
            "a ##b ## c don't won't I'm [UNK] [CLS] [SEP] [MASK]",
            "tab\tand\r\nnewline\u0000 e\u0301 \u200bzero\u200dwidth",
            "x",
            "word ".repeat(700)
        }) {
            final float[] ours = MODEL.embed(text);
            final float[] theirs = reference.embed(text).content().vector();
            assertEquals(theirs.length, ours.length);
            for (int d = 0; d < ours.length; d++) {
                assertEquals(theirs[d], ours[d], 1e-4, text + ", dimension " + d);
            }
        }
    }

    @Test
    void theServerFindsEachModelThroughServiceLoaderByName() {
        final List<TextEmbedder.Provider> providers = ServiceLoader.load(TextEmbedder.Provider.class).stream()
                .map(ServiceLoader.Provider::get)
                .toList();
        assertEquals(
                List.of(MiniLmEmbedder.NAME, StaticMiniLmEmbedder.NAME),
                providers.stream().map(TextEmbedder.Provider::name).toList());
        for (final TextEmbedder.Provider provider : providers) {
            try (TextEmbedder found = provider.open()) {
                assertEquals(provider.name(), found.name());
                assertEquals(384, found.embed("hello").length);
            }
        }
    }
}
