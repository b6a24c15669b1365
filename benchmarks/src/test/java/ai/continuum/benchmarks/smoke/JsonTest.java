package ai.continuum.benchmarks.smoke;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {
    @Test
    void shouldReadNestedValuesWhenInputIsValid() {
        final Object parsed = Json.parse(" {\"a\": [1, -2.5e3, true, false, null], \"b\": {\"c\": \"x\\\"\\u00e9\"}} ");
        final Map<?, ?> root = (Map<?, ?>) parsed;
        final List<?> a = (List<?>) root.get("a");
        assertEquals(1.0, a.get(0));
        assertEquals(-2500.0, a.get(1));
        assertEquals(true, a.get(2));
        assertNull(a.get(4));
        assertEquals("x\"é", ((Map<?, ?>) root.get("b")).get("c"));
    }

    @Test
    void shouldRoundTripQuotedStrings() {
        final String tricky = "a\"b\\c\nd\u0001";
        assertEquals(tricky, Json.parse(Json.quote(tricky)));
    }

    @Test
    void shouldRejectMalformedInput() {
        assertThrows(IllegalArgumentException.class, () -> Json.parse("{\"a\": 1"));
        assertThrows(IllegalArgumentException.class, () -> Json.parse("[1, 2] x"));
        assertThrows(IllegalArgumentException.class, () -> Json.parse("\"open"));
        assertThrows(IllegalArgumentException.class, () -> Json.parse("[@]"));
    }
}
