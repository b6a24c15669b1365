package ai.continuum.concurrency;

import ai.continuum.engine.store.IndexHashTable;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * The writer's put pushes the table past its load limit, so it rehashes into a new table and publishes that. A
 * reader looking up an entry present all along must find it in whichever table it sees: the new table is published
 * only once filled. The entry being added may or may not be visible.
 *
 * <p>Result: the index found for an old key, then the index found for the new key ({@code -1} for a miss).
 */
@JCStressTest
@Description("IndexHashTable: a resize never hides an entry that was present before it")
@Outcome(
        id = {"5, -1", "5, 11"},
        expect = Expect.ACCEPTABLE,
        desc = "old entry found; the new one maybe")
@Outcome(expect = Expect.FORBIDDEN, desc = "an old entry went missing or a wrong index came back")
@State
public class HashTableResizeTest {
    /** A new table holds 16 slots and resizes when the 12th is used (70% load). */
    private static final int PRESENT = 11;

    private final int[] keys = new int[PRESENT + 1];
    private final IndexHashTable table = new IndexHashTable(0, index -> keys[index]);

    public HashTableResizeTest() {
        for (int i = 0; i < PRESENT; i++) {
            keys[i] = 1_000 + i;
            table.put(keys[i], i);
        }
        keys[PRESENT] = 1_000 + PRESENT;
    }

    @Actor
    public void writer() {
        table.put(keys[PRESENT], PRESENT);
    }

    @Actor
    public void reader(final II_Result r) {
        final int old = keys[5];
        r.r1 = table.find(old, index -> keys[index] == old);
        final int added = 1_000 + PRESENT;
        r.r2 = table.find(added, index -> keys[index] == added);
    }
}
