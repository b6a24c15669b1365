package ai.continuum.server.embed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.continuum.server.storage.PostgresSchema;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's embedding example is {@link MigrateExample}, shown verbatim, and it does what the README says. */
class ReadmeExampleTest {
    private static final Path README = Path.of("..", "README.md");
    private static final Path EXAMPLE =
            Path.of("src", "test", "java", "ai", "continuum", "server", "embed", "MigrateExample.java");

    @TempDir
    Path dir;

    @Test
    void theReadmeShowsTheExampleAsItIsCompiled() throws Exception {
        final String source = Files.readString(EXAMPLE, StandardCharsets.UTF_8);
        final String shown = source.substring(source.indexOf("import ai.continuum.engine.RecallResult;"));
        final String readme = Files.readString(README, StandardCharsets.UTF_8);
        final int start = readme.indexOf("```java\nimport ai.continuum.engine.RecallResult;");
        assertTrue(start >= 0, "README.md has no java block starting with the example's imports");
        final String block = readme.substring(start + "```java\n".length(), readme.indexOf("```\n", start + 8));
        assertEquals(shown, block, "README.md's embedding example differs from MigrateExample.java");
    }

    @Test
    void theExampleMovesMemoryFromSqliteToPostgresqlAndRecallsIt() throws Exception {
        try (PostgresSchema schema = PostgresSchema.create()) {
            final ByteArrayOutputStream out = new ByteArrayOutputStream();
            final PrintStream original = System.out;
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            try {
                MigrateExample.main(new String[] {dir.resolve("data.db").toString(), schema.libpqUri("pass")});
            } finally {
                System.setOut(original);
            }
            final String printed = out.toString(StandardCharsets.UTF_8);
            assertTrue(printed.contains("[MEMORY CONTEXT]") && printed.contains("Copenhagen"), printed);
        }
    }
}
