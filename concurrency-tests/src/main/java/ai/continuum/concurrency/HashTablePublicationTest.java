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
 * The writer fills a record, then puts its index in the table; a reader that finds the index must see the record
 * filled (the slot is written with a release store and read with an acquire load). The engine's records are written
 * the same way: content first, index published last.
 *
 * <p>Result: the index found ({@code -1} for a miss), then the key the reader saw in the record at that index.
 */
@JCStressTest
@Description("IndexHashTable: a found index always shows the record written before it was put")
@Outcome(id = "-1, 0", expect = Expect.ACCEPTABLE, desc = "the put is not visible yet")
@Outcome(id = "0, 42", expect = Expect.ACCEPTABLE, desc = "found, with the record's content")
@Outcome(id = "0, 0", expect = Expect.FORBIDDEN, desc = "found before the record's content was visible")
@Outcome(expect = Expect.FORBIDDEN, desc = "anything else is a broken table")
@State
public class HashTablePublicationTest {
    private static final int HASH = 7;

    private final int[] keys = new int[1];
    private final IndexHashTable table = new IndexHashTable(4, index -> HASH);

    @Actor
    public void writer() {
        keys[0] = 42;
        table.put(HASH, 0);
    }

    @Actor
    public void reader(final II_Result r) {
        final int[] seen = new int[1];
        final int found = table.find(HASH, index -> {
            seen[0] = keys[index];
            return true; // accept any published index, so a record read too early shows as key 0
        });
        r.r1 = found;
        r.r2 = found == IndexHashTable.MISSING ? 0 : seen[0];
    }
}
