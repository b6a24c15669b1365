package ai.continuum.server.cli;

import ai.continuum.server.config.ServerConfig;
import ai.continuum.server.http.Json;
import ai.continuum.server.storage.Storage;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code continuum verify}: recomputes each tenant's continuity hash chain from the stored change log and reports the
 * first break. Opens storage only (no engine rebuild), reads each chain in one statement, writes nothing, so it is
 * cheap and safe beside a running server.
 */
@Command(
        name = "verify",
        mixinStandardHelpOptions = true,
        description = {
            "Recompute each tenant's continuity hash chain from storage and report the first break.",
            "",
            "Proves: each tenant's change log is one unbroken chain. Every op's payload matches its digest, every "
                    + "hash follows from the one before, and sequence numbers have no gaps, so a change_log row changed, "
                    + "removed or inserted behind the API (without recomputing every hash after it) is found, with the seq "
                    + "where the chain first breaks.",
            "",
            "Does not prove: that the state tables (entities, attention_links, messages, ...) still match the log; "
                    + "an edit there, e.g. of attention_links.count, is invisible to the chain (a restart serves the edited "
                    + "state). Nor that the newest ops were not removed, or the whole log rewritten with recomputed hashes: "
                    + "the chain is not keyed, so only a head recorded elsewhere (this command's output, or GET "
                    + "/v1/continuity) can show that; compare the printed length and head with one you kept."
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:every chain verified is intact",
            "1:error (configuration, database unreachable)",
            "2:usage error",
            "3:a chain is broken (the output names the tenant, seq and problem)"
        })
final class VerifyCommand implements Callable<Integer> {
    /** Exit code when a chain is broken; distinct from 1 (could not check) so scripts can tell the two apart. */
    static final int EXIT_BROKEN = 3;

    @Mixin
    ConfigOptions options;

    @Option(names = "--tenant", paramLabel = "TENANT", description = "Verify only this tenant (default: all).")
    String tenant;

    @Option(names = "--json", description = "Print the result as JSON.")
    boolean json;

    /** One tenant's outcome; {@code brokenAtSeq} and {@code problem} are null when intact. */
    record TenantResult(
            String tenantId,
            boolean intact,
            long opsVerified,
            long storedOps,
            String head,
            long redactedOps,
            Long brokenAtSeq,
            String problem) {}

    record Result(boolean intact, List<TenantResult> tenants) {}

    @Override
    public Integer call() throws Exception {
        final ServerConfig config = options.load();
        final Result result;
        try (Storage storage = ExistingStorage.open(config)) {
            result = verify(storage, tenantsToVerify(storage, config));
        }
        if (json) {
            System.out.println(Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(result));
        } else {
            print(result);
        }
        return result.intact() ? 0 : EXIT_BROKEN;
    }

    private List<String> tenantsToVerify(final Storage storage, final ServerConfig config) {
        final List<String> stored = storage.tenants();
        if (tenant == null) {
            return stored;
        }
        final String t = Tenants.resolve(tenant, config);
        if (!stored.contains(t) && storage.continuity(t).length() == 0) {
            throw new IllegalArgumentException("no stored state for tenant '" + t + "'");
        }
        return List.of(t);
    }

    private static Result verify(final Storage storage, final List<String> tenants) {
        final List<TenantResult> results = new ArrayList<>(tenants.size());
        boolean intact = true;
        for (final String t : tenants) {
            final Storage.ContinuityCheck check = storage.verifyContinuity(t);
            final long stored = storage.continuity(t).length();
            intact &= check.intact();
            results.add(new TenantResult(
                    t,
                    check.intact(),
                    check.head().length(),
                    stored,
                    check.head().headHex(),
                    check.redactedOps(),
                    check.intact() ? null : check.brokenAtSeq(),
                    check.problem()));
        }
        return new Result(intact, results);
    }

    private static void print(final Result result) {
        if (result.tenants().isEmpty()) {
            System.out.println("no tenants stored; nothing to verify");
            return;
        }
        long broken = 0;
        for (final TenantResult r : result.tenants()) {
            if (r.intact()) {
                System.out.printf(
                        "[ok]     %s: %d ops verified, head %s%s%n",
                        r.tenantId(),
                        r.opsVerified(),
                        r.head(),
                        r.redactedOps() == 0 ? "" : " (" + r.redactedOps() + " redacted by forget, checked by digest)");
            } else {
                broken++;
                System.out.printf(
                        "[BROKEN] %s: at seq %d: %s; %d ops verified before it (head %s), %d stored%n",
                        r.tenantId(), r.brokenAtSeq(), r.problem(), r.opsVerified(), r.head(), r.storedOps());
            }
        }
        System.out.println(result.tenants().size() + " tenant(s) verified, " + broken + " broken");
    }
}
