package ai.continuum.server.federation.node;

import ai.continuum.server.config.FederationSettings;
import ai.continuum.server.core.ContinuumCore;
import ai.continuum.server.federation.GroupKey;
import ai.continuum.server.federation.LaplaceNoise;
import ai.continuum.server.federation.PatternPayload;
import ai.continuum.server.federation.RequestSignature;
import ai.continuum.server.metrics.ContinuumMetrics;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * This service as a member of a federation: it joins with an enrolment token, then syncs (on a background interval
 * and on demand) and leaves.
 *
 * <h2>A sync</h2>
 * <ol>
 *   <li><b>Contribute.</b> The tenant's shareable pairs ({@link SharedPairs}) are compared with what the coordinator
 *       acknowledged before: new or changed pairs are sent sealed, and acknowledged pairs that are gone (a forgotten
 *       concept, a pruned link, a rotated group key) are retracted, in batches. Each batch is recorded locally only
 *       after the coordinator's 200; the coordinator upserts by (pattern, node), so a batch re-sent after a lost
 *       answer or a coordinator crash changes nothing twice.</li>
 *   <li><b>Pull.</b> The released patterns are fetched page by page, opened with the group key (a payload whose names
 *       do not hash to its pattern id is dropped) and, once every page arrived, replace the stored federated
 *       patterns in one transaction, then the in-memory {@link FederatedIndex}. Patterns this node contributes itself
 *       are left out: they are local knowledge already.</li>
 * </ol>
 * A denied pull (403 {@code insufficient_contribution}) keeps the previous federated patterns.
 *
 * <h2>Replicas</h2>
 * The state lives in the main database ({@link FederatedStore}), so every process on one PostgreSQL database is the
 * same node. One sync (or join, or leave) runs at a time across them: it holds the store's lease, renewed after every
 * batch, and a process that finds it held skips its background sync or answers {@link SyncBusyException}. Every
 * process polls the store's version every {@value #REFRESH_MILLIS} ms and reloads the identity and the pulled
 * patterns when another process changed them.
 *
 * <p>Thread-safe.
 */
public final class FederationNode implements AutoCloseable, ContinuumMetrics.FederationLag {
    static final int BATCH = 500;
    private static final Logger LOG = Logger.getLogger(FederationNode.class.getName());
    private static final String LAST_SUCCESS = FederatedStore.LAST_SUCCESS;
    /** How often every process checks whether another one changed the shared federation state. */
    static final long REFRESH_MILLIS = 1_000;

    private final FederationSettings settings;
    private final ContinuumCore core;
    private final ContinuumMetrics metrics;
    private final LongSupplier clockMillis;
    private final FederatedStore store;
    private final GroupKey groupKey;
    private final CoordinatorClient client;
    private final LaplaceNoise noise;
    private final ReentrantLock syncLock = new ReentrantLock();
    private volatile FederatedIndex index;
    private volatile Optional<FederatedStore.Identity> identity;
    /** The store's version this process's {@link #identity} and {@link #index} were loaded at. */
    private volatile long loadedVersion;
    /** This process as a holder of the sync lease: its host and a random id (unique among the replicas). */
    private final String holder;

    private volatile long lastSuccessMillis;
    private volatile String lastError = "";
    private volatile String lastOutcome = "never";
    /** The coordinator's 403 body of the last denied pull. */
    private volatile JsonNode lastDenial;

    private volatile ScheduledExecutorService scheduler;

    public FederationNode(
            final FederationSettings settings,
            final DataSource pool,
            final ContinuumCore core,
            final ContinuumMetrics metrics,
            final LongSupplier clockMillis) {
        this.settings = settings;
        this.core = core;
        this.metrics = metrics;
        this.clockMillis = clockMillis;
        this.groupKey = GroupKey.fromFile(settings.groupKeyPath());
        this.client = new CoordinatorClient(
                settings.url(), settings.caFile().isEmpty() ? null : Path.of(settings.caFile()), clockMillis);
        this.noise = new LaplaceNoise(settings.epsilon());
        this.store = new FederatedStore(pool);
        this.holder = hostName() + "/" + UUID.randomUUID();
        reload();
        metrics.bindFederation(this);
        LOG.info(() -> "federation: coordinator " + settings.url() + ", group key " + groupKey.keyId() + ", tenant "
                + settings.tenant() + identity.map(i -> ", node " + i.nodeId()).orElse(", not joined yet"));
    }

