package ai.continuum.server.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.openshift.api.model.monitoring.v1.PrometheusRule;
import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor;
import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * deploy/k8s: every overlay builds with {@code kubectl kustomize}; every rendered object deserializes into the
 * Kubernetes API model (fabric8) with no unknown field anywhere; and the policies the deployment promises hold for
 * every overlay (deploy/k8s/overlays/* and the per-platform deploy/k8s/cloud/*). Needs {@code kubectl} (with its built-in kustomize); without it the test is skipped loudly, unless
 * {@code CONTINUUM_TEST_REQUIRE_KUBECTL=true} (CI) makes that a failure.
 */
class KubernetesManifestsTest {
    /** The API's Deployment, Service and ServiceMonitor; the federation overlay adds the coordinator's beside them. */
    private static final String API = "continuum-api";

    private static final String COORDINATOR = "federation-coordinator";
    private static final Path DEPLOY =
            Path.of(System.getProperty("user.dir")).resolve("../deploy").normalize();
    private static final Map<String, Class<? extends HasMetadata>> KINDS = Map.ofEntries(
            Map.entry("v1/ServiceAccount", ServiceAccount.class),
            Map.entry("v1/Service", Service.class),
            Map.entry("v1/ConfigMap", ConfigMap.class),
            Map.entry("v1/PersistentVolumeClaim", PersistentVolumeClaim.class),
            Map.entry("apps/v1/Deployment", Deployment.class),
            Map.entry("batch/v1/CronJob", CronJob.class),
            Map.entry("autoscaling/v2/HorizontalPodAutoscaler", HorizontalPodAutoscaler.class),
            Map.entry("policy/v1/PodDisruptionBudget", PodDisruptionBudget.class),
            Map.entry("networking.k8s.io/v1/Ingress", Ingress.class),
            Map.entry("networking.k8s.io/v1/NetworkPolicy", NetworkPolicy.class),
            Map.entry("monitoring.coreos.com/v1/ServiceMonitor", ServiceMonitor.class),
            Map.entry("monitoring.coreos.com/v1/PrometheusRule", PrometheusRule.class));
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();
    private static final YAMLMapper YAML = new YAMLMapper(new YAMLFactory());

    /** Rendered objects per overlay name, typed and as YAML trees. */
    private static final Map<String, List<HasMetadata>> OVERLAYS = new LinkedHashMap<>();

    private static final Map<String, List<JsonNode>> RENDERED = new LinkedHashMap<>();

    @BeforeAll
    static void render() throws Exception {
        final boolean required = "true".equalsIgnoreCase(System.getenv("CONTINUUM_TEST_REQUIRE_KUBECTL"));
        final boolean present = kubectlPresent();
        if (!present) {
            System.err.println("KubernetesManifestsTest: SKIPPED: kubectl is not installed; deploy/k8s is NOT checked");
            assertFalse(required, "CONTINUUM_TEST_REQUIRE_KUBECTL=true but kubectl is not installed");
            Assumptions.abort("kubectl is not installed");
        }
        final List<Path> overlays = new ArrayList<>();
        for (final String parent : List.of("k8s/overlays", "k8s/cloud")) {
            try (Stream<Path> dirs = Files.list(DEPLOY.resolve(parent))) {
                for (final Path overlay : dirs.filter(d -> Files.exists(d.resolve("kustomization.yaml")))
                        .sorted()
                        .toList()) {
                    if (!isComponent(overlay)) {
                        overlays.add(overlay);
                    }
                }
            }
        }
        // Each kubectl run mostly waits on its own start-up, so all of them run at once (seven in a row took 5 s).
        final Map<Path, Future<String>> renders = new LinkedHashMap<>();
        try (ExecutorService kubectl = Executors.newVirtualThreadPerTaskExecutor()) {
            overlays.forEach(overlay -> renders.put(overlay, kubectl.submit(() -> kustomize(overlay))));
        }
        for (final Map.Entry<Path, Future<String>> render : renders.entrySet()) {
            final List<JsonNode> docs = documents(render.getValue().get());
            final String name = render.getKey().getFileName().toString();
            RENDERED.put(name, docs);
            OVERLAYS.put(name, typed(docs));
        }
        assertEquals(
                Set.of("development", "staging", "production", "federation", "aws", "gcp", "azure"), OVERLAYS.keySet());
    }

    @Test
    void everyObjectIsTheApiModelWithoutUnknownFields() {
        OVERLAYS.forEach((overlay, objects) -> {
            assertFalse(objects.isEmpty(), overlay);
            for (final HasMetadata o : objects) {
                final List<String> unknown = new ArrayList<>();
                unknownFields(o, o.getKind() + "/" + o.getMetadata().getName(), unknown, new IdentityHashMap<>());
                assertTrue(unknown.isEmpty(), overlay + ": unknown fields " + unknown);
            }
        });
    }

    @Test
    void unknownFieldsAreReported() throws IOException {
        // The validator itself: a misspelt field (readinesProbe) must be caught, not dropped.
        final String bad = "{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\",\"metadata\":{\"name\":\"x\"},"
                + "\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"c\",\"readinesProbe\":{}}]}}}}";
        final List<String> unknown = new ArrayList<>();
        unknownFields(JSON.readValue(bad, Deployment.class), "x", unknown, new IdentityHashMap<>());
        assertEquals(1, unknown.size(), unknown.toString());
        assertTrue(unknown.getFirst().contains("readinesProbe"), unknown.toString());
    }

    @Test
    void everyContainerIsBoundedNonRootAndReadOnly() {
        forEachPod((where, pod) -> {
            assertEquals(true, pod.getSecurityContext().getRunAsNonRoot(), where + " runAsNonRoot");
            assertTrue(
                    pod.getSecurityContext().getRunAsUser() != null
                            && pod.getSecurityContext().getRunAsUser() > 0,
                    where + " runAsUser");
            assertEquals(false, pod.getAutomountServiceAccountToken(), where + " service account token");
            for (final Container c : pod.getContainers()) {
                final var sc = c.getSecurityContext();
                assertNotNull(sc, where + " container securityContext");
                assertEquals(true, sc.getReadOnlyRootFilesystem(), where + " readOnlyRootFilesystem");
                assertEquals(false, sc.getAllowPrivilegeEscalation(), where + " allowPrivilegeEscalation");
                assertEquals(List.of("ALL"), sc.getCapabilities().getDrop(), where + " capabilities dropped");
                for (final String r : List.of("cpu", "memory")) {
                    assertNotNull(c.getResources().getLimits().get(r), where + " limit " + r);
                    assertNotNull(c.getResources().getRequests().get(r), where + " request " + r);
                }
                assertTrue(
                        c.getVolumeMounts().stream()
                                .anyMatch(m -> m.getMountPath().equals("/tmp")),
                        where + " writable /tmp");
            }
        });
    }

    @Test
    void apiContainersProbeTheRealEndpoints() {
        forEachObject(Deployment.class, (overlay, d) -> {
            if (!d.getMetadata().getName().equals(API)) {
                return; // the coordinator's probes: federationCoordinatorIsProbedBoundedAndPersistent
            }
            final Container c =
                    d.getSpec().getTemplate().getSpec().getContainers().getFirst();
            final Set<String> ports =
                    Set.copyOf(c.getPorts().stream().map(p -> p.getName()).toList());
            for (final Probe p : new Probe[] {c.getStartupProbe(), c.getLivenessProbe(), c.getReadinessProbe()}) {
                assertNotNull(p, overlay + ": startup, liveness and readiness probes");
                assertTrue(ports.contains(p.getHttpGet().getPort().getStrVal()), overlay + ": probe port");
            }
            assertEquals("/v1/ready", c.getReadinessProbe().getHttpGet().getPath());
            assertEquals("/v1/health", c.getLivenessProbe().getHttpGet().getPath());
            assertTrue(c.getLifecycle().getPreStop() != null, overlay + ": preStop");
            assertTrue(
                    d.getSpec().getTemplate().getSpec().getTerminationGracePeriodSeconds()
                            > c.getLifecycle().getPreStop().getSleep().getSeconds(),
                    overlay + ": grace covers preStop and drain");
        });
    }

    @Test
    void resourcesFollowTheSeedTable() {
        final Container prod = named(OVERLAYS.get("production"), Deployment.class, API)
                .getSpec()
                .getTemplate()
                .getSpec()
                .getContainers()
                .getFirst();
        assertEquals(new Quantity("500m"), prod.getResources().getRequests().get("cpu"));
        assertEquals(new Quantity("512Mi"), prod.getResources().getRequests().get("memory"));
        assertEquals(new Quantity("2000m"), prod.getResources().getLimits().get("cpu"));
        assertEquals(new Quantity("2Gi"), prod.getResources().getLimits().get("memory"));
        final Deployment dev = named(OVERLAYS.get("development"), Deployment.class, API);
        final Container devC =
                dev.getSpec().getTemplate().getSpec().getContainers().getFirst();
        assertEquals(new Quantity("100m"), devC.getResources().getRequests().get("cpu"));
        assertEquals(new Quantity("256Mi"), devC.getResources().getLimits().get("memory"));
        assertEquals(1, dev.getSpec().getReplicas(), "development: one replica");
        assertEquals("Recreate", dev.getSpec().getStrategy().getType(), "SQLite: never two pods on one database");
        assertTrue(
                devC.getEnv().stream()
                        .anyMatch(e -> e.getName().equals("CONTINUUM_STORAGE_BACKEND")
                                && e.getValue().equals("sqlite")),
                "development runs on SQLite");
        for (final String overlay : List.of("staging", "production", "aws", "gcp", "azure")) {
            final Deployment d = named(OVERLAYS.get(overlay), Deployment.class, API);
            assertEquals(
                    "0",
                    d.getSpec()
                                            .getStrategy()
                                            .getRollingUpdate()
                                            .getMaxUnavailable()
                                            .getStrVal()
                                    == null
                            ? String.valueOf(d.getSpec()
                                    .getStrategy()
                                    .getRollingUpdate()
                                    .getMaxUnavailable()
                                    .getIntVal())
                            : d.getSpec()
                                    .getStrategy()
                                    .getRollingUpdate()
                                    .getMaxUnavailable()
                                    .getStrVal(),
                    overlay);
            assertTrue(
                    d.getSpec().getTemplate().getSpec().getTopologySpreadConstraints().stream()
                            .anyMatch(t -> t.getTopologyKey().equals("topology.kubernetes.io/zone")),
                    overlay + ": zone spread");
        }
    }

    @Test
    void autoscalerTargetsTheDeploymentAtSeventyPercentCpu() {
        final HorizontalPodAutoscaler hpa = first(OVERLAYS.get("production"), HorizontalPodAutoscaler.class);
        final Deployment d = named(OVERLAYS.get("production"), Deployment.class, API);
        assertEquals("Deployment", hpa.getSpec().getScaleTargetRef().getKind());
        assertEquals(
                d.getMetadata().getName(), hpa.getSpec().getScaleTargetRef().getName());
        assertEquals(3, hpa.getSpec().getMinReplicas());
        assertEquals(50, hpa.getSpec().getMaxReplicas());
        assertEquals("cpu", hpa.getSpec().getMetrics().getFirst().getResource().getName());
        assertEquals(
                70,
                hpa.getSpec().getMetrics().getFirst().getResource().getTarget().getAverageUtilization());
        assertTrue(OVERLAYS.get("development").stream().noneMatch(o -> o instanceof HorizontalPodAutoscaler));
    }

    @Test
    void serviceSelectsTheApiPodsAndMonitorSelectsTheService() {
        OVERLAYS.forEach((overlay, objects) -> {
            final Deployment d = named(objects, Deployment.class, API);
            final Service s = named(objects, Service.class, API);
            final Map<String, String> podLabels =
                    d.getSpec().getTemplate().getMetadata().getLabels();
            assertTrue(
                    podLabels.entrySet().containsAll(s.getSpec().getSelector().entrySet()),
                    overlay + ": Service selector " + s.getSpec().getSelector() + " vs pod labels " + podLabels);
            assertTrue(matches(d.getSpec().getSelector(), podLabels), overlay + ": Deployment selector");
            final Set<String> containerPorts =
                    Set.copyOf(d.getSpec().getTemplate().getSpec().getContainers().getFirst().getPorts().stream()
                            .map(p -> p.getName())
                            .toList());
            assertTrue(containerPorts.contains(
                    s.getSpec().getPorts().getFirst().getTargetPort().getStrVal()));
            final ServiceMonitor m = named(objects, ServiceMonitor.class, API);
            assertTrue(
                    s.getMetadata()
                            .getLabels()
                            .entrySet()
                            .containsAll(
                                    m.getSpec().getSelector().getMatchLabels().entrySet()),
                    overlay + ": ServiceMonitor");
            assertEquals("/metrics", m.getSpec().getEndpoints().getFirst().getPath());
            objects.stream()
                    .filter(PodDisruptionBudget.class::isInstance)
                    .map(PodDisruptionBudget.class::cast)
                    .forEach(pdb -> assertTrue(matches(pdb.getSpec().getSelector(), podLabels), overlay + ": PDB"));
        });
    }

    @Test
    void networkPolicyDeniesByDefaultAndAdmitsPrometheusAndTheIngressController() {
        OVERLAYS.forEach((overlay, objects) -> {
            final Map<String, String> podLabels = podLabels(objects, API);
            final List<NetworkPolicy> policies = policies(objects);
            assertTrue(
                    policies.stream()
                            .anyMatch(p -> isEmpty(p.getSpec().getPodSelector().getMatchLabels())
                                    && isEmpty(p.getSpec().getPodSelector().getMatchExpressions())
                                    && p.getSpec().getPolicyTypes().containsAll(List.of("Ingress", "Egress"))
                                    && isEmpty(p.getSpec().getIngress())
                                    && isEmpty(p.getSpec().getEgress())),
                    overlay + ": default deny");
            final List<NetworkPolicyIngressRule> admitting = policies.stream()
                    .filter(p -> !isEmpty(p.getSpec().getIngress())
                            && matches(p.getSpec().getPodSelector(), podLabels))
                    .flatMap(p -> p.getSpec().getIngress().stream())
                    .toList();
            assertTrue(
                    admits(admitting, "monitoring", Map.of("app.kubernetes.io/name", "prometheus"), 8420),
                    overlay + ": Prometheus reaches /metrics");
            assertTrue(
                    admits(admitting, "ingress-nginx", Map.of("app.kubernetes.io/name", "ingress-nginx"), 8420),
                    overlay + ": the ingress controller reaches the API");
            assertFalse(admits(admitting, "default", Map.of("app", "anything"), 8420), overlay + ": others denied");
            final boolean dns = policies.stream()
                    .filter(p -> !isEmpty(p.getSpec().getEgress())
                            && matches(p.getSpec().getPodSelector(), podLabels))
                    .flatMap(p -> p.getSpec().getEgress().stream())
                    .anyMatch(r -> r.getPorts().stream()
                            .anyMatch(port -> port.getPort().getIntVal() == 53));
            assertTrue(dns, overlay + ": DNS egress");
        });
    }

    @Test
    void backupRunsTheSeedsLineDailyAtTwoOntoAVolume() {
        for (final String overlay : List.of("staging", "production", "aws", "gcp", "azure")) {
            final CronJob job = first(OVERLAYS.get(overlay), CronJob.class);
            assertEquals("0 2 * * *", job.getSpec().getSchedule());
            final PodSpec pod =
                    job.getSpec().getJobTemplate().getSpec().getTemplate().getSpec();
            final String script =
                    String.join(" ", pod.getContainers().getFirst().getArgs());
            assertTrue(script.contains("continuum export /backups/$(date +%Y%m%d).json.gz --compress"), script);
            assertTrue(script.contains("-mtime"), "retention: " + script);
            assertTrue(
                    pod.getVolumes().stream()
                            .anyMatch(v -> v.getPersistentVolumeClaim() != null
                                    && v.getName().equals("backups")),
                    overlay + ": backups on a PVC");
        }
    }

    @Test
    void cloudOverlaysReachTheManagedDatabaseAndMountItsCa() {
        for (final String cloud : List.of("aws", "gcp", "azure")) {
            final List<HasMetadata> objects = OVERLAYS.get(cloud);
            final boolean ipBlock = policies(objects).stream()
                    .filter(p -> !isEmpty(p.getSpec().getEgress()))
                    .flatMap(p -> p.getSpec().getEgress().stream())
                    .anyMatch(r -> r.getTo().stream().anyMatch(t -> t.getIpBlock() != null)
                            && r.getPorts().stream()
                                    .anyMatch(port -> port.getPort().getIntVal() == 5432));
            assertTrue(ipBlock, cloud + ": egress to the managed PostgreSQL by address");
            forEachPod((where, pod) -> {
                if (where.startsWith(cloud + "/")) {
                    assertTrue(
                            pod.getContainers().getFirst().getVolumeMounts().stream()
                                    .anyMatch(m -> m.getMountPath().equals("/etc/continuum/db-ca")),
                            where + ": database CA");
                }
            });
        }
    }

    @Test
    void ingressTerminatesTlsWithCertManager() {
        OVERLAYS.forEach((overlay, objects) -> {
            final Ingress ingress = first(objects, Ingress.class);
            assertNotNull(ingress.getMetadata().getAnnotations().get("cert-manager.io/cluster-issuer"), overlay);
            assertEquals(
                    ingress.getSpec().getRules().getFirst().getHost(),
                    ingress.getSpec().getTls().getFirst().getHosts().getFirst(),
                    overlay + ": TLS covers the host");
        });
    }

    @Test
    void prometheusRuleCarriesExactlyTheCheckedAlertFile() throws IOException {
        final JsonNode alerts =
                YAML.readTree(DEPLOY.resolve("monitoring/alerts.yml").toFile());
        // Compared as rendered YAML: the model types expr as IntOrString, which does not round-trip as text.
        RENDERED.forEach((overlay, docs) -> {
            final JsonNode rule = docs.stream()
                    .filter(d -> d.path("kind").asText().equals("PrometheusRule"))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError(overlay + ": no PrometheusRule"));
            assertEquals(
                    alerts,
                    rule.get("spec"),
                    overlay + ": deploy/k8s/base/prometheusrule.yaml spec differs from deploy/monitoring/alerts.yml");
        });
    }

    @Test
    void noSecretValuesInTheManifests() {
        OVERLAYS.forEach((overlay, objects) -> assertTrue(
                objects.stream().noneMatch(o -> o.getKind().equals("Secret")),
                overlay + ": secrets come by reference (External Secrets, Sealed Secrets), never from the repository"));
    }

    @Test
    void podsServeTlsFromAMountedSecretEverywhereButDevelopment() {
        OVERLAYS.forEach((overlay, objects) -> {
            final Deployment deployment = named(objects, Deployment.class, API);
            final PodSpec pod = deployment.getSpec().getTemplate().getSpec();
            final Container api = pod.getContainers().getFirst();
            final Map<String, String> env = env(api);
            final ServiceMonitor monitor = named(objects, ServiceMonitor.class, API);
            final String scheme = monitor.getSpec().getEndpoints().getFirst().getScheme();
            if (overlay.equals("development") || overlay.equals("federation")) { // one pod, plain HTTP
                assertFalse(env.containsKey("CONTINUUM_TLS_CERTIFICATE"), overlay);
                return;
            }
            final String certificate = env.get("CONTINUUM_TLS_CERTIFICATE");
            final String key = env.get("CONTINUUM_TLS_PRIVATE_KEY");
            assertNotNull(certificate, overlay + ": the API serves TLS");
            assertNotNull(key, overlay);
            final var mount = api.getVolumeMounts().stream()
                    .filter(m ->
                            certificate.startsWith(m.getMountPath() + "/") && key.startsWith(m.getMountPath() + "/"))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError(overlay + ": no mount holds " + certificate));
            assertEquals(true, mount.getReadOnly(), overlay + ": the certificate mount is read-only");
            final var volume = pod.getVolumes().stream()
                    .filter(v -> v.getName().equals(mount.getName()))
                    .findFirst()
                    .orElseThrow();
            assertNotNull(volume.getSecret(), overlay + ": the certificate comes from a Secret");
            for (final Probe probe : List.of(api.getStartupProbe(), api.getLivenessProbe(), api.getReadinessProbe())) {
                assertEquals("HTTPS", probe.getHttpGet().getScheme(), overlay + ": probes speak TLS");
            }
            assertEquals("https", scheme, overlay + ": Prometheus scrapes over TLS");
            assertEquals(
                    volume.getSecret().getSecretName(),
                    monitor.getSpec()
                            .getEndpoints()
                            .getFirst()
                            .getTlsConfig()
                            .getCa()
                            .getSecret()
                            .getName(),
                    overlay + ": Prometheus verifies the pods' certificate with the CA of the mounted Secret");
            final Ingress ingress = first(objects, Ingress.class);
            assertEquals(
                    "HTTPS",
                    ingress.getMetadata().getAnnotations().get("nginx.ingress.kubernetes.io/backend-protocol"),
                    overlay + ": the ingress controller speaks TLS to the pods");
            assertTrue(
                    ingress.getMetadata()
                            .getAnnotations()
                            .get("nginx.ingress.kubernetes.io/proxy-ssl-secret")
                            .startsWith(deployment.getMetadata().getNamespace() + "/"),
                    overlay + ": the ingress verifies the pods with the CA of its own namespace's Secret");
        });
    }

    @Test
    void federationCoordinatorIsProbedBoundedAndPersistent() {
        final List<HasMetadata> objects = OVERLAYS.get("federation");
        final Deployment d = named(objects, Deployment.class, COORDINATOR);
        assertEquals(1, d.getSpec().getReplicas(), "one process owns coordinator.db");
        assertEquals("Recreate", d.getSpec().getStrategy().getType(), "never two pods on one SQLite database");
        final PodSpec pod = d.getSpec().getTemplate().getSpec();
        final Container c = pod.getContainers().getFirst();
        assertEquals(List.of("federation", "coordinator"), c.getArgs());
        final var port = c.getPorts().stream()
                .filter(p -> p.getContainerPort() == 8421)
                .findFirst()
                .orElseThrow(() -> new AssertionError("the coordinator listens on 8421"));
        for (final Probe p : List.of(c.getStartupProbe(), c.getLivenessProbe(), c.getReadinessProbe())) {
            assertEquals(port.getName(), p.getHttpGet().getPort().getStrVal(), "probe port");
            assertEquals("HTTPS", p.getHttpGet().getScheme(), "the coordinator serves TLS only");
        }
        assertEquals("/health", c.getStartupProbe().getHttpGet().getPath());
        assertEquals("/health", c.getLivenessProbe().getHttpGet().getPath());
        assertEquals("/ready", c.getReadinessProbe().getHttpGet().getPath());
        final Map<String, String> env = env(c);
        assertEquals("0.0.0.0", env.get("CONTINUUM_COORDINATOR_HOST"), "reachable through its Service");
        for (final String name : env.keySet()) {
            if (name.contains("TOKEN") || name.contains("PASSWORD")) {
                assertTrue(name.endsWith("_FILE"), name + ": secrets are read from mounted files");
            }
        }
        final var data = volumeAt(pod, c, env.get("CONTINUUM_COORDINATOR_DATA_DIR") + "/coordinator.db");
        assertNotNull(data.getPersistentVolumeClaim(), "coordinator.db on a PVC");
        assertTrue(
                objects.stream()
                        .anyMatch(o -> o instanceof PersistentVolumeClaim
                                && o.getMetadata()
                                        .getName()
                                        .equals(data.getPersistentVolumeClaim().getClaimName())),
                "the data PVC is part of the overlay");
        for (final String file : List.of(
                "CONTINUUM_COORDINATOR_TLS_KEYSTORE",
                "CONTINUUM_COORDINATOR_TLS_PASSWORD_FILE",
                "CONTINUUM_COORDINATOR_OPERATOR_TOKEN_FILE")) {
            assertNotNull(env.get(file), file);
            assertNotNull(volumeAt(pod, c, env.get(file)).getSecret(), file + " comes from a Secret");
        }
        final Service s = named(objects, Service.class, COORDINATOR);
        assertTrue(matches(
                d.getSpec().getSelector(),
                d.getSpec().getTemplate().getMetadata().getLabels()));
        assertTrue(d.getSpec()
                .getTemplate()
                .getMetadata()
                .getLabels()
                .entrySet()
                .containsAll(s.getSpec().getSelector().entrySet()));
        assertEquals(
                port.getName(),
                s.getSpec().getPorts().getFirst().getTargetPort().getStrVal());
        final ServiceMonitor m = named(objects, ServiceMonitor.class, COORDINATOR);
        assertTrue(s.getMetadata()
                .getLabels()
                .entrySet()
                .containsAll(m.getSpec().getSelector().getMatchLabels().entrySet()));
        final var endpoint = m.getSpec().getEndpoints().getFirst();
        assertEquals("/metrics", endpoint.getPath());
        assertEquals("https", endpoint.getScheme());
        assertEquals(
                volumeAt(pod, c, env.get("CONTINUUM_COORDINATOR_TLS_KEYSTORE"))
                        .getSecret()
                        .getSecretName(),
                endpoint.getTlsConfig().getCa().getSecret().getName(),
                "Prometheus checks the coordinator's certificate with the CA of its TLS Secret");
    }

    @Test
    void federationCoordinatorAdmitsOnlyMemberNodesAndPrometheus() {
        final List<HasMetadata> objects = OVERLAYS.get("federation");
        final Map<String, String> coordinator = podLabels(objects, COORDINATOR);
        final Map<String, String> member = podLabels(objects, API);
        final List<NetworkPolicy> policies = policies(objects).stream()
                .filter(p -> matches(p.getSpec().getPodSelector(), coordinator))
                .toList();
        final List<NetworkPolicyIngressRule> admitting = policies.stream()
                .filter(p -> !isEmpty(p.getSpec().getIngress()))
                .flatMap(p -> p.getSpec().getIngress().stream())
                .toList();
        final String namespace =
                named(objects, Deployment.class, COORDINATOR).getMetadata().getNamespace();
        assertTrue(admits(admitting, namespace, member, 8421), "the member node beside it");
        assertTrue(admits(admitting, "org-b", member, 8421), "a member node of another namespace");
        assertTrue(
                admits(admitting, "monitoring", Map.of("app.kubernetes.io/name", "prometheus"), 8421),
                "Prometheus reaches /metrics");
        final Map<String, String> notMember = new LinkedHashMap<>(member);
        notMember.remove("continuum.ai/federation");
        assertFalse(admits(admitting, namespace, notMember, 8421), "a Continuum pod that is not a member");
        assertFalse(
                admits(admitting, "ingress-nginx", Map.of("app.kubernetes.io/name", "ingress-nginx"), 8421),
                "the ingress controller");
        assertFalse(admits(admitting, namespace, Map.of("app", "anything"), 8421), "any other pod");
        assertFalse(admits(admitting, namespace, member, 8420), "other ports");
        // Egress: the namespace's default deny, and no policy opens any for the coordinator.
        assertTrue(
                policies(objects).stream()
                        .filter(p -> matches(p.getSpec().getPodSelector(), coordinator))
                        .allMatch(p -> isEmpty(p.getSpec().getEgress())),
                "the coordinator opens no connection");
        // The member may reach it: an egress rule from its pods to the coordinator's on 8421.
        final boolean egress = policies(objects).stream()
                .filter(p ->
                        !isEmpty(p.getSpec().getEgress()) && matches(p.getSpec().getPodSelector(), member))
                .flatMap(p -> p.getSpec().getEgress().stream())
                .anyMatch(r -> r.getPorts().stream()
                                .anyMatch(port -> port.getPort().getIntVal() == 8421)
                        && r.getTo().stream()
                                .anyMatch(t -> t.getPodSelector() != null && matches(t.getPodSelector(), coordinator)));
        assertTrue(egress, "member pods -> coordinator 8421");
    }

    @Test
    void federationMembersReadTheirKeyFromASecretAndKeepTheirIdentity() {
        OVERLAYS.forEach((overlay, objects) -> {
            final Deployment d = named(objects, Deployment.class, API);
            final PodSpec pod = d.getSpec().getTemplate().getSpec();
            final Container c = pod.getContainers().getFirst();
            final Map<String, String> env = env(c);
            final String url = env.get("CONTINUUM_FEDERATION_URL");
            if (url == null) {
                assertFalse(overlay.equals("federation"), "the federation overlay's node joins its coordinator");
                return;
            }
            final Service coordinator = named(objects, Service.class, COORDINATOR);
            assertEquals(
                    "https://" + coordinator.getMetadata().getName() + ":"
                            + coordinator.getSpec().getPorts().getFirst().getPort(),
                    url,
                    overlay + ": the coordinator's Service, over TLS");
            // The node id and signing key live in the main database (migration V10): on this SQLite shape, the
            // one pod's persistent data volume.
            assertEquals(1, d.getSpec().getReplicas(), overlay + ": one member pod");
            assertNotNull(volumeAt(pod, c, "/data/continuum.db").getPersistentVolumeClaim(), overlay);
            for (final String file : List.of("CONTINUUM_FEDERATION_GROUP_KEY_FILE", "CONTINUUM_FEDERATION_CA_FILE")) {
                assertNotNull(env.get(file), overlay + ": " + file);
                final var volume = volumeAt(pod, c, env.get(file));
                assertNotNull(volume.getProjected(), overlay + ": " + file);
            }
            final var key = volumeAt(pod, c, env.get("CONTINUUM_FEDERATION_GROUP_KEY_FILE"));
            assertTrue(
                    key.getProjected().getSources().stream()
                            .anyMatch(src -> src.getSecret() != null
                                    && src.getSecret().getItems().stream()
                                            .anyMatch(i -> env.get("CONTINUUM_FEDERATION_GROUP_KEY_FILE")
                                                    .endsWith("/" + i.getPath()))),
                    overlay + ": the group key comes from a Secret");
            assertTrue(
                    env.keySet().stream().noneMatch(n -> n.equals("CONTINUUM_FEDERATION_GROUP_KEY")),
                    overlay + ": never the key itself in the environment");
        });
    }

    /** The volume behind the mount that holds {@code path}; a mount that must be read-only unless it is data. */
    private static Volume volumeAt(final PodSpec pod, final Container c, final String path) {
        final var mount = c.getVolumeMounts().stream()
                .filter(m -> path.startsWith(m.getMountPath() + "/"))
                .max(Comparator.comparingInt(m -> m.getMountPath().length()))
                .orElseThrow(() -> new AssertionError("no mount holds " + path));
        final var volume = pod.getVolumes().stream()
                .filter(v -> v.getName().equals(mount.getName()))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no volume " + mount.getName()));
        if (volume.getPersistentVolumeClaim() == null) {
            assertEquals(true, mount.getReadOnly(), path + ": secrets are mounted read-only");
        }
        return volume;
    }

    // ---- helpers

    private interface PodVisitor {
        void visit(String where, PodSpec pod);
    }

    private static void forEachPod(final PodVisitor visitor) {
        OVERLAYS.forEach((overlay, objects) -> {
            for (final HasMetadata o : objects) {
                if (o instanceof Deployment d) {
                    visitor.visit(
                            overlay + "/Deployment", d.getSpec().getTemplate().getSpec());
                } else if (o instanceof CronJob j) {
                    visitor.visit(
                            overlay + "/CronJob",
                            j.getSpec().getJobTemplate().getSpec().getTemplate().getSpec());
                }
            }
        });
    }

    private interface ObjectVisitor<T> {
        void visit(String overlay, T object);
    }

    private static <T> void forEachObject(final Class<T> type, final ObjectVisitor<T> visitor) {
        OVERLAYS.forEach((overlay, objects) ->
                objects.stream().filter(type::isInstance).map(type::cast).forEach(o -> visitor.visit(overlay, o)));
    }

    private static boolean isComponent(final Path dir) throws IOException {
        return YAML.readTree(dir.resolve("kustomization.yaml").toFile())
                .path("kind")
                .asText()
                .equals("Component");
    }

    private static boolean isEmpty(final Object collectionOrMap) {
        return collectionOrMap == null
                || (collectionOrMap instanceof Collection<?> c && c.isEmpty())
                || (collectionOrMap instanceof Map<?, ?> m && m.isEmpty());
    }

    private static Map<String, String> podLabels(final List<HasMetadata> objects, final String deployment) {
        return named(objects, Deployment.class, deployment)
                .getSpec()
                .getTemplate()
                .getMetadata()
                .getLabels();
    }

    /** A container's literal environment values by name (null for values taken from elsewhere). */
    private static Map<String, String> env(final Container c) {
        final Map<String, String> env = new LinkedHashMap<>();
        c.getEnv().forEach(e -> env.put(e.getName(), e.getValue()));
        return env;
    }

    private static List<NetworkPolicy> policies(final List<HasMetadata> objects) {
        return objects.stream()
                .filter(NetworkPolicy.class::isInstance)
                .map(NetworkPolicy.class::cast)
                .toList();
    }

    private static <T extends HasMetadata> T named(
            final List<HasMetadata> objects, final Class<T> type, final String name) {
        return objects.stream()
                .filter(type::isInstance)
                .map(type::cast)
                .filter(o -> o.getMetadata().getName().equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + type.getSimpleName() + " " + name));
    }

    private static <T> T first(final List<HasMetadata> objects, final Class<T> type) {
        return objects.stream()
                .filter(type::isInstance)
                .map(type::cast)
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + type.getSimpleName()));
    }

    private static boolean matches(final LabelSelector selector, final Map<String, String> labels) {
        if (selector.getMatchLabels() != null
                && !labels.entrySet().containsAll(selector.getMatchLabels().entrySet())) {
            return false;
        }
        if (selector.getMatchExpressions() != null) {
            for (final var e : selector.getMatchExpressions()) {
                final boolean in =
                        labels.containsKey(e.getKey()) && e.getValues().contains(labels.get(e.getKey()));
                if (!switch (e.getOperator()) {
                    case "In" -> in;
                    case "NotIn" -> !in;
                    case "Exists" -> labels.containsKey(e.getKey());
                    case "DoesNotExist" -> !labels.containsKey(e.getKey());
                    default -> false;
                }) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Whether a pod labelled {@code labels} in namespace {@code namespace} may reach {@code port}. */
    private static boolean admits(
            final List<NetworkPolicyIngressRule> rules,
            final String namespace,
            final Map<String, String> labels,
            final int port) {
        for (final NetworkPolicyIngressRule r : rules) {
            final boolean portOk = r.getPorts() == null
                    || r.getPorts().stream()
                            .anyMatch(p -> p.getPort() != null
                                    && p.getPort().getIntVal() != null
                                    && p.getPort().getIntVal() == port);
            if (!portOk) {
                continue;
            }
            for (final NetworkPolicyPeer peer : r.getFrom()) {
                final boolean ns = peer.getNamespaceSelector() != null
                        && matches(peer.getNamespaceSelector(), Map.of("kubernetes.io/metadata.name", namespace));
                final boolean pod = peer.getPodSelector() == null || matches(peer.getPodSelector(), labels);
                if (ns && pod) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Collects every non-empty {@code additionalProperties} (fields the model does not know) under {@code value}. */
    private static void unknownFields(
            final Object value,
            final String path,
            final List<String> out,
            final IdentityHashMap<Object, Boolean> seen) {
        if (value == null || seen.put(value, Boolean.TRUE) != null) {
            return;
        }
        if (value instanceof Collection<?> c) {
            int i = 0;
            for (final Object item : c) {
                unknownFields(item, path + "[" + i++ + "]", out, seen);
            }
            return;
        }
        if (value instanceof Map<?, ?> m) {
            m.forEach((k, v) -> unknownFields(v, path + "." + k, out, seen));
            return;
        }
        if (!value.getClass().getName().startsWith("io.fabric8.")) {
            return;
        }
        for (final Method getter : value.getClass().getMethods()) {
            if (getter.getParameterCount() != 0
                    || Modifier.isStatic(getter.getModifiers())
                    || !getter.getName().startsWith("get")
                    || getter.getDeclaringClass() == Object.class) {
                continue;
            }
            final Object child;
            try {
                child = getter.invoke(value);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(getter.toString(), e);
            }
            if (getter.getName().equals("getAdditionalProperties")) {
                if (child instanceof Map<?, ?> extra && !extra.isEmpty()) {
                    out.add(path + ": " + extra.keySet());
                }
            } else {
                unknownFields(child, path + "." + getter.getName().substring(3), out, seen);
            }
        }
    }

    private static List<JsonNode> documents(final String yaml) throws IOException {
        final List<JsonNode> out = new ArrayList<>();
        try (var parser = YAML.getFactory().createParser(yaml)) {
            for (final var it = YAML.readValues(parser, JsonNode.class); it.hasNext(); ) {
                final JsonNode doc = it.next();
                if (doc != null && !doc.isEmpty()) {
                    out.add(doc);
                }
            }
        }
        return out;
    }

    private static List<HasMetadata> typed(final List<JsonNode> docs) throws IOException {
        final List<HasMetadata> out = new ArrayList<>();
        for (final JsonNode doc : docs) {
            final String key =
                    doc.path("apiVersion").asText() + "/" + doc.path("kind").asText();
            final Class<? extends HasMetadata> type = KINDS.get(key);
            if (type == null) {
                fail("rendered object of a kind this test does not model: " + key
                        + " (add its fabric8 model class to KINDS)");
            }
            out.add(JSON.treeToValue(doc, type));
        }
        return out;
    }

    private static boolean kubectlPresent() {
        try {
            final Process p = new ProcessBuilder("kubectl", "version", "--client")
                    .redirectErrorStream(true)
                    .start();
            p.getInputStream().readAllBytes();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static String kustomize(final Path overlay) throws IOException, InterruptedException {
        final Process p = new ProcessBuilder("kubectl", "kustomize", overlay.toString()).start();
        final byte[] err;
        final String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        err = p.getErrorStream().readAllBytes();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "kubectl kustomize " + overlay + " timed out");
        assertEquals(0, p.exitValue(), "kubectl kustomize " + overlay + ": " + new String(err, StandardCharsets.UTF_8));
        return out;
    }
}
