package ai.continuum.server.http;

import ai.continuum.engine.SizeLimitExceededException;
import ai.continuum.server.core.ContinuumCore;
import ai.continuum.server.storage.ImportMode;
import ai.continuum.server.storage.OwnerOnly;
import ai.continuum.server.storage.UnverifiedContinuityException;
import ai.continuum.server.transfer.DataTransfer;
import ai.continuum.server.transfer.InvalidDocumentException;
import ai.continuum.server.transfer.TenantImport;
import ai.continuum.server.transfer.TransferProgress;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code POST /v1/admin/export} and {@code POST /v1/admin/import} (admin key only): the export document over HTTP, for
 * operators. Export streams one read snapshot of committed state; import spools the body to a private temporary file
 * (at most {@value #MAX_IMPORT_BYTES} bytes), validates it whole, then imports each tenant in one transaction and
 * into the live engine (see {@code ContinuumCore.importState}).
 */
public final class AdminTransferResource implements HttpService {
    /** Largest import body: a document this size holds tens of millions of items. */
    static final long MAX_IMPORT_BYTES = 8L << 30;

    private static final DateTimeFormatter FILE_TIME =
            DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

    private final ContinuumCore core;
    private final Path spoolDir;
    private final Idempotency idempotency;

    public AdminTransferResource(final ContinuumCore core, final Path spoolDir, final Idempotency idempotency) {
        this.core = core;
        this.spoolDir = spoolDir;
        this.idempotency = idempotency;
    }

    @Override
    public void routing(final HttpRules rules) {
        rules.post("/export", this::export).post("/import", this::importDocument);
    }

    private static boolean flag(final ServerRequest req, final String name) {
        final String value = Params.queryText(req, name);
        if (value == null) {
            return false;
        }
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "true", "1", "yes" -> true;
            case "false", "0", "no" -> false;
            default ->
                throw ApiException.badRequest(
                        "query parameter '" + name + "' must be true or false, got '" + Body.abbreviate(value) + "'");
        };
    }

    private static String tenant(final ServerRequest req) {
        final String tenant = Params.queryText(req, "tenant");
        if (tenant != null
                && !ai.continuum.server.config.ServerConfig.TENANT_PATTERN
                        .matcher(tenant)
                        .matches()) {
            throw ApiException.badRequest("query parameter 'tenant' must be 1-128 letters, digits, '.', '_' or '-', "
                    + "starting with a letter or digit");
        }
        return tenant;
    }

    private void export(final ServerRequest req, final ServerResponse res) throws IOException {
        AuthFilter.requireAdmin(req);
        final String tenant = tenant(req);
        final boolean compress = flag(req, "compress");
        final boolean memories = flag(req, "include_memories");
        final String name = "continuum-export-" + FILE_TIME.format(Instant.now()) + (compress ? ".json.gz" : ".json");
        res.header(HeaderNames.CONTENT_TYPE, compress ? "application/gzip" : "application/json");
        res.header(HeaderNames.CONTENT_DISPOSITION, "attachment; filename=\"" + name + "\"");
        res.header(HeaderNames.CACHE_CONTROL, "no-store");
        // Once streaming has begun a failure can only cut the document short: its missing trailer makes every reader
        // reject it, so a cut export is never mistaken for a complete one.
        try (OutputStream out = res.outputStream()) {
            DataTransfer.export(core.exports(), out, compress, tenant, memories, TransferProgress.NONE);
        }
    }

    private void importDocument(final ServerRequest req, final ServerResponse res) throws IOException {
        AuthFilter.requireAdmin(req);
        final String modeText = Params.queryText(req, "mode");
        final ImportMode mode;
        if (modeText == null || modeText.equalsIgnoreCase("merge")) {
            mode = ImportMode.MERGE;
        } else if (modeText.equalsIgnoreCase("replace")) {
            mode = ImportMode.REPLACE;
        } else {
            throw ApiException.badRequest(
                    "query parameter 'mode' must be merge or replace, got '" + Body.abbreviate(modeText) + "'");
        }
        final String tenant = tenant(req);
        final String key = Idempotency.key(req);
        if (!req.content().hasEntity()) {
            throw ApiException.badRequest("request body is empty: expected an export document (JSON or gzip)");
        }
        final Path spool;
        try {
            OwnerOnly.directory(spoolDir);
            spool = Files.createTempFile(spoolDir, "import-", ".partial");
        } catch (final IOException e) {
            throw ApiException.unavailable(
                    "cannot store the import body on the server (" + e.getMessage() + "); nothing was imported", 30);
        }
        try {
            final String digest = spoolBody(req, spool);
            if (key != null) {
                // An import is idempotent by content already (a source imported is skipped); the key adds the
                // original answer for a retry, recorded once the import is done.
                idempotency.serve(
                        res,
                        AuthFilter.principal(req).tenant(),
                        key,
                        Idempotency.requestHash("POST /v1/admin/import", mode.name(), tenant, digest),
                        0,
                        200,
                        claim -> run(spool, mode, tenant));
                return;
            }
            Json.ok(res, run(spool, mode, tenant));
        } finally {
            Files.deleteIfExists(spool);
        }
    }

    private Map<String, Object> run(final Path spool, final ImportMode mode, final String tenant) {
        final List<TenantImport> results;
        try {
            results = DataTransfer.importFile(spool, mode, tenant, core::importState, TransferProgress.NONE);
        } catch (final InvalidDocumentException e) {
            throw ApiException.badRequest(e.getMessage().replace(spool.toString(), "the request body"));
        } catch (final SizeLimitExceededException e) {
            throw ErrorMapping.tooLarge(e);
        } catch (final UnverifiedContinuityException e) {
            throw new ApiException(409, "continuity_unverified", e.getMessage());
        } catch (final IllegalArgumentException e) {
            throw ApiException.invalid(e.getMessage());
        }
        return Map.of(
                "mode",
                mode.name().toLowerCase(Locale.ROOT),
                "tenants",
                results.stream().map(AdminTransferResource::view).toList());
    }

    /** Spools the body to {@code spool}; returns its SHA-256 (hex). */
    private static String spoolBody(final ServerRequest req, final Path spool) {
        final var declared = req.headers().first(HeaderNames.CONTENT_LENGTH);
        if (declared.isPresent() && Body.parseLength(declared.get()) > MAX_IMPORT_BYTES) {
            throw tooLarge();
        }
        final MessageDigest sha = Idempotency.sha256();
        try (InputStream in = req.content().inputStream();
                OutputStream out = Files.newOutputStream(spool)) {
            final byte[] buffer = new byte[1 << 16];
            long total = 0;
            int n;
            while ((n = in.read(buffer)) > 0) {
                total += n;
                if (total > MAX_IMPORT_BYTES) {
                    throw tooLarge();
                }
                out.write(buffer, 0, n);
                sha.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (final IOException e) {
            // The spool is on the server's disk: a full disk is the server's state, not a fault in the request, and
            // nothing was imported.
            throw ApiException.unavailable(
                    "cannot store the import body on the server (" + e.getMessage() + "); nothing was imported", 30);
        }
    }

    private static ApiException tooLarge() {
        return new ApiException(
                413,
                "payload_too_large",
                "an import body may hold at most " + MAX_IMPORT_BYTES + " bytes; import larger documents with the CLI");
    }

    record TenantImportView(
            String sourceTenant,
            String tenant,
            boolean applied,
            String skipReason,
            long items,
            long ops,
            long continuityLength) {}

    private static TenantImportView view(final TenantImport t) {
        return new TenantImportView(
                t.sourceTenant(), t.tenant(), t.applied(), t.skipReason(), t.items(), t.ops(), t.headLength());
    }
}
