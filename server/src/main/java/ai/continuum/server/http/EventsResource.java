package ai.continuum.server.http;

import ai.continuum.server.core.ChangeEvents;
import ai.continuum.server.core.ContinuumCore;
import ai.continuum.server.storage.Storage;
import com.fasterxml.jackson.core.JsonProcessingException;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.sse.SseEvent;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.helidon.webserver.sse.SseSink;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /v1/events}: the key's tenant's live event stream as Server-Sent Events ({@code memory_added},
 * {@code concept_learned}, {@code decision_made}, {@code memory_forgotten}), each sent after its commit, on every
 * instance (the stream is fed by what this instance's engine applies, its own commits and the ops it follows).
 *
 * <p>Event ids are {@code <seq>.<index>}: the op's chain position and the event's index within the op. A client that
 * reconnects with {@code Last-Event-ID} (or the {@code last_event_id} query parameter) first gets every event after
 * that id replayed from the change log, then the live ones, none twice. Without one, the stream starts at the events
 * this instance applies after the request. A comment line is sent every {@link #HEARTBEAT} while there is nothing to
 * say. A client more than {@link #QUEUE} events behind gets a final {@code cut_off} event naming the id to resume
 * from and is disconnected; publishing never waits for it, so a slow client never slows a learn.
 *
 * <p>Thread model: each stream runs on its request's virtual thread until the client leaves or the server stops.
 */
final class EventsResource implements HttpService {
    static final Duration HEARTBEAT = Duration.ofSeconds(15);
    static final int QUEUE = 1_024;
    private static final HeaderName LAST_EVENT_ID = HeaderNames.create("Last-Event-ID");
    private static final int REPLAY_ROWS = 1_000;

    private final ContinuumCore core;
    private final Duration heartbeat;

    EventsResource(final ContinuumCore core, final Duration heartbeat) {
        this.core = core;
        this.heartbeat = heartbeat;
    }

    @Override
    public void routing(final HttpRules rules) {
        rules.get("/events", this::stream);
    }

    private void stream(final ServerRequest req, final ServerResponse res) {
        final String tenant = AuthFilter.principal(req).tenant();
        final long[] last = lastEventId(req);
        // Subscribe before reading where to start, so nothing applied in between is missed.
        try (ChangeEvents.Subscription live = core.events().subscribe(tenant, QUEUE);
                SseSink sink = res.sink(SseSink.TYPE)) {
            long sentSeq;
            int sentIndex;
            if (last == null) {
                sentSeq = core.appliedPosition(tenant);
                sentIndex = Integer.MAX_VALUE;
            } else {
                sentSeq = last[0];
                sentIndex = (int) last[1];
                // Replay from the op of the last event, so the rest of a partly sent op comes too.
                long after = Math.max(0, sentSeq - 1);
                for (List<Storage.Change> rows = core.changes(tenant, after, REPLAY_ROWS);
                        !rows.isEmpty();
                        rows = core.changes(tenant, after, REPLAY_ROWS)) {
                    for (final Storage.Change row : rows) {
                        for (final ChangeEvents.Event e : ChangeEvents.ofOp(row.seq(), row.op())) {
                            if (e.after(sentSeq, sentIndex)) {
                                emit(sink, e);
                                sentSeq = e.seq();
                                sentIndex = e.index();
                            }
                        }
                        after = row.seq();
                    }
                }
            }
            while (true) {
                final ChangeEvents.Event e;
                try {
                    e = live.next(heartbeat.toMillis());
                } catch (final IllegalStateException ended) {
                    if ("cut_off".equals(ended.getMessage())) {
                        sink.emit(SseEvent.builder()
                                .name("cut_off")
                                .data(json(Map.of(
                                        "reason",
                                        "more than " + QUEUE + " events were waiting for this client; reconnect with "
                                                + "Last-Event-ID to resume",
                                        "last_event_id",
                                        sentSeq + "." + sentIndex)))
                                .build());
                    }
                    return;
                }
                if (e == null) {
                    sink.emit(SseEvent.builder().comment("heartbeat").build());
                } else if (e.after(sentSeq, sentIndex)) {
                    emit(sink, e);
                    sentSeq = e.seq();
                    sentIndex = e.index();
                }
            }
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (final UncheckedIOException gone) {
            // The client went away; its subscription is closed above.
        }
    }

    private static void emit(final SseSink sink, final ChangeEvents.Event e) {
        sink.emit(SseEvent.builder()
                .id(e.id())
                .name(e.type())
                .data(json(e.data()))
                .build());
    }

    private static String json(final Object value) {
        try {
            return Json.MAPPER.writeValueAsString(value);
        } catch (final JsonProcessingException e) {
            throw new IllegalStateException("event data is not serialisable", e);
        }
    }

    /** {@code Last-Event-ID} (header, or the query parameter for clients that cannot set it) as (seq, index). */
    private static long[] lastEventId(final ServerRequest req) {
        String raw = req.headers().first(LAST_EVENT_ID).orElse(null);
        if (raw == null || raw.isBlank()) {
            raw = req.query().first("last_event_id").orElse(null);
        }
        if (raw == null || raw.isBlank()) {
            return null;
        }
        final String v = raw.strip();
        try {
            final int dot = v.indexOf('.');
            final long seq = Long.parseLong(dot < 0 ? v : v.substring(0, dot));
            final long index = dot < 0 ? Integer.MAX_VALUE : Integer.parseInt(v.substring(dot + 1));
            if (seq >= 0 && index >= 0) {
                return new long[] {seq, index};
            }
        } catch (final NumberFormatException e) {
            // reported below
        }
        throw ApiException.badRequest(
                "Last-Event-ID must be an event id '<seq>.<index>' (or '<seq>'), got '" + Body.abbreviate(raw) + "'");
    }
}
