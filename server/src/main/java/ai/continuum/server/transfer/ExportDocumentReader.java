package ai.continuum.server.transfer;

import ai.continuum.engine.ConceptKeys;
import ai.continuum.engine.Delta;
import ai.continuum.engine.SizeLimitExceededException;
import ai.continuum.engine.SizeLimits;
import ai.continuum.server.config.ServerConfig;
import ai.continuum.server.storage.DeltaItemCodec;
import ai.continuum.server.storage.ImportJob;
import ai.continuum.server.storage.Storage;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.EOFException;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipException;

/**
 * Reads {@link ExportFormat export documents} as a stream: {@link #scan} validates a whole document (structure,
 * version, every item, the trailer's counts and digests) without holding more than one item; {@link #replay} walks it
 * again and hands one tenant's content over in deltas of bounded size. Plain or gzip (detected from the content, not
 * the file name).
 *
 * <p>Every rejection is an {@link InvalidDocumentException} whose message says where (line, column, tenant, section,
 * item) and what is wrong. Thread safety: stateless; each call opens its own stream.
 */
public final class ExportDocumentReader {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /**
     * Longest string the parser reads, in chars: no stored text may exceed {@link SizeLimits#MEMORY_BYTES} UTF-8
     * bytes, and a string never has more chars than UTF-8 bytes, so a longer one is refused while it is read, before
     * it is held whole.
     */
    static final int MAX_STRING_CHARS = SizeLimits.MEMORY_BYTES + 1;
    /**
     * A replay delta is handed over once its items reach this many bytes of text (or
     * {@link ExportFormat#REPLAY_CHUNK_ITEMS} items), so one delta never holds more than about this much text plus
     * one memory, whatever the document.
     */
    static final long REPLAY_CHUNK_BYTES = 16L << 20;

    static {
        // Items are small; a single huge string or deep nesting is hostile, not data.
        MAPPER.getFactory()
                .setStreamReadConstraints(StreamReadConstraints.builder()
                        .maxStringLength(MAX_STRING_CHARS)
                        .maxNestingDepth(16)
                        .build());
    }

    private ExportDocumentReader() {}

    /** Validates the whole document; reports progress in bytes of the file. */
    public static DocumentScan scan(final Path file, final TransferProgress progress) {
        try (Documents.CountingInput in = Documents.openInput(file)) {
            progress.phase("checking " + file.getFileName(), in.size());
            final DocumentScan scan = new Walk(in, progress, -1, null).document();
            progress.finish();
            return scan;
        } catch (final IOException e) {
            throw unreadable(file, e);
        }
    }

