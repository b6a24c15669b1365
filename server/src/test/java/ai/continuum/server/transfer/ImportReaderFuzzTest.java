package ai.continuum.server.transfer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.continuum.engine.Delta;
import ai.continuum.engine.SizeLimitExceededException;
import ai.continuum.server.StoredFuzzInputs;
import ai.continuum.server.storage.ImportJob;
import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Coverage-guided fuzzing of the import reader, plain and gzip: a document is either refused whole with an
 * {@link InvalidDocumentException} or a {@link SizeLimitExceededException} (the import's 4xx), or it validates and
 * then replays every tenant section it announced without error. Anything else is a finding.
 *
 * <p>Without {@code JAZZER_FUZZ} the stored inputs under {@code ImportReaderFuzzTestInputs/} (valid documents and
 * near misses) are replayed as a regression test (by {@link #replaysStoredInput} in the inner loop, by Jazzer in {@code
 * verify}); with it, Jazzer mutates them for the time
 * {@code jazzer.max_duration} allows.
 */
class ImportReaderFuzzTest {
    private static Path file;

    @BeforeAll
    static void createFile() throws IOException {
        file = Files.createTempFile("import-fuzz-", ".json");
    }

    @AfterAll
    static void deleteFile() throws IOException {
        Files.deleteIfExists(file);
    }

    @FuzzTest
    @Tag("jazzer")
    @DictionaryEntries({
        "\"format\"",
        "\"continuum-export\"",
        "\"version\"",
        "\"tenants\"",
        "\"tenant\"",
        "\"head\"",
        "\"summary\"",
        "\"concepts\"",
        "\"links\"",
        "\"compounds\"",
        "\"memories\"",
        "\"decisions\"",
        "\"forgotten_memories\"",
        "\"digest\"",
        "\"items\"",
        "\"includes_memories\"",
        "\\x1F\\x8B\\x08\\x00"
    })
    void document(final byte[] input) throws Exception {
        Files.write(file, input);
        final DocumentScan scan;
        try {
            scan = ExportDocumentReader.scan(file, TransferProgress.NONE);
        } catch (final InvalidDocumentException | SizeLimitExceededException refused) {
            return;
        }
        for (int i = 0; i < scan.tenants().size(); i++) {
            final long[] items = {0};
            ExportDocumentReader.replay(file, i, scan.tenants().get(i).digest(), new ImportJob.Visitor() {
                @Override
                public void delta(final Delta delta) {
                    items[0] += delta.concepts().size()
                            + delta.links().size()
                            + delta.compounds().size()
                            + delta.memories().size()
                            + delta.decisions().size();
                }

                @Override
                public void forgottenMemory(final long memoryId) {
                    items[0]++;
                }
            });
            assertEquals(scan.tenants().get(i).items(), items[0], "replay hands over what the scan counted");
        }
    }

    /** The stored inputs through {@link #document} without Jazzer's agent: the inner loop's regression run. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("storedInputs")
    void replaysStoredInput(final String name, final byte[] input) throws Exception {
        document(input);
    }

    static Stream<Arguments> storedInputs() {
        return StoredFuzzInputs.of(ImportReaderFuzzTest.class, "document");
    }
}
