package ai.continuum.semantic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.continuum.engine.semantic.TextEmbedder;
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
    void theServerFindsTheModelThroughServiceLoader() {
        final TextEmbedder found =
                ServiceLoader.load(TextEmbedder.class).findFirst().orElseThrow();
        try (found) {
            assertEquals(MiniLmEmbedder.NAME, found.name());
            assertEquals(384, found.embed("hello").length);
        }
    }
}