    /**
     * Replays the tenant at {@code index} into {@code visitor}: deltas of at most
     * {@link ExportFormat#REPLAY_CHUNK_ITEMS} items each, section by section, then its forgotten memory ids. Fails
     * (after the visitor saw part of it) if the document no longer matches {@code expectedDigest}: the caller must
     * run this inside a transaction it can roll back.
     */
    public static void replay(
            final Path file, final int index, final String expectedDigest, final ImportJob.Visitor visitor)
            throws IOException, SQLException {
        try (Documents.CountingInput in = Documents.openInput(file)) {
            final Walk walk = new Walk(in, TransferProgress.NONE, index, visitor);
            final DocumentScan scan;
            try {
                scan = walk.document();
            } catch (final UncheckedSql e) {
                throw e.getCause();
            }
            final TenantSection section = scan.tenants().get(index);
            if (!section.digest().equals(expectedDigest)) {
                throw new InvalidDocumentException("the document changed after it was checked (tenant '"
                        + section.tenant() + "'); nothing was imported");
            }
        } catch (final InvalidDocumentException | IndexOutOfBoundsException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    private static InvalidDocumentException unreadable(final Path file, final IOException e) {
        if (e instanceof EOFException || e instanceof ZipException) {
            return new InvalidDocumentException(file + " is truncated or not valid gzip: " + e.getMessage(), e);
        }
        return new InvalidDocumentException("cannot read " + file + ": " + e.getMessage(), e);
    }

    /** Carries a visitor's SQLException through the walk. */
    private static final class UncheckedSql extends RuntimeException {
        UncheckedSql(final SQLException cause) {
            super(cause);
        }

        @Override
        public synchronized SQLException getCause() {
            return (SQLException) super.getCause();
        }
    }

    /** One pass over one document. */
    private static final class Walk {
        private final JsonParser parser;
        private final Documents.CountingInput input;
        private final TransferProgress progress;
        private final int deliverIndex;
        private final ImportJob.Visitor visitor;
        private final List<Object> chunk = new ArrayList<>(ExportFormat.REPLAY_CHUNK_ITEMS);
        private long chunkBytes;
        private String where = "the document";

        Walk(
                final Documents.CountingInput input,
                final TransferProgress progress,
                final int deliverIndex,
                final ImportJob.Visitor visitor)
                throws IOException {
            this.input = input;
            this.parser = MAPPER.getFactory().createParser(input.content());
            this.progress = progress;
            this.deliverIndex = deliverIndex;
            this.visitor = visitor;
        }

        DocumentScan document() throws IOException {
            try {
                return readDocument();
            } catch (final JsonParseException e) {
                throw invalid("malformed JSON: " + e.getOriginalMessage());
            } catch (final EOFException e) {
                throw invalid("the file ends early (truncated?): " + e.getMessage());
            } catch (final ZipException e) {
                throw invalid("not valid gzip: " + e.getMessage());
            } catch (final com.fasterxml.jackson.core.exc.StreamConstraintsException e) {
                if (e.getOriginalMessage().startsWith("String value length")) {
                    throw new SizeLimitExceededException(
                                    "memory_bytes", SizeLimits.MEMORY_BYTES, MAX_STRING_CHARS, "a string")
                            .at(position());
                }
                throw invalid(e.getOriginalMessage());
            }
        }

        private DocumentScan readDocument() throws IOException {
            expect(parser.nextToken(), JsonToken.START_OBJECT, "an export document (a JSON object)");
            Integer version = null;
            String format = null;
            String exportedAt = null;
            String productVersion = null;
            boolean includesMemories = false;
            Integer tenantCount = null;
            List<TenantSection> tenants = null;
            while (nextField()) {
                final String field = parser.currentName();
                final JsonToken value = parser.nextToken();
                switch (field) {
                    case "format" -> format = scalarText(value, field);
                    case "version" -> {
                        expect(value, JsonToken.VALUE_NUMBER_INT, "'version' as an integer");
                        version = parser.getIntValue();
                    }
                    case "exported_at" -> exportedAt = scalarText(value, field);
                    case "product_version" -> productVersion = scalarText(value, field);
                    case "includes_memories" -> {
                        if (value != JsonToken.VALUE_TRUE && value != JsonToken.VALUE_FALSE) {
                            throw invalid("'includes_memories' must be true or false");
                        }
                        includesMemories = value == JsonToken.VALUE_TRUE;
                    }
                    case "tenants" -> {
                        if (!ExportFormat.FORMAT.equals(format)) {
                            throw invalid(
                                    format == null
                                            ? "not a Continuum export: no \"format\": \"" + ExportFormat.FORMAT
                                                    + "\" before \"tenants\""
                                            : "not a Continuum export: format '" + format + "'");
                        }
                        if (version == null || version != ExportFormat.VERSION) {
                            throw invalid("unsupported export version " + version + "; this Continuum reads version "
                                    + ExportFormat.VERSION);
                        }
                        expect(value, JsonToken.START_ARRAY, "'tenants' as an array");
                        tenants = readTenants();
                    }
                    case "tenant_count" -> {
                        expect(value, JsonToken.VALUE_NUMBER_INT, "'tenant_count' as an integer");
                        tenantCount = parser.getIntValue();
                    }
                    default -> parser.skipChildren();
                }
            }
            if (parser.nextToken() != null) {
                throw invalid("unexpected content after the document's end");
            }
            if (tenants == null) {
                throw invalid(
                        format == null
                                ? "not a Continuum export (no \"format\" and no \"tenants\")"
                                : "the document has no 'tenants'");
            }
            if (tenantCount == null) {
                throw invalid("the document lacks its trailer ('tenant_count'): it is truncated or incomplete");
            }
            if (tenantCount != tenants.size()) {
                throw invalid("'tenant_count' says " + tenantCount + " but the document holds " + tenants.size());
            }
            return new DocumentScan(version, exportedAt, productVersion, includesMemories, List.copyOf(tenants));
        }

        private List<TenantSection> readTenants() throws IOException {
            final List<TenantSection> tenants = new ArrayList<>();
            final java.util.Set<String> names = new java.util.HashSet<>();
            JsonToken t;
            while ((t = parser.nextToken()) != JsonToken.END_ARRAY) {
                expect(t, JsonToken.START_OBJECT, "a tenant object");
                final TenantSection section = readTenant(tenants.size());
                if (!names.add(section.tenant())) {
                    // Two sections of one tenant would be imported one over the other, the second's continuity
                    // check seeing the first's result: refused, as the export never writes a tenant twice.
                    throw invalid("tenant '" + section.tenant() + "' appears more than once");
                }
                tenants.add(section);
            }
            return tenants;
        }

        private TenantSection readTenant(final int index) throws IOException {
            final boolean deliver = index == deliverIndex;
            where = "tenants[" + index + "]";
            String tenant = null;
            Storage.ContinuityHead head = null;
            JsonNode summary = null;
            final ItemDigest digest = new ItemDigest();
            Section last = null;
            while (nextField()) {
                final String field = parser.currentName();
                final JsonToken value = parser.nextToken();
                final Section section = Section.byField(field);
                if (section != null) {
                    if (tenant == null) {
                        throw invalid("'tenant' must come before '" + field + "'");
                    }
                    if (last != null && section.compareTo(last) <= 0) {
                        throw invalid("'" + field + "' is repeated or out of order (expected concepts, links, "
                                + "compounds, memories, decisions, forgotten_memories)");
                    }
                    last = section;
                    expect(value, JsonToken.START_ARRAY, "'" + field + "' as an array");
                    readSection(section, digest, deliver);
                    continue;
                }
                switch (field) {
                    case "tenant" -> {
                        tenant = scalarText(value, field);
                        if (!ServerConfig.TENANT_PATTERN.matcher(tenant).matches()) {
                            throw invalid("tenant name '" + tenant + "' is invalid: expected 1-128 letters, digits, "
                                    + "'.', '_' or '-', starting with a letter or digit");
                        }
                        where = "tenant '" + tenant + "'";
                    }
                    case "continuity" -> {
                        final JsonNode c = MAPPER.readTree(parser);
                        head = readHead(tenant, c);
                    }
                    case "summary" -> summary = MAPPER.readTree(parser);
                    default -> parser.skipChildren();
                }
            }
            if (tenant == null) {
                throw invalid("a tenant object lacks 'tenant'");
            }
            final Map<String, Long> counts = new LinkedHashMap<>();
            for (final Section s : Section.values()) {
                counts.put(s.field(), digest.count(s));
            }
            final String hex = digest.finish();
            checkSummary(summary, counts, hex);
            return new TenantSection(index, tenant, head, counts, hex, seal(summary));
        }

        private Storage.ContinuityHead readHead(final String tenant, final JsonNode c) {
            if (tenant == null) {
                throw invalid("'tenant' must come before 'continuity'");
            }
            final JsonNode length = c.get("length");
            final JsonNode head = c.get("head");
            if (length == null
                    || !length.canConvertToLong()
                    || !length.isIntegralNumber()
                    || length.longValue() < 0
                    || head == null
                    || !head.isTextual()
                    || !head.textValue().matches("[0-9a-f]{64}")) {
                throw invalid("'continuity' must be {\"length\": n >= 0, \"head\": 64 hex digits}");
            }
            return new Storage.ContinuityHead(tenant, length.longValue(), head.textValue());
        }

        /** The section's {@code summary.seal} (see {@link ai.continuum.server.storage.ExportSeal}), or null. */
        private String seal(final JsonNode summary) {
            final JsonNode seal = summary == null ? null : summary.get("seal");
            if (seal == null) {
                return null;
            }
            if (!seal.isTextual() || !seal.textValue().matches("[0-9a-f]{64}")) {
                throw invalid("'summary.seal' must be 64 hex digits");
            }
            return seal.textValue();
        }

        private void checkSummary(final JsonNode summary, final Map<String, Long> counts, final String hex) {
            if (summary == null) {
                return;
            }
            if (!summary.isObject()) {
                throw invalid("'summary' must be an object");
            }
            for (final Map.Entry<String, Long> e : counts.entrySet()) {
                final JsonNode n = summary.get(e.getKey());
                if (n != null && (!n.canConvertToLong() || n.longValue() != e.getValue())) {
                    throw invalid("'summary' says " + e.getKey() + "=" + n + " but the document holds " + e.getValue()
                            + " (corrupt or truncated)");
                }
            }
            final JsonNode sha = summary.get("sha256");
            if (sha != null && !hex.equals(sha.asText())) {
                throw invalid(
                        "the content does not match its sha256 in 'summary': the file is corrupt or was " + "edited");
            }
        }

        private void readSection(final Section section, final ItemDigest digest, final boolean deliver)
                throws IOException {
            digest.section(section);
            long n = 0;
            JsonToken t;
            while ((t = parser.nextToken()) != JsonToken.END_ARRAY) {
                if (t == null) {
                    throw new EOFException("inside '" + section.field() + "'");
                }
                final String at = where + ", " + section.field() + "[" + n + "]";
                final Object item;
                try {
                    item = readItem(section, t);
                } catch (final SizeLimitExceededException e) {
                    throw e.at(position() + " (" + at + ")");
                } catch (final IllegalArgumentException e) {
                    throw invalid(at + ": " + e.getMessage());
                }
                digest.add(section, item);
                if (deliver) {
                    chunk.add(item);
                    chunkBytes += item instanceof Delta.MemoryDelta m ? SizeLimits.memoryBytes(m) : 0;
                    if (chunk.size() == ExportFormat.REPLAY_CHUNK_ITEMS || chunkBytes >= REPLAY_CHUNK_BYTES) {
                        flush(section);
                    }
                }
                n++;
                progress.advance(input.consumed());
            }
            if (deliver) {
                flush(section);
            }
        }

        private Object readItem(final Section section, final JsonToken t) throws IOException {
            if (section == Section.FORGOTTEN_MEMORIES) {
                if (t != JsonToken.VALUE_NUMBER_INT
                        || parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER
                        || parser.getLongValue() <= 0) {
                    throw new IllegalArgumentException("a forgotten memory id must be a positive 64-bit integer");
                }
                return parser.getLongValue();
            }
            if (t != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException("expected an object, found " + t);
            }
            final JsonNode n = MAPPER.readTree(parser);
            return switch (section) {
                case CONCEPTS -> {
                    final Delta.ConceptDelta c = DeltaItemCodec.readConcept(n);
                    SizeLimits.check(new Delta(List.of(c), List.of(), List.of(), List.of(), List.of()));
                    normalised(c.key(), "key");
                    if (!ConceptKeys.normalize(c.displayName()).equals(c.key())) {
                        throw new IllegalArgumentException(
                                "displayName '" + c.displayName() + "' does not match key '" + c.key() + "'");
                    }
                    yield c;
                }
                case LINKS -> {
                    final Delta.LinkDelta l = DeltaItemCodec.readLink(n);
                    SizeLimits.check(new Delta(List.of(), List.of(l), List.of(), List.of(), List.of()));
                    normalised(l.a(), "a");
                    normalised(l.b(), "b");
                    yield l;
                }
                case COMPOUNDS -> {
                    final Delta.CompoundDelta c = DeltaItemCodec.readCompound(n);
                    SizeLimits.check(new Delta(List.of(), List.of(), List.of(c), List.of(), List.of()));
                    c.components().forEach(k -> normalised(k, "components"));
                    yield c;
                }
                case MEMORIES -> {
                    final Delta.MemoryDelta m = DeltaItemCodec.readMemory(n);
                    SizeLimits.check(m);
                    m.concepts().forEach(k -> normalised(k, "concepts"));
                    yield m;
                }
                case DECISIONS -> {
                    final Delta.DecisionDelta d = DeltaItemCodec.readDecision(n);
                    SizeLimits.check(new Delta(List.of(), List.of(), List.of(), List.of(), List.of(d)));
                    if (d.memoryId() <= 0 || d.ordinal() < 0) {
                        throw new IllegalArgumentException("memoryId must be positive and ordinal >= 0");
                    }
                    yield d;
                }
                case FORGOTTEN_MEMORIES -> throw new IllegalStateException("handled above");
            };
        }

        private static void normalised(final String key, final String field) {
            if (key.isEmpty() || !ConceptKeys.normalize(key).equals(key)) {
                throw new IllegalArgumentException("'" + field + "' holds '" + key + "', which is not a concept key "
                        + "(expected '" + ConceptKeys.normalize(key) + "')");
            }
        }

        private void flush(final Section section) {
            if (chunk.isEmpty()) {
                return;
            }
            try {
                if (section == Section.FORGOTTEN_MEMORIES) {
                    for (final Object id : chunk) {
                        visitor.forgottenMemory((Long) id);
                    }
                } else {
                    visitor.delta(deltaOf(section, List.copyOf(chunk)));
                }
            } catch (final SQLException e) {
                throw new UncheckedSql(e);
            }
            chunk.clear();
            chunkBytes = 0;
        }

        /** A delta holding {@code items}, all of {@code section}'s kind. */
        @SuppressWarnings("unchecked")
        private static Delta deltaOf(final Section section, final List<?> items) {
            return new Delta(
                    section == Section.CONCEPTS ? (List<Delta.ConceptDelta>) items : List.of(),
                    section == Section.LINKS ? (List<Delta.LinkDelta>) items : List.of(),
                    section == Section.COMPOUNDS ? (List<Delta.CompoundDelta>) items : List.of(),
                    section == Section.MEMORIES ? (List<Delta.MemoryDelta>) items : List.of(),
                    section == Section.DECISIONS ? (List<Delta.DecisionDelta>) items : List.of());
        }

        private boolean nextField() throws IOException {
            final JsonToken t = parser.nextToken();
            if (t == JsonToken.END_OBJECT) {
                return false;
            }
            if (t == null) {
                throw new EOFException("inside " + where);
            }
            if (t != JsonToken.FIELD_NAME) {
                throw invalid("expected a field name, found " + t);
            }
            return true;
        }

        private String scalarText(final JsonToken value, final String field) throws IOException {
            expect(value, JsonToken.VALUE_STRING, "'" + field + "' as a string");
            return parser.getText();
        }

        private void expect(final JsonToken actual, final JsonToken expected, final String what) throws IOException {
            if (actual == null) {
                throw new EOFException("expected " + what);
            }
            if (actual != expected) {
                throw invalid("expected " + what + ", found " + actual);
            }
        }

        private InvalidDocumentException invalid(final String message) {
            return new InvalidDocumentException(
                    "invalid export document at " + position() + " (" + where + "): " + message);
        }

        /**
         * Where the parser stands: line, column and byte offset in the decoded document. Jackson counts columns in an
         * int that wraps on a line longer than 2^31 bytes (an export is written on one line, so a large one has
         * such a line), so a column that is not positive is left out and the byte offset, a long, says where.
         */
        private String position() {
            final var loc = parser.currentLocation();
            final long offset = loc.getByteOffset() >= 0 ? loc.getByteOffset() : loc.getCharOffset();
            return "line " + loc.getLineNr() + (loc.getColumnNr() > 0 ? ", column " + loc.getColumnNr() : "")
                    + ", byte " + offset;
        }
    }
}
