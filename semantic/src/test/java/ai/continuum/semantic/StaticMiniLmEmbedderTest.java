package ai.continuum.semantic;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

class StaticMiniLmEmbedderTest {
    private static final StaticMiniLmEmbedder MODEL = new StaticMiniLmEmbedder();

    @AfterAll
    static void close() {
        MODEL.close();
    }

    @Test
    void shouldPlaceARewordingNearerThanAnUnrelatedTurn() {
        final float[] question = MODEL.embed("Why did Nadia have to apply for a replacement travel document?");
        final float[] cause = MODEL.embed("I lost my passport on the train, so I need a new one before Friday.");
        final float[] unrelated = MODEL.embed("The tomatoes in the back garden need more water this week.");
        assertTrue(
                cosine(question, cause) > cosine(question, unrelated) + 0.1,
                cosine(question, cause) + " against " + cosine(question, unrelated));
    }

    @Test
    void shouldLetRareWordsLeadAndFunctionWordsWeighLittle() {
        final float[] the = MODEL.embed("the");
        final float[] passport = MODEL.embed("passport");
        assertTrue(norm(passport) > 20 * norm(the), norm(passport) + " against " + norm(the));
    }

    @Test
    void shouldEmbedATextLongerThanTheSentenceModelsWindowWhole() {
        final String long_ = "word ".repeat(300);
        assertNotEquals(Arrays.toString(MODEL.embed(long_)), Arrays.toString(MODEL.embed(long_ + "volcano")));
    }

    @Test
    void shouldGiveNoDirectionToATextWithoutTokens() {
        assertArrayEquals(new float[384], MODEL.embed(""));
        assertArrayEquals(new float[384], MODEL.embed(" \n\t "));
    }

    @Test
    void shouldReadBackTheTableItWrites() {
        final float[][] rows = {{1f, -0.5f, 0.25f}, {0f, 0f, 0f}, {-3f, 3f, 1.5f}};
        final TokenVectorTable table = TokenVectorTable.quantise(rows);
        final ByteBuffer bytes = ByteBuffer.allocate(table.byteSize()).order(ByteOrder.LITTLE_ENDIAN);
        table.write(bytes);
        final TokenVectorTable read = TokenVectorTable.read(bytes.flip());
        assertEquals(3, read.tokens());
        for (int id = 0; id < rows.length; id++) {
            final float[] sum = new float[3];
            read.addRow(id, sum);
            for (int d = 0; d < 3; d++) {
                assertEquals(rows[id][d], sum[d], Math.abs(rows[id][d]) / 100 + 1e-6, "row " + id + " dimension " + d);
            }
        }
        final float[] outside = new float[3];
        read.addRow(3, outside);
        assertArrayEquals(new float[3], outside);
    }

    @Test
    void shouldRefuseBytesThatAreNotATable() {
        assertThrows(IllegalStateException.class, () -> TokenVectorTable.read(ByteBuffer.allocate(40)));
        final TokenVectorTable table = TokenVectorTable.quantise(new float[][] {{1f, 2f}});
        final ByteBuffer cut = ByteBuffer.allocate(table.byteSize()).order(ByteOrder.LITTLE_ENDIAN);
        table.write(cut);
        assertThrows(
                IllegalStateException.class,
                () -> TokenVectorTable.read(cut.flip().limit(cut.limit() - 1)));
    }

    private static double cosine(final float[] a, final float[] b) {
        double dot = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * b[i];
        }
        return dot / (norm(a) * norm(b));
    }

    private static double norm(final float[] v) {
        double sum = 0;
        for (final float x : v) {
            sum += x * x;
        }
        return Math.sqrt(sum);
    }
}
