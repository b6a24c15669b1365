package ai.continuum.server.fleet;

import ai.continuum.server.TestServer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** A test client of {@code GET /v1/events}: reads the SSE lines of one connection. */
final class EventStream implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    record Event(String id, String type, JsonNode data) {}

    private final CompletableFuture<HttpResponse<Stream<String>>> response;
    private Stream<String> lines;
    private Iterator<String> it;

    private EventStream(final CompletableFuture<HttpResponse<Stream<String>>> response) {
        this.response = response;
    }

    static EventStream open(final TestServer s, final String key, final String lastEventId) {
        final HttpRequest.Builder b = HttpRequest.newBuilder(s.uri("/v1/events"))
                .header("X-API-Key", key)
                .header("Accept", "text/event-stream")
                .GET();
        if (lastEventId != null) {
            b.header("Last-Event-ID", lastEventId);
        }
        return new EventStream(s.client().sendAsync(b.build(), HttpResponse.BodyHandlers.ofLines()));
    }

    /** Reads events until {@code memories} memory_added events came (at most 20 s). */
    List<Event> untilMemories(final int memories) throws Exception {
        if (it == null) {
            final HttpResponse<Stream<String>> r = response.get(20, TimeUnit.SECONDS);
            if (r.statusCode() != 200) {
                throw new AssertionError("events answered " + r.statusCode());
            }
            lines = r.body();
            it = lines.iterator();
        }
        final List<Event> out = new ArrayList<>();
        int seen = 0;
        String id = null;
        String type = null;
        String data = null;
        final CompletableFuture<Void> watchdog = CompletableFuture.runAsync(
                        () -> {}, CompletableFuture.delayedExecutor(20, TimeUnit.SECONDS))
                .thenRun(this::close);
        try {
            while (seen < memories && it.hasNext()) {
                final String line = it.next();
                if (line.isEmpty()) {
                    if (type != null) {
                        out.add(new Event(id, type, JSON.readTree(data)));
                        seen += type.equals("memory_added") ? 1 : 0;
                    }
                    id = null;
                    type = null;
                    data = null;
                } else if (line.startsWith("id:")) {
                    id = line.substring(3).strip();
                } else if (line.startsWith("event:")) {
                    type = line.substring(6).strip();
                } else if (line.startsWith("data:")) {
                    data = line.substring(5).strip();
                }
            }
        } finally {
            watchdog.cancel(false);
        }
        if (seen < memories) {
            throw new AssertionError("only " + seen + " of " + memories + " memories streamed: " + out);
        }
        return out;
    }

    /** Orders event ids {@code <seq>.<index>}. */
    static int compare(final String x, final String y) {
        final String[] a = x.split("\\.", -1);
        final String[] b = y.split("\\.", -1);
        final int bySeq = Long.compare(Long.parseLong(a[0]), Long.parseLong(b[0]));
        return bySeq != 0 ? bySeq : Integer.compare(Integer.parseInt(a[1]), Integer.parseInt(b[1]));
    }

    @Override
    public void close() {
        if (lines != null) {
            lines.close();
        }
        response.cancel(true);
    }
}
