package ai.continuum.engine.store;

import static ai.continuum.engine.store.LayoutCheck.field;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LayoutCheckTest {
    @Test
    void shouldAcceptEveryLayoutOfTheStore() {
        // Touching a constant runs the class's check; a bad layout would throw ExceptionInInitializerError here.
        assertDoesNotThrow(() -> ConceptLayout.RECORD_BYTES
                + LinkLayout.RECORD_BYTES
                + AdjacencyLayout.ENTRY_BYTES
                + MemoryTable.RECORD_BYTES
                + CompoundTable.RECORD_BYTES
                + InternTable.RECORD_BYTES
                + WordIndex.MIN_WORD_CHARS);
    }

    @Test
    void shouldRejectOverlappingFields() {
        final IllegalStateException e = assertThrows(
                IllegalStateException.class, () -> LayoutCheck.check("r", 16, 8, field("a", 0, 8), field("b", 4, 4)));
        assertTrue(e.getMessage().contains("r.b at 4 overlaps a"), e.getMessage());
    }

    @Test
    void shouldRejectMisalignedFields() {
        final IllegalStateException e = assertThrows(
                IllegalStateException.class, () -> LayoutCheck.check("r", 16, 8, field("a", 0, 4), field("b", 4, 8)));
        assertTrue(e.getMessage().contains("not aligned"), e.getMessage());
    }

    @Test
    void shouldRejectFieldsPastTheRecordAndBadRecordSizes() {
        assertThrows(IllegalStateException.class, () -> LayoutCheck.check("r", 16, 8, field("a", 16, 4)));
        assertThrows(IllegalStateException.class, () -> LayoutCheck.check("r", 20, 8, field("a", 0, 4)));
        assertThrows(IllegalStateException.class, () -> LayoutCheck.check("r", 16, 8, field("a", 0, 3)));
    }
}
