package ai.continuum.server.embed;

// README.md shows this file from its first import to the end; ReadmeExampleTest runs it and compares it with the
// README, so the README's example always compiles and works as written.
import ai.continuum.engine.RecallResult;
import java.nio.file.Path;

/** Usage: MigrateExample SQLITE_FILE POSTGRESQL_URL (e.g. ./data.db postgresql://user:pass@host/db). */
public class MigrateExample {
    public static void main(String[] args) {
        String data;
        try (Continuum sqliteMemory = Continuum.builder()
                .storageBackend("sqlite")
                .storagePath(Path.of(args[0]))
                .build()) {
            sqliteMemory.learn("My sister Ingrid Larsen moved to Copenhagen", "Copenhagen is lovely in spring.");
            data = sqliteMemory.exportAll(); // the export document, every tenant, memories included
        }
        try (Continuum pgMemory = Continuum.builder()
                .storageBackend("postgresql")
                .connectionString(args[1])
                .build()) {
            pgMemory.importAll(data); // merge; importing the same document again changes nothing
            RecallResult r = pgMemory.recall("Where does Ingrid Larsen live now?");
            System.out.println(r.context());
        }
    }
}
