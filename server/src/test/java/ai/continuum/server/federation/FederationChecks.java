package ai.continuum.server.federation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/** What the federation tests check of a recall answer and of the coordinator's files, in one JVM or across many. */
public final class FederationChecks {
    private FederationChecks() {}

    /** The route of one concept, the name URL-encoded ({@code DELETE} forgets it). */
    public static String conceptPath(final String name) {
        return "/v1/concepts/" + URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** Whether {@code recall} lists the pair (either order) among its federated items, each marked federated. */
    public static boolean hasFederatedPair(final JsonNode recall, final String a, final String b) {
        for (final JsonNode f : recall.path("federated")) {
            final String from = f.path("from").asText().toLowerCase(Locale.ROOT);
            final String to = f.path("to").asText().toLowerCase(Locale.ROOT);
            final String x = a.toLowerCase(Locale.ROOT);
            final String y = b.toLowerCase(Locale.ROOT);
            if ((from.equals(x) && to.equals(y)) || (from.equals(y) && to.equals(x))) {
                assertEquals("federated", f.path("source").asText());
                return true;
            }
        }
        return false;
    }

    /** Every learned name, in every spelling the engine keeps, is absent from every file of the directory. */
    public static void assertNoNameIn(final Path directory, final List<String> names) throws IOException {
        try (Stream<Path> files = Files.walk(directory)) {
            for (final Path file : files.filter(Files::isRegularFile).toList()) {
                final String content =
                        new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT);
                for (final String name : names) {
                    for (final String word : name.toLowerCase(Locale.ROOT).split(" ", -1)) {
                        assertFalse(content.contains(word), file + " contains '" + word + "'");
                    }
                }
            }
        }
    }
}
