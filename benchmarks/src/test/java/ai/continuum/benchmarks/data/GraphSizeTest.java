package ai.continuum.benchmarks.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class GraphSizeTest {
    @Test
    void shouldParseTheReferenceSizesWhenWrittenAsInTheDesign() {
        assertEquals(GraphSize.SMALL, GraphSize.parse("100k/500k"));
        assertEquals(GraphSize.REFERENCE, GraphSize.parse("1M/5M"));
        assertEquals(new GraphSize(2000, 9000), GraphSize.parse("2000/9000"));
        assertEquals("1M/5M", GraphSize.REFERENCE.label());
        assertEquals("100k/500k", GraphSize.SMALL.label());
    }

    @Test
    void shouldRejectSizesThatCannotFormAConnectedSimpleGraph() {
        assertThrows(IllegalArgumentException.class, () -> GraphSize.parse("100k"));
        assertThrows(IllegalArgumentException.class, () -> GraphSize.parse("100/50"));
        assertThrows(IllegalArgumentException.class, () -> GraphSize.parse("10/46"));
        assertThrows(IllegalArgumentException.class, () -> GraphSize.parse("x/5"));
    }
}
