package ai.continuum.server.embed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.continuum.engine.RecallResult;
import ai.continuum.server.core.LearnReceipt;
import ai.continuum.server.storage.PostgresSchema;
import ai.continuum.server.transfer.ExportReport;
import ai.continuum.server.transfer.InvalidDocumentException;
import ai.continuum.server.transfer.TenantImport;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedding API, through the seed's own migration example and the edges of its builder. */
class ContinuumTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    /** The seed's "From SQLite to PostgreSQL" example, line for line, then the same import again. */
    @Test
    void shouldMoveMemoryFromSqliteToPostgresqlAsTheSeedShows() throws Exception {
        try (PostgresSchema schema = PostgresSchema.create()) {
            final String data;
            try (Continuum sqliteMemory = Continuum.builder()
                    .storageBackend("sqlite")
                    .storagePath(dir.resolve("data.db"))
                    .build()) {
                sqliteMemory.learn("My sister Ingrid Larsen moved to Copenhagen", "Copenhagen is lovely in spring.");
                sqliteMemory.learn(
                        "Ingrid Larsen works at the Carlsberg Laboratory",
                        "I will remember that the Carlsberg Laboratory studies yeast.",
                        "trip-planning",
                        Map.of("channel", "chat"));
                data = sqliteMemory.exportAll();
            }
            assertTrue(Files.isRegularFile(dir.resolve("data.db")), "storagePath ending in .db is the database file");

            try (Continuum pgMemory = Continuum.builder()
                    .storageBackend("postgresql")
                    .connectionString(schema.url())
                    .build()) {
                final List<TenantImport> first = pgMemory.importAll(data);
                assertEquals(1, first.size());
                assertTrue(first.getFirst().applied(), first.toString());
                assertEquals("default", first.getFirst().tenant());

                final RecallResult recalled = pgMemory.recall("Where does Ingrid Larsen live now?");
                assertTrue(
                        recalled.concepts().stream().anyMatch(c -> c.name().equals("Ingrid Larsen")),
                        recalled.toString());
                assertTrue(
                        recalled.memories().stream()
                                .anyMatch(m -> m.memory().userText().contains("moved to Copenhagen")),
                        recalled.toString());
                final JsonNode before = content(pgMemory.exportAll());

                final List<TenantImport> second = pgMemory.importAll(data);
                assertFalse(second.getFirst().applied(), "importing the same document again changes nothing");
                assertEquals(0, second.getFirst().ops());
                assertEquals(before, content(pgMemory.exportAll()));
                assertEquals(
                        recalled.memories().size(),
                        pgMemory.recall("Where does Ingrid Larsen live now?")
                                .memories()
                                .size(),
                        "no duplicates");
            }

            try (Continuum reopened =
                    Continuum.builder().connectionString(schema.url()).build()) {
                final JsonNode memories =
                        content(reopened.exportAll()).get("tenants").get(0).get("memories");
                assertEquals(2, memories.size());
                assertTrue(memories.toString().contains("\"sessionId\":\"trip-planning\""), memories.toString());
                assertTrue(memories.toString().contains("{\\\"channel\\\":\\\"chat\\\"}"), memories.toString());
                assertFalse(
                        reopened.recall("Carlsberg Laboratory").memories().isEmpty(),
                        "a rebuilt engine holds the imported memories");
            }
        }
    }

    @Test
    void shouldStreamExportsAndImportThemFromFilesIntoTheLiveEngine() throws Exception {
        final Path document = dir.resolve("export.json");
        final LearnReceipt learned;
        try (Continuum source = Continuum.builder()
                        .storagePath(dir.resolve("source"))
                        .tenant("orbits")
                        .build();
                OutputStream out = Files.newOutputStream(document)) {
            learned = source.learn("Orbital Mechanics explains Hohmann Transfers", "Hohmann Transfers save fuel.");
            assertTrue(learned.durable());
            final ExportReport report = source.exportAll(out);
            assertEquals(1, report.tenants());
        }
        try (Continuum target = Continuum.builder()
                .storageBackend("SQLite")
                .storagePath(dir.resolve("target"))
                .tenant("orbits")
                .build()) {
            assertTrue(target.recall("Hohmann Transfers").memories().isEmpty());
            assertTrue(target.importAll(document).getFirst().applied());
            final RecallResult recalled = target.recall("Hohmann Transfers", 5, 5);
            assertEquals(
                    learned.memoryId(), recalled.memories().getFirst().memory().id());
        }
    }

    @Test
    void shouldRejectAnInvalidDocumentAndImportNothing() throws Exception {
        try (Continuum memory = Continuum.builder().storagePath(dir).build()) {
            memory.learn("Sourdough Bread needs a Levain", "Feed the Levain daily.");
            final String valid = memory.exportAll();
            final String truncated = valid.substring(0, valid.length() / 2);
            final InvalidDocumentException e =
                    assertThrows(InvalidDocumentException.class, () -> memory.importAll(truncated));
            assertTrue(e.getMessage().contains("invalid export document"), e.getMessage());
            assertThrows(InvalidDocumentException.class, () -> memory.importAll("{\"format\": \"other\"}"));
            assertEquals(content(valid), content(memory.exportAll()), "nothing was imported");
        }
    }

    @Test
    void shouldOptimizeTheDatabaseItHolds() {
        try (Continuum memory = Continuum.builder().storagePath(dir).build()) {
            memory.learn("Sourdough Bread needs a Levain", "Feed the Levain daily.");
            final var report = memory.optimize(true);
            assertEquals("sqlite", report.backend());
            assertTrue(
                    report.steps().stream()
                            .anyMatch(
                                    step -> step.name().toUpperCase(Locale.ROOT).contains("VACUUM")),
                    report.toString());
            assertTrue(report.sizeAfterBytes() > 0, report.toString());
            assertEquals(1, memory.recall("levain").memories().size(), "still serving after optimize");
        }
    }

    @Test
    void shouldExplainContradictoryOrMissingOptions() {
        final IllegalArgumentException backend = assertThrows(
                IllegalArgumentException.class, () -> Continuum.builder().storageBackend("mysql"));
        assertTrue(backend.getMessage().contains("'mysql' is not one of sqlite, postgresql"), backend.getMessage());
        final IllegalStateException noUrl = assertThrows(
                IllegalStateException.class,
                () -> Continuum.builder().storageBackend("postgresql").build());
        assertTrue(noUrl.getMessage().contains("needs connectionString"), noUrl.getMessage());
        final IllegalStateException mixed = assertThrows(
                IllegalStateException.class,
                () -> Continuum.builder()
                        .storageBackend("sqlite")
                        .connectionString("postgresql://h/db")
                        .build());
        assertTrue(mixed.getMessage().contains("connectionString is for the postgresql backend"), mixed.getMessage());
        assertThrows(
                IllegalStateException.class,
                () -> Continuum.builder()
                        .storagePath(dir)
                        .connectionString("postgresql://h/db")
                        .build());
        assertThrows(IllegalArgumentException.class, () -> Continuum.builder().tenant("../etc"));
        final IllegalStateException unreachable = assertThrows(
                IllegalStateException.class,
                () -> Continuum.builder()
                        .connectionString("postgresql://continuum:hunter2@127.0.0.1:1/continuum")
                        .build());
        assertTrue(
                unreachable
                        .getMessage()
                        .startsWith("cannot open the PostgreSQL storage at "
                                + "postgresql://continuum:***@127.0.0.1:1/continuum"),
                unreachable.getMessage());
        assertFalse(unreachable.getMessage().contains("hunter2"), unreachable.getMessage());
    }

    /** The document without its export time, continuity heads and seals: the content two stores can share. */
    private static JsonNode content(final String document) throws Exception {
        final ObjectNode node = (ObjectNode) JSON.readTree(document);
        node.remove("exported_at");
        node.get("tenants").forEach(t -> {
            ((ObjectNode) t).remove("continuity");
            ((ObjectNode) t.get("summary")).remove("seal"); // each store seals with its own key
        });
        return node;
    }
}
