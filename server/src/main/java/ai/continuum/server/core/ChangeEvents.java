package ai.continuum.server.core;

import ai.continuum.engine.Delta;
import ai.continuum.server.storage.StorageOp;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.TimeUnit;

/**
 * The live event stream's source: each op this instance's engine applies (its own commits and those it follows from
 * other instances, in chain order) becomes events for the subscribers of its tenant. Publishing never blocks: a
 * subscriber whose bounded queue is full is marked cut off and the events go on for the others.
 *
 * <p>Events of one op share its chain position; their ids are {@code <seq>.<index>} (index within the op), so a
 * resume after any event is exact ({@link #ofOp} derives the same events from a change-log row).
 *
 * <p>Thread safety: {@link #publish} from the applier thread; {@link #subscribe} and the subscriptions from any.
 */
public final class ChangeEvents implements AutoCloseable {
    private final ConcurrentHashMap<String, Set<Subscription>> byTenant = new ConcurrentHashMap<>();
    private volatile boolean closed;

    /** One event: its chain position, its index within the op, its type and its JSON-ready data. */
    public record Event(long seq, int index, String type, Map<String, Object> data) {
        public String id() {
            return seq + "." + index;
        }

        /** Whether this event comes after position {@code seq}, index {@code index}. */
        public boolean after(final long afterSeq, final int afterIndex) {
            return seq > afterSeq || (seq == afterSeq && index > afterIndex);
        }
    }

    /** The events of one op at chain position {@code seq}; none for ops that are not in the stream. */
    public static List<Event> ofOp(final long seq, final StorageOp op) {
        final List<Event> out = new ArrayList<>();
        switch (op) {
            case StorageOp.Apply a -> {
                final Delta d = a.delta();
                for (final Delta.MemoryDelta m : d.memories()) {
                    final Map<String, Object> data = new LinkedHashMap<>();
                    data.put("memory_id", m.id());
                    data.put("session_id", m.sessionId());
                    data.put("time", m.timeMillis());
                    data.put("concepts", m.concepts());
                    out.add(new Event(seq, out.size(), "memory_added", data));
                }
                for (final Delta.ConceptDelta c : d.concepts()) {
                    out.add(new Event(
                            seq, out.size(), "concept_learned", Map.of("name", c.displayName(), "type", c.type())));
                }
                for (final Delta.DecisionDelta dd : d.decisions()) {
                    out.add(new Event(
                            seq, out.size(), "decision_made", Map.of("memory_id", dd.memoryId(), "text", dd.text())));
                }
            }
            case StorageOp.ForgetMemory f ->
                out.add(new Event(seq, 0, "memory_forgotten", Map.of("memory_id", f.memoryId())));
            default -> {
                // Forgetting a concept, pruning and clearing a tenant are not in the stream.
            }
        }
        return out;
    }

    /** Offers the op's events to the tenant's subscribers; never blocks. */
    void publish(final String tenant, final long seq, final StorageOp op) {
        final Set<Subscription> subs = byTenant.get(tenant);
        if (subs == null || subs.isEmpty()) {
            return;
        }
        final List<Event> events = ofOp(seq, op);
        for (final Subscription s : subs) {
            for (final Event e : events) {
                if (!s.queue.offer(e)) {
                    s.cutOff = true;
                    s.queue.clear();
                    break;
                }
            }
        }
    }

    /** Subscribes to the tenant's events from now on; at most {@code capacity} may wait unsent. */
    public Subscription subscribe(final String tenant, final int capacity) {
        final Subscription s = new Subscription(tenant, capacity);
        byTenant.computeIfAbsent(tenant, t -> new CopyOnWriteArraySet<>()).add(s);
        return s;
    }

    /** Ends every subscription (server shutdown). */
    @Override
    public void close() {
        closed = true;
        byTenant.values().forEach(subs -> subs.forEach(s -> s.queue.offer(Subscription.END)));
    }

    /** A subscriber's queue. Close it when the client is gone. */
    public final class Subscription implements AutoCloseable {
        static final Event END = new Event(-1, -1, "end", Map.of());

        @SuppressWarnings("ReferenceEquality") // the sentinel is one instance; see its use
        private static boolean isEnd(final Event e) {
            return e == END;
        }

        private final String tenant;
        private final ArrayBlockingQueue<Event> queue;
        private volatile boolean cutOff;

        private Subscription(final String tenant, final int capacity) {
            this.tenant = tenant;
            this.queue = new ArrayBlockingQueue<>(capacity);
        }

        /**
         * The next event, or null after {@code timeoutMs} without one.
         *
         * @throws IllegalStateException when the subscriber fell more than its capacity behind (cut off) or the
         *                               stream is shutting down; the message says which.
         */
        public Event next(final long timeoutMs) throws InterruptedException {
            if (cutOff) {
                throw new IllegalStateException("cut_off");
            }
            final Event e = queue.poll(timeoutMs, TimeUnit.MILLISECONDS);
            if (cutOff) {
                throw new IllegalStateException("cut_off");
            }
            // END is a sentinel instance: identity is the test (an equal event from a stream must not end it).
            if (isEnd(e) || closed) {
                throw new IllegalStateException("shutdown");
            }
            return e;
        }

        @Override
        public void close() {
            final Set<Subscription> subs = byTenant.get(tenant);
            if (subs != null) {
                subs.remove(this);
            }
        }
    }
}
