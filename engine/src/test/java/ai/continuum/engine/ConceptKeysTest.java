package ai.continuum.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ConceptKeysTest {
    @Test
    void shouldWriteTheKeyTheStringFormGives() {
        final StringBuilder out = new StringBuilder("left over");
        for (final String name : List.of(
                "Apache Kafka",
                "  Apache\t\tKafka \n",
                "KAFKA_STREAMS",
                "",
                " \t ",
                "a",
                "\u001FKafka\u000BStreams\u001C",
                "Zürich Lake",
                "ΟΔΟΣ", // a final sigma: lower-cased by its context
                "İstanbul", // a dotted capital I: two characters when lower-cased
                "Kafka\u2003Streams", // an em space, whitespace outside ASCII
                "Kafka\u00A0Streams", // a no-break space, which is not whitespace
                "π×φ")) {
            assertEquals(
                    ConceptKeys.normalize(name),
                    ConceptKeys.normalize(name, out).toString(),
                    name);
        }
    }

    @Test
    void shouldWriteTheKeyTheStringFormGivesForRandomAsciiNames() {
        final SplittableRandom random = new SplittableRandom(42);
        final String alphabet = "aZ Kq\t\n_9-.\u000B\u001F\rMm";
        final StringBuilder out = new StringBuilder();
        for (int n = 0; n < 20_000; n++) {
            final StringBuilder name = new StringBuilder();
            for (int i = random.nextInt(12); i > 0; i--) {
                name.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            final String text = name.toString();
            assertEquals(
                    ConceptKeys.normalize(text),
                    ConceptKeys.normalize(text, out).toString(),
                    text);
        }
    }

    @Test
    void shouldReturnTheBuilderItWasGiven() {
        final StringBuilder out = new StringBuilder();
        assertSame(out, ConceptKeys.normalize("Kafka", out));
        assertSame(out, ConceptKeys.normalize("Zürich", out));
    }
}
