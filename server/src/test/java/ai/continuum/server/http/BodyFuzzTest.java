package ai.continuum.server.http;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.continuum.server.StoredFuzzInputs;
import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Coverage-guided fuzzing of the request body parser and every typed field accessor the handlers use: each may refuse
 * with a 4xx {@link ApiException} naming the field, nothing else. Any other exception is a finding (it would be a 500).
 *
 * <p>Without {@code JAZZER_FUZZ} the stored inputs under {@code BodyFuzzTestInputs/} are replayed as a regression test
 * (by {@link #replaysStoredInput} in the inner loop, by Jazzer in {@code verify}); with it, Jazzer mutates them for the
 * time {@code jazzer.max_duration} allows.
 */
class BodyFuzzTest {
    // Dictionary entries are in libFuzzer's syntax: a backslash escapes a backslash or a quote, \xNN is a byte.

    @FuzzTest
    @Tag("jazzer")
    @DictionaryEntries({
        "{",
        "}",
        "[",
        "]",
        ":",
        ",",
        "\"user_message\"",
        "\"ai_response\"",
        "\"thinking\"",
        "\"metadata\"",
        "\"session_id\"",
        "\"async\"",
        "\"max_concepts\"",
        "\"position\"",
        "\"message\"",
        "true",
        "null",
        "\\\\u0000",
        "\\\\ud800",
        "1e999",
        "-0"
    })
    void fields(final byte[] input) {
        final Body body;
        try {
            body = Body.parse(input);
        } catch (final ApiException e) {
            assertClientError(e);
            return;
        }
        field(() -> body.requiredText("user_message"));
        field(() -> body.optionalText("thinking"));
        field(() -> body.optionalObjectJson("metadata"));
        field(() -> body.optionalInt("max_concepts", 10, 1, 100));
        field(() -> body.optionalLong("position", 0, 0, Long.MAX_VALUE));
        field(() -> body.requiredLong("position"));
        field(() -> body.optionalBool("async", false));
    }

    private interface Field {
        Object read();
    }

    private static void field(final Field accessor) {
        try {
            accessor.read();
        } catch (final ApiException e) {
            assertClientError(e);
        }
    }

    private static void assertClientError(final ApiException e) {
        assertTrue(
                e.status() >= 400 && e.status() < 500 && e.getMessage() != null,
                () -> "not a client error: " + e.status() + " " + e.getMessage());
    }

    /** The stored inputs through {@link #fields} without Jazzer's agent: the inner loop's regression run. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("storedInputs")
    void replaysStoredInput(final String name, final byte[] input) {
        fields(input);
    }

    static Stream<Arguments> storedInputs() {
        return StoredFuzzInputs.of(BodyFuzzTest.class, "fields");
    }
}
