package ai.continuum.concurrency;

import ai.continuum.engine.store.SeqLock;
import java.nio.ByteBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;

/**
 * Two writes in a row (the writer moving an adjacency block, then reordering it): a validated copy is one of the
 * three states the record passed through, never a mix of two of them, even when the reader starts between the writes.
 *
 * <p>Result: validated (1) or rejected (0), then the two fields as copied.
 */
@JCStressTest
@Description("SeqLock: a validated read is exactly one of the states between writes")
@Outcome(
        id = {"1, 0, 0", "1, 1, 1", "1, 2, 2"},
        expect = Expect.ACCEPTABLE,
        desc = "a consistent state")
@Outcome(
        id = {"0, 0, 0", "0, 0, 1", "0, 0, 2", "0, 1, 0", "0, 1, 1", "0, 1, 2", "0, 2, 0", "0, 2, 1", "0, 2, 2"},
        expect = Expect.ACCEPTABLE_INTERESTING,
        desc = "a write overlapped the copy, which the reader rejects")
@Outcome(expect = Expect.FORBIDDEN, desc = "a mixed copy passed validation")
@State
public class SeqLockTwoWritesTest {
    private static final int VERSION = 0;
    private static final int FIRST = 8;
    private static final int SECOND = 64;

    private final UnsafeBuffer record = new UnsafeBuffer(ByteBuffer.allocateDirect(128));

    @Actor
    public void writer() {
        for (int value = 1; value <= 2; value++) {
            SeqLock.beginWrite(record, VERSION);
            record.putInt(FIRST, value);
            record.putInt(SECOND, value);
            SeqLock.endWrite(record, VERSION);
        }
    }

    @Actor
    public void reader(final III_Result r) {
        final int version = SeqLock.readBegin(record, VERSION);
        final int first = record.getInt(FIRST);
        final int second = record.getInt(SECOND);
        r.r1 = SeqLock.readValid(record, VERSION, version) ? 1 : 0;
        r.r2 = first;
        r.r3 = second;
    }
}