    /** Starts following the shared state and, when an interval is configured, the background sync. */
    public void start() {
        final ScheduledExecutorService s = Executors.newScheduledThreadPool(
                2, Thread.ofPlatform().daemon().name("federation-", 0).factory());
        scheduler = s;
        // Both tasks catch their own failures, so neither is cancelled by one; shutdown stops them.
        final ScheduledFuture<?> unusedRefresh = s.scheduleWithFixedDelay(
                this::backgroundRefresh, REFRESH_MILLIS, REFRESH_MILLIS, TimeUnit.MILLISECONDS);
        if (settings.syncIntervalSeconds() > 0) {
            final ScheduledFuture<?> unusedSync = s.scheduleWithFixedDelay(
                    this::backgroundSync,
                    settings.syncIntervalSeconds(),
                    settings.syncIntervalSeconds(),
                    TimeUnit.SECONDS);
        }
    }

    private void backgroundSync() {
        if (identity.isEmpty()) {
            return;
        }
        try {
            sync();
        } catch (final SyncBusyException e) {
            LOG.fine(() -> "federation: background sync skipped: " + e.getMessage());
        } catch (final RuntimeException e) {
            LOG.log(Level.WARNING, "federation: background sync failed: " + e.getMessage());
        }
    }

    private void backgroundRefresh() {
        try {
            refresh();
        } catch (final RuntimeException e) {
            LOG.fine(() -> "federation: cannot check the shared state now: " + e.getMessage());
        }
    }

    /**
     * Reloads the identity and the pulled patterns when another process (a replica on the same database) changed
     * them since this one loaded them; always takes the last successful sync's time. One cheap read otherwise.
     */
    public void refresh() {
        final FederatedStore.Version v = store.version();
        lastSuccessMillis = v.lastSuccessMillis();
        if (v.version() != loadedVersion) {
            syncLock.lock();
            try {
                reload();
            } finally {
                syncLock.unlock();
            }
        }
    }

    /** Loads everything from the store; the version first, so a change racing the load is seen by the next poll. */
    private void reload() {
        final FederatedStore.Version v = store.version();
        final Optional<FederatedStore.Identity> id = store.identity();
        final FederatedIndex loaded = new FederatedIndex(store.federated());
        identity = id;
        index = loaded;
        lastSuccessMillis = v.lastSuccessMillis();
        loadedVersion = v.version();
    }

