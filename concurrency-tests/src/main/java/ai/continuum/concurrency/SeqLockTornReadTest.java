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
 * One writer changes a two-field record under {@link SeqLock}; one reader copies the fields and validates its copy.
 * The protocol's promise: a copy the reader accepts is never torn. A rejected copy (the reader would retry) may hold
 * anything.
 *
 * <p>Result: validated (1) or rejected (0), then the two fields as copied.
 */
@JCStressTest
@Description("SeqLock: a validated read never mixes fields from before and after one write")
@Outcome(id = "1, 0, 0", expect = Expect.ACCEPTABLE, desc = "validated copy from before the write")
@Outcome(id = "1, 1, 1", expect = Expect.ACCEPTABLE, desc = "validated copy from after the write")
@Outcome(
        id = {"0, 0, 0", "0, 0, 1", "0, 1, 0", "0, 1, 1"},
        expect = Expect.ACCEPTABLE_INTERESTING,
        desc = "the write overlapped the copy, which the reader rejects and retries")
@Outcome(expect = Expect.FORBIDDEN, desc = "a torn copy passed validation")
@State
public class SeqLockTornReadTest {
    private static final int VERSION = 0;
    private static final int FIRST = 8;
    private static final int SECOND = 64; // another cache line, so the two fields can be seen out of step

    private final UnsafeBuffer record = new UnsafeBuffer(ByteBuffer.allocateDirect(128));

    @Actor
    public void writer() {
        SeqLock.beginWrite(record, VERSION);
        record.putInt(FIRST, 1);
        record.putInt(SECOND, 1);
        SeqLock.endWrite(record, VERSION);
    }

    @Actor
    public void reader(final III_Result r) {
        final int version = SeqLock.readBegin(record, VERSION);
        final int second = record.getInt(SECOND);
        final int first = record.getInt(FIRST);
        r.r1 = SeqLock.readValid(record, VERSION, version) ? 1 : 0;
        r.r2 = first;
        r.r3 = second;
    }
}
