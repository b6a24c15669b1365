package ai.continuum.semantic;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * Writes {@link StaticMiniLmEmbedder}'s table at build time (the semantic module's {@code process-classes} phase):
 * every token of all-MiniLM-L6-v2's vocabulary run through the model alone, as "[CLS] token [SEP]", and pooled as a
 * sentence is. Then, over the rows of whole words:
 *
 * <ol>
 *   <li>their mean is taken from every row, and then their strongest remaining direction (the first principal
 *       component): both are what all words share, and left in they make every pair of texts look alike;
 *   <li>each row is weighted by how rare its token is, {@code a / (a + p)}, with {@code p} the token's share of text
 *       under Zipf's law by its place in the vocabulary, which BERT's tokenizer orders by frequency from its first
 *       word on ("the" is 1996), and {@code a} = 10^-3, so that a text's vector is led by its rare words;
 *   <li>each row is quantised to bytes ({@link TokenVectorTable}).
 * </ol>
 *
 * Chosen on the development sets among the plain mean, four weights and zero to three directions taken out
 * (benchmarks/RESULTS.md, "A light semantic index"). Deterministic: every row comes from its own single-threaded model
 * run and the steps after it are sequential, so a build gives the same bytes each time.
 *
 * <p>Usage: {@code TokenVectorTableBuilder OUTPUT_FILE}. A file already holding a table of this format is kept: the
 * model is a fixed dependency, so only a change of recipe (with a new {@link TokenVectorTable#MAGIC}) or a clean build
 * writes it again. About 15 s on two cores (the rows are computed in parallel).
 */
public final class TokenVectorTableBuilder {
    /** all-MiniLM-L6-v2's vocabulary, BERT's uncased WordPiece: ids 0 to 30,521. */
    private static final int VOCABULARY = 30_522;

    /** The first whole word in the vocabulary; before it come [PAD], [UNK], [CLS], [SEP], unused ids and characters. */
    private static final int FIRST_WORD = 1996;

    private static final int CLS = 101;
    private static final int SEP = 102;
    private static final double SMOOTHING = 1e-3;
    private static final int POWER_ITERATIONS = 30;

    private TokenVectorTableBuilder() {}

    public static void main(final String[] args) throws IOException {
        if (args.length != 1) {
            throw new IllegalArgumentException("usage: TokenVectorTableBuilder OUTPUT_FILE");
        }
        final Path out = Path.of(args[0]);
        if (Files.isRegularFile(out) && isTable(out)) {
            return;
        }
        final long start = System.nanoTime();
        final float[][] rows;
        try (MiniLmEmbedder model = new MiniLmEmbedder()) {
            rows = modelRows(model);
        }
        centre(rows);
        dropStrongestDirection(rows);
        weightByRarity(rows);
        final TokenVectorTable table = TokenVectorTable.quantise(rows);
        final ByteBuffer bytes = ByteBuffer.allocate(table.byteSize()).order(ByteOrder.LITTLE_ENDIAN);
        table.write(bytes);
        Files.createDirectories(out.toAbsolutePath().getParent());
        final Path partial = out.resolveSibling(out.getFileName() + ".partial");
        Files.write(partial, bytes.array());
        Files.move(partial, out, StandardCopyOption.REPLACE_EXISTING);
        System.out.printf(
                "TokenVectorTableBuilder: %d token vectors written to %s in %.1f s%n",
                VOCABULARY, out, (System.nanoTime() - start) / 1e9);
    }

    private static boolean isTable(final Path file) throws IOException {
        try {
            return TokenVectorTable.read(
                                    ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN))
                            .tokens()
                    == VOCABULARY;
        } catch (final IllegalStateException e) {
            return false; // another format or a cut file: written again
        }
    }

    private static float[][] modelRows(final MiniLmEmbedder model) {
        final float[][] rows = new float[VOCABULARY][];
        IntStream.range(0, VOCABULARY)
                .parallel()
                .forEach(id -> rows[id] = model.embedIds(new long[] {CLS, id, SEP}, new long[] {1, 1, 1}, new long[3]));
        return rows;
    }

    /** Takes the mean of the word rows from every row. */
    private static void centre(final float[][] rows) {
        final int dimensions = rows[0].length;
        final double[] mean = new double[dimensions];
        for (int id = FIRST_WORD; id < rows.length; id++) {
            for (int d = 0; d < dimensions; d++) {
                mean[d] += rows[id][d];
            }
        }
        for (final float[] row : rows) {
            for (int d = 0; d < dimensions; d++) {
                row[d] -= (float) (mean[d] / (rows.length - FIRST_WORD));
            }
        }
    }

    /** Projects the word rows' first principal component (power iteration on their Gram matrix) out of every row. */
    private static void dropStrongestDirection(final float[][] rows) {
        final int dimensions = rows[0].length;
        final double[] direction = new double[dimensions];
        Arrays.fill(direction, 1 / Math.sqrt(dimensions));
        for (int iteration = 0; iteration < POWER_ITERATIONS; iteration++) {
            final double[] next = new double[dimensions];
            for (int id = FIRST_WORD; id < rows.length; id++) {
                final double along = dot(rows[id], direction);
                for (int d = 0; d < dimensions; d++) {
                    next[d] += along * rows[id][d];
                }
            }
            final double norm = Math.sqrt(Arrays.stream(next).map(x -> x * x).sum());
            for (int d = 0; d < dimensions; d++) {
                direction[d] = next[d] / norm;
            }
        }
        for (final float[] row : rows) {
            final double along = dot(row, direction);
            for (int d = 0; d < dimensions; d++) {
                row[d] -= (float) (along * direction[d]);
            }
        }
    }

    /** Scales each row by {@code a / (a + p)}, p its token's Zipf share; every id before the first word ranks first. */
    private static void weightByRarity(final float[][] rows) {
        final double harmonic = Math.log(rows.length - FIRST_WORD) + 0.5772; // sum of 1/rank over the words
        for (int id = 0; id < rows.length; id++) {
            final int rank = Math.max(1, id - FIRST_WORD + 1);
            final double share = 1.0 / (rank * harmonic);
            final float weight = (float) (SMOOTHING / (SMOOTHING + share));
            for (int d = 0; d < rows[id].length; d++) {
                rows[id][d] *= weight;
            }
        }
    }

    private static double dot(final float[] row, final double[] direction) {
        double sum = 0;
        for (int d = 0; d < row.length; d++) {
            sum += row[d] * direction[d];
        }
        return sum;
    }
}