    /** Another process (a replica of this deployment) holds the sync lease now. */
    public static final class SyncBusyException extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        SyncBusyException(final FederatedStore.Lease lease) {
            super("another replica of this node (" + lease.holder() + ") is syncing with the federation; its lease "
                    + "ends by " + Instant.ofEpochMilli(lease.expiresAt()) + " at the latest; try again later");
        }
    }

    /** Runs {@code work} holding the sync lease (after the in-process lock), and gives the lease up afterwards. */
    private <T> T underLease(final java.util.function.Supplier<T> work) {
        syncLock.lock();
        try {
            if (!store.tryLease(holder, clockMillis.getAsLong(), leaseMillis())) {
                throw new SyncBusyException(store.lease());
            }
            try {
                // Another replica may have joined, left or pulled since this one last looked.
                reload();
                return work.get();
            } finally {
                try {
                    store.releaseLease(holder);
                } catch (final RuntimeException e) {
                    LOG.log(
                            Level.WARNING,
                            "federation: cannot release the sync lease (it expires on its own): " + e.getMessage());
                }
            }
        } finally {
            syncLock.unlock();
        }
    }

    /** Extends the lease during a long sync; fails when another replica took it over meanwhile. */
    private void renewLease() {
        if (!store.tryLease(holder, clockMillis.getAsLong(), leaseMillis())) {
            throw new FederatedStore.LeaseLostException(holder);
        }
    }

    private long leaseMillis() {
        return settings.syncLeaseSeconds() * 1000L;
    }

    private static String hostName() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (final java.net.UnknownHostException e) {
            return "unknown-host";
        }
    }

    public FederationSettings settings() {
        return settings;
    }

    public FederatedIndex index() {
        return index;
    }

    @Override
    public String nodeId() {
        return identity.map(FederatedStore.Identity::nodeId).orElse(null);
    }

    @Override
    public double lagSeconds() {
        final Optional<FederatedStore.Identity> id = identity;
        if (id.isEmpty()) {
            return 0;
        }
        final long since = lastSuccessMillis > 0 ? lastSuccessMillis : id.get().joinedAt();
        return Math.max(0, clockMillis.getAsLong() - since) / 1000.0;
    }

    /** Joins with an operator's enrolment token: a new key pair, whose public half the coordinator registers. */
    public FederatedStore.Identity join(final String enrolmentToken) {
        return underLease(() -> {
            if (identity.isPresent()) {
                throw new IllegalStateException(
                        "this node already joined as " + identity.get().nodeId() + "; leave first to join again");
            }
            final KeyPair keys = RequestSignature.newKeyPair();
            final String publicKey = RequestSignature.encodePublic(keys.getPublic());
            final CoordinatorClient.Reply reply =
                    client.post("/federation/join", Map.of("enrolment_token", enrolmentToken, "public_key", publicKey));
            if (!reply.ok()) {
                throw new RejectedException(reply);
            }
            final FederatedStore.Identity joined = new FederatedStore.Identity(
                    reply.json().path("node_id").asText(),
                    reply.json().path("org_id").asText(),
                    RequestSignature.encodePrivate(keys.getPrivate()),
                    publicKey,
                    clockMillis.getAsLong());
            store.saveIdentity(joined, holder);
            reload();
            LOG.info(() -> "federation: joined as node " + joined.nodeId() + " of " + joined.orgId());
            return joined;
        });
    }

    /**
     * Leaves: the coordinator retracts every contribution of this node and refuses it from then on; the pulled
     * patterns are removed here. A node the coordinator already refuses (revoked) leaves locally all the same.
     */
    public Map<String, Object> leave() {
        return underLease(() -> {
            final FederatedStore.Identity id = requireJoined();
            final CoordinatorClient.Reply reply = signed("POST", "/federation/leave", Map.of(), id);
            if (!reply.ok() && reply.status() != 403 && reply.status() != 401) {
                throw new RejectedException(reply);
            }
            store.clear(holder);
            reload();
            LOG.info(() -> "federation: node " + id.nodeId() + " left; pulled patterns removed");
            return Map.<String, Object>of("status", "left", "node_id", id.nodeId());
        });
    }

    /** What one sync did. */
    public record SyncReport(
            String status, int contributed, int retracted, int pulled, int federatedPatterns, JsonNode denial) {}

    /**
     * One sync round now (waits for a running one of this process to finish first).
     *
     * @throws SyncBusyException when another replica of this node is syncing.
     */
    public SyncReport sync() {
        return underLease(() -> {
            final FederatedStore.Identity id = requireJoined();
            try {
                final int[] contributed = contribute(id);
                markSuccess();
                final Optional<List<FederatedStore.Federated>> pulled = pull(id);
                if (pulled.isEmpty()) {
                    lastOutcome = "denied";
                    metrics.federationSync("denied");
                    return new SyncReport("denied", contributed[0], contributed[1], 0, index.size(), lastDenial);
                }
                store.replaceFederated(pulled.get(), clockMillis.getAsLong(), holder);
                index = new FederatedIndex(pulled.get());
                loadedVersion = store.version().version();
                markSuccess();
                lastOutcome = "success";
                lastError = "";
                metrics.federationSync("success");
                return new SyncReport(
                        "success", contributed[0], contributed[1], pulled.get().size(), index.size(), null);
            } catch (final RuntimeException e) {
                lastOutcome = "failure";
                lastError = e.getMessage();
                metrics.federationSync("failure");
                throw e;
            }
        });
    }

    /** Sends new and changed pairs and retracts gone ones; returns {contributed, retracted}. */
    private int[] contribute(final FederatedStore.Identity id) {
        final Map<String, SharedPairs.Pair> current =
                SharedPairs.of(core, settings.tenant(), settings.minLinkCount(), groupKey);
        final Map<String, FederatedStore.Contributed> acknowledged = store.contributed();
        final List<String> ids = new ArrayList<>();
        for (final Map.Entry<String, SharedPairs.Pair> e : current.entrySet()) {
            final FederatedStore.Contributed before = acknowledged.get(e.getKey());
            if (before == null || before.bucket() != e.getValue().payload().bucket()) {
                ids.add(e.getKey());
            }
        }
        final List<String> gone = new ArrayList<>();
        for (final String patternId : acknowledged.keySet()) {
            if (!current.containsKey(patternId)) {
                gone.add(patternId);
            }
        }
        int sent = 0;
        int retracted = 0;
        int g = 0;
        int i = 0;
        while (i < ids.size() || g < gone.size()) {
            final List<Map<String, Object>> patterns = new ArrayList<>();
            final List<FederatedStore.Contributed> records = new ArrayList<>();
            while (i < ids.size() && patterns.size() < BATCH) {
                final String patternId = ids.get(i++);
                final SharedPairs.Pair pair = current.get(patternId);
                final PatternPayload p = pair.payload();
                patterns.add(Map.of(
                        "pattern_id",
                        patternId,
                        "sealed",
                        Base64.getEncoder().encodeToString(groupKey.seal(patternId, p.encode())),
                        "weight",
                        noise.noisy(pair.count())));
                records.add(
                        new FederatedStore.Contributed(patternId, groupKey.keyId(), p.keyA(), p.keyB(), p.bucket()));
            }
            final List<String> retractions = new ArrayList<>();
            while (g < gone.size() && patterns.size() + retractions.size() < BATCH) {
                retractions.add(gone.get(g++));
            }
            final Map<String, Object> body = new LinkedHashMap<>();
            body.put("key_id", groupKey.keyId());
            body.put("patterns", patterns);
            body.put("retractions", retractions);
            final CoordinatorClient.Reply reply = signed("POST", "/federation/contribute", body, id);
            if (!reply.ok()) {
                throw new RejectedException(reply);
            }
            store.acknowledge(records, retractions, clockMillis.getAsLong(), holder);
            renewLease();
            sent += records.size();
            retracted += retractions.size();
            metrics.federationContributions("contributed", records.size());
            metrics.federationContributions("retracted", retractions.size());
        }
        return new int[] {sent, retracted};
    }

    /** Every released pattern, opened; empty when the gate denied the pull. */
    private Optional<List<FederatedStore.Federated>> pull(final FederatedStore.Identity id) {
        final Map<String, FederatedStore.Contributed> own = store.contributed();
        final List<FederatedStore.Federated> out = new ArrayList<>();
        String after = "";
        while (true) {
            final Map<String, Object> body = new HashMap<>();
            body.put("key_id", groupKey.keyId());
            body.put("limit", BATCH);
            if (!after.isEmpty()) {
                body.put("after", after);
            }
            final CoordinatorClient.Reply reply = signed("POST", "/federation/knowledge", body, id);
            if (reply.status() == 403 && "insufficient_contribution".equals(reply.error())) {
                lastDenial = reply.json();
                return Optional.empty();
            }
            if (!reply.ok()) {
                throw new RejectedException(reply);
            }
            metrics.federationPull();
            renewLease();
            for (final JsonNode p : reply.json().path("patterns")) {
                final String patternId = p.path("pattern_id").asText();
                if (!own.containsKey(patternId)) {
                    open(patternId, p).ifPresent(out::add);
                }
            }
            final JsonNode next = reply.json().path("next_after");
            if (!next.isTextual()) {
                return Optional.of(out);
            }
            after = next.asText();
        }
    }

    /**
     * Opens a released pattern's payloads; those that fail to open or whose names do not hash to the pattern id (a
     * member sealing a mismatched payload) are dropped. The strongest valid bucket is kept.
     */
    private Optional<FederatedStore.Federated> open(final String patternId, final JsonNode pattern) {
        PatternPayload best = null;
        for (final JsonNode sealed : pattern.path("sealed")) {
            try {
                final PatternPayload payload = PatternPayload.decode(
                        groupKey.open(patternId, Base64.getDecoder().decode(sealed.asText())));
                if (!groupKey.patternId(payload.keyA(), payload.keyB()).equals(patternId)) {
                    continue;
                }
                if (best == null || payload.bucket() > best.bucket()) {
                    best = payload;
                }
            } catch (final GeneralSecurityException | IllegalArgumentException e) {
                LOG.fine(() -> "federation: dropped a payload of pattern " + patternId + " that does not open");
            }
        }
        if (best == null) {
            return Optional.empty();
        }
        return Optional.of(new FederatedStore.Federated(
                patternId,
                best.keyA(),
                best.keyB(),
                best.nameA(),
                best.nameB(),
                best.bucket(),
                pattern.path("organisations").asInt(),
                pattern.path("weight").asDouble()));
    }

    /** This node's state here and, when reachable, at the coordinator. */
    public Map<String, Object> status() {
        final Map<String, Object> out = new LinkedHashMap<>(readiness());
        identity.ifPresent(id -> {
            try {
                final CoordinatorClient.Reply reply = signed("GET", "/federation/status", null, id);
                out.put("coordinator_status", reply.json());
            } catch (final CoordinatorClient.UnreachableException e) {
                out.put("coordinator_status", Map.of("error", "unreachable", "message", e.getMessage()));
            }
        });
        return out;
    }

    /** What {@code /v1/ready} shows: never the key, never a name. */
    public Map<String, Object> readiness() {
        final Map<String, Object> out = new LinkedHashMap<>();
        final Optional<FederatedStore.Identity> id = identity;
        out.put("status", id.isPresent() ? "joined" : "not_joined");
        out.put("coordinator", settings.url());
        out.put("node_id", id.map(FederatedStore.Identity::nodeId).orElse(null));
        out.put("org_id", id.map(FederatedStore.Identity::orgId).orElse(null));
        out.put("group_key_id", groupKey.keyId());
        out.put("tenant", settings.tenant());
        out.put("last_sync", lastOutcome);
        out.put(
                "last_success_at",
                lastSuccessMillis == 0
                        ? null
                        : Instant.ofEpochMilli(lastSuccessMillis).toString());
        out.put("sync_lag_seconds", id.isPresent() ? lagSeconds() : null);
        out.put("federated_patterns", index.size());
        out.put("contributed_patterns", store.contributedCount());
        out.put("last_error", lastError.isEmpty() ? null : lastError);
        return out;
    }

    private void markSuccess() {
        final long now = clockMillis.getAsLong();
        store.saveState(LAST_SUCCESS, Long.toString(now));
        lastSuccessMillis = now;
    }

    private FederatedStore.Identity requireJoined() {
        return identity.orElseThrow(() -> new IllegalStateException(
                "this node has not joined the federation: run continuum federation join --token <enrolment token>"));
    }

    private CoordinatorClient.Reply signed(
            final String method, final String path, final Object body, final FederatedStore.Identity id) {
        final PrivateKey key = RequestSignature.decodePrivate(id.privateKey());
        final CoordinatorClient.Reply reply = client.signed(method, path, body, id.nodeId(), key);
        if (reply.status() == 403 || reply.status() == 401 || reply.status() == 429) {
            metrics.federationDenial(reply.error());
        }
        return reply;
    }

    /** The coordinator refused a request; its status and error body are kept for the caller. */
    public static final class RejectedException extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final transient CoordinatorClient.Reply reply;

        RejectedException(final CoordinatorClient.Reply reply) {
            super("the federation coordinator answered " + reply.status() + " " + reply.error() + ": "
                    + reply.json().path("message").asText(""));
            this.reply = reply;
        }

        public CoordinatorClient.Reply reply() {
            return reply;
        }
    }

    @Override
    public void close() {
        final ScheduledExecutorService s = scheduler;
        if (s != null) {
            s.shutdownNow();
        }
        syncLock.lock();
        try {
            client.close();
        } finally {
            syncLock.unlock();
        }
    }
}
