package ai.continuum.server.core;

import static ai.continuum.server.core.ApplierFixture.concept;
import static ai.continuum.server.core.ApplierFixture.key;
import static ai.continuum.server.core.ApplierFixture.turn;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.continuum.engine.ApplyResult;
import ai.continuum.engine.Delta;
import ai.continuum.engine.PruneReport;
import ai.continuum.server.storage.Storage;
import ai.continuum.server.storage.StorageOp;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An op reaches the engine exactly once, whichever path brings it first. A prune: its local command, or the change
 * log (the follower reading what was committed). An async write: its apply ahead of the commit, or the log's copy
 * read as the gap before a later commit. Against real SQLite; the paths are driven by hand, in both orders.
 */
class EngineApplierReplayTest {
    private static final String TENANT = "t";
    private static final long T0 = ApplierFixture.T0;

    @TempDir
    Path dir;

    private ApplierFixture its;

    @BeforeEach
    void open() {
        its = new ApplierFixture(dir);
    }

    @AfterEach
    void close() {
        its.close();
    }

    @Test
    void shouldAnswerTheLogsReportAndPruneNothingMoreWhenTheFollowerAppliedThePruneFirst() {
        commitAndApply(links("Alpha", "Bravo", "Charlie", 1)); // three links at 0.10
        commitAndApply(links("Alpha", "Delta", "Echo", 3)); // three links at 0.40
        final StorageOp.PruneLinks prune = new StorageOp.PruneLinks(TENANT, 0.3, T0, true);
        final Storage.ContinuityHead pruneHead = its.storage.submit(prune).join();

        its.applier.follow(TENANT, pruneHead.length()); // the follower reads the prune from the log first
        assertTrue(
                its.applier.awaitApplied(TENANT, pruneHead.length(), TimeUnit.SECONDS.toNanos(10)),
                "the follower applied the prune within 10 s");
        assertEquals(3, its.engine.stats(TENANT).links(), "the log's apply pruned the weak links");
        commitAndApply(links("Foxtrot", "Golf", "Hotel", 1)); // new weak links after the prune

        final OpOutcome late = its.applier.committed(prune, pruneHead).join(); // then its local command arrives
        final PruneReport report = late.pruned();
        assertEquals(6, report.linksExamined(), "the report of the apply that happened, from the log");
        assertEquals(3, report.linksPruned());
        assertEquals(6, its.engine.stats(TENANT).links(), "the late command pruned nothing: the new weak links stay");
        assertEquals(pruneHead.length() + 1, its.applier.applied(TENANT));
    }

    @Test
    void shouldNotApplyAPruneAgainWhenTheLogBringsItAfterItsLocalCommand() {
        commitAndApply(links("Alpha", "Bravo", "Charlie", 1));
        final StorageOp.PruneLinks prune = new StorageOp.PruneLinks(TENANT, 0.3, T0, true);
        final Storage.ContinuityHead pruneHead = its.storage.submit(prune).join();
        final PruneReport report =
                its.applier.committed(prune, pruneHead).join().pruned();
        assertEquals(3, report.linksPruned());
        commitAndApply(links("Foxtrot", "Golf", "Hotel", 1));
        final long checksum = its.engine.checksum(TENANT);

        its.applier.follow(TENANT, pruneHead.length() + 1); // the log replays everything up to the head
        its.applier.reach(TENANT, pruneHead.length() + 1).join();
        assertEquals(3, its.engine.stats(TENANT).links(), "the replayed prune did not run again");
        assertEquals(checksum, its.engine.checksum(TENANT));
    }

    private void commitAndApply(final Delta delta) {
        its.commitAndApply(TENANT, delta);
    }

    /** The three links among {@code a}, {@code b}, {@code c}, each seen {@code count} times. */
    private static Delta links(final String a, final String b, final String c, final int count) {
        return new Delta(
                List.of(concept(a), concept(b), concept(c)),
                List.of(link(a, b, count), link(a, c, count), link(b, c, count)),
                List.of(),
                List.of(),
                List.of());
    }

    private static Delta.LinkDelta link(final String a, final String b, final int count) {
        return new Delta.LinkDelta(key(a), key(b), count, T0);
    }

    /**
     * The order a loaded machine produced under {@code RestartIT}: the async write's commit and a later synchronous
     * one both landed before the apply-ahead command ran, and the engine counted the async turn's links twice.
     */
    @Test
    void shouldNotApplyAheadAWriteTheLogAlreadyApplied() {
        final Delta async = turn(1, "Alpha", "Bravo");
        final StorageOp.Apply asyncOp = new StorageOp.Apply(TENANT, async);
        final Storage.ContinuityHead asyncHead = its.storage.submit(asyncOp).join(); // committed at 1
        its.commitAndApply(TENANT, turn(2, "Alpha", "Bravo")); // at 2: reads 1 from the log first
        assertEquals(2, its.applier.applied(TENANT));

        assertEquals(ApplyResult.NONE, its.applier.applyAhead(TENANT, async).join(), "already in the engine");
        its.applier.committed(asyncOp, asyncHead).join();

        assertEquals(List.of(2), linkCounts(), "two turns named Alpha and Bravo: the link counts two");
        assertEquals(2, its.engine.stats(TENANT).memories());
    }

    @Test
    void shouldApplyAheadOnceAndSkipTheLogsCopy() {
        final Delta async = turn(1, "Alpha", "Bravo");
        assertEquals(1, its.applier.applyAhead(TENANT, async).join().memoriesCreated(), "visible before its commit");
        final StorageOp.Apply asyncOp = new StorageOp.Apply(TENANT, async);
        final Storage.ContinuityHead asyncHead = its.storage.submit(asyncOp).join();
        its.commitAndApply(TENANT, turn(2, "Alpha", "Bravo")); // reads 1 from the log: skipped, applied ahead
        its.applier.committed(asyncOp, asyncHead).join();

        assertEquals(List.of(2), linkCounts());
        assertTrue(its.applier.matchesStore());
    }

    private List<Integer> linkCounts() {
        final List<Integer> counts = new ArrayList<>();
        its.engine.snapshot(TENANT, d -> d.links().forEach(l -> counts.add(l.count())));
        return counts;
    }
}
