package ai.continuum.server.logging;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Structured fields of one log record, passed as its only parameter. The JSON log format writes them as top-level
 * fields of the line (queryable, not buried in {@code message}); the text format shows the record's message, which
 * the caller writes to carry the same facts. Immutable.
 */
public record LogFields(Map<String, Object> fields) {
    public LogFields {
        fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
    }
}
