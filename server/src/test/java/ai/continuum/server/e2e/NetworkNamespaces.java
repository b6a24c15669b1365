package ai.continuum.server.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Hosts of their own for child processes: one network namespace per host ({@code ip netns}), each joined by a veth
 * pair to a bridge in the test's namespace, with an address in a private /24 ({@code 10.201.N.0/24}; the bridge is
 * {@code .1}, the hosts {@code .10} upwards). A child runs in its host with {@link #prefix} ({@code ip netns exec}).
 *
 * <p>Without root or without {@code ip} (or when the kernel refuses), every host is {@code 127.0.0.1} and the prefix
 * is empty: {@link #isolated()} is false and {@link #create} says so on the test's output.
 *
 * <p>Names carry the creating JVM's pid ({@code cfit<pid>-<host>}, bridge {@code cfit<pid>b}, veths {@code
 * cfit<pid>h<i>}/{@code cfit<pid>n<i>}), so a run deletes the leftovers of killed runs (whose pid is gone) and never
 * those of a run still going. {@link #close} deletes what this run made, also after a failure.
 */
final class NetworkNamespaces implements AutoCloseable {
    private static final String PREFIX = "cfit";
    private static final String NET = "10.201.";

    private final String tag;
    private final Map<String, String> addresses = new LinkedHashMap<>();
    private final List<String> namespaces = new ArrayList<>();
    private boolean bridge;
    private final String fallbackReason;

    private NetworkNamespaces(final String tag, final String fallbackReason) {
        this.tag = tag;
        this.fallbackReason = fallbackReason;
    }

    /** One host per name, isolated when the machine allows it. */
    static NetworkNamespaces create(final String... hosts) {
        final String unavailable = unavailable();
        if (unavailable != null) {
            return loopback(hosts, unavailable);
        }
        removeStale();
        final NetworkNamespaces net =
                new NetworkNamespaces(PREFIX + ProcessHandle.current().pid(), null);
        try {
            net.build(hosts);
            System.out.println("network namespaces: " + net.addresses + " on " + net.tag + "b");
            return net;
        } catch (final IllegalStateException e) {
            net.close();
            return loopback(hosts, e.getMessage());
        }
    }

    private static NetworkNamespaces loopback(final String[] hosts, final String reason) {
        final NetworkNamespaces net = new NetworkNamespaces("", reason);
        for (final String host : hosts) {
            net.addresses.put(host, "127.0.0.1");
        }
        System.out.println("*** NETWORK NAMESPACES UNAVAILABLE (" + reason + "): FALLING BACK TO LOOPBACK PORTS;"
                + " every process runs on 127.0.0.1 ***");
        return net;
    }

    /** Why namespaces cannot be used here, or null when they can. */
    private static String unavailable() {
        try {
            if (!"0".equals(run("id", "-u").strip())) {
                return "not root";
            }
            run("ip", "-V");
            return null;
        } catch (final IllegalStateException e) {
            return e.getMessage();
        }
    }

    /** Deletes namespaces and bridges of runs whose JVM is gone. */
    private static void removeStale() {
        for (final String line : run("ip", "netns", "list").lines().toList()) {
            final String name = line.strip().split("\\s+", 2)[0];
            if (isStale(name)) {
                runQuietly("ip", "netns", "delete", name);
            }
        }
        for (final String line :
                run("ip", "-o", "link", "show", "type", "bridge").lines().toList()) {
            final String[] parts = line.split(":\\s*", 3);
            if (parts.length > 1 && isStale(parts[1].strip())) {
                runQuietly("ip", "link", "delete", parts[1].strip());
            }
        }
    }

    private static boolean isStale(final String name) {
        if (!name.startsWith(PREFIX)) {
            return false;
        }
        int end = PREFIX.length();
        while (end < name.length() && Character.isDigit(name.charAt(end))) {
            end++;
        }
        if (end == PREFIX.length()) {
            return false;
        }
        final long pid = Long.parseLong(name.substring(PREFIX.length(), end));
        return ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true);
    }

    private void build(final String[] hosts) {
        final String subnet = freeSubnet();
        final String br = tag + "b";
        run("ip", "link", "add", br, "type", "bridge");
        bridge = true;
        run("ip", "addr", "add", subnet + "1/24", "dev", br);
        run("ip", "link", "set", br, "up");
        for (int i = 0; i < hosts.length; i++) {
            final String ns = tag + "-" + hosts[i];
            final String outside = tag + "h" + i;
            final String inside = tag + "n" + i;
            final String address = subnet + (10 + i);
            run("ip", "netns", "add", ns);
            namespaces.add(ns);
            run("ip", "link", "add", outside, "type", "veth", "peer", "name", inside);
            run("ip", "link", "set", inside, "netns", ns);
            run("ip", "link", "set", outside, "master", br);
            run("ip", "link", "set", outside, "up");
            run("ip", "-n", ns, "addr", "add", address + "/24", "dev", inside);
            run("ip", "-n", ns, "link", "set", inside, "up");
            run("ip", "-n", ns, "link", "set", "lo", "up");
            addresses.put(hosts[i], address);
        }
    }

    /** A /24 under 10.201 no interface of this machine uses. */
    private String freeSubnet() {
        final String used = run("ip", "-o", "-4", "addr", "show");
        final long start = ProcessHandle.current().pid() % 250;
        for (int i = 0; i < 250; i++) {
            final String subnet = NET + (1 + (start + i) % 250) + ".";
            if (!used.contains(" " + subnet)) {
                return subnet;
            }
        }
        throw new IllegalStateException("no free /24 under " + NET + "0.0/16");
    }

    boolean isolated() {
        return fallbackReason == null;
    }

    /** The host's address: its own in its namespace, or 127.0.0.1. */
    String address(final String host) {
        return addresses.get(host);
    }

    /** What runs a command in the host's namespace (empty without namespaces). */
    List<String> prefix(final String host) {
        return isolated() ? List.of("ip", "netns", "exec", tag + "-" + host) : List.of();
    }

    @Override
    public void close() {
        for (final String ns : namespaces) {
            runQuietly("ip", "netns", "delete", ns);
        }
        namespaces.clear();
        if (bridge) {
            runQuietly("ip", "link", "delete", tag + "b");
            bridge = false;
        }
    }

    private static void runQuietly(final String... command) {
        try {
            run(command);
        } catch (final IllegalStateException e) {
            System.out.println("cleanup: " + e.getMessage());
        }
    }

    /** Runs a command; its output, or IllegalStateException with its output when it fails. */
    private static String run(final String... command) {
        try {
            final Process p =
                    new ProcessBuilder(command).redirectErrorStream(true).start();
            final String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " failed: " + out.strip());
            }
            return out;
        } catch (final IOException e) {
            throw new IllegalStateException(String.join(" ", command) + ": " + e.getMessage(), e);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: " + String.join(" ", command), e);
        }
    }
}
