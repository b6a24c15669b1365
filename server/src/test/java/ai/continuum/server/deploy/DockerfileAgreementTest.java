package ai.continuum.server.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * The two ways to build the image (Jib in server/pom.xml, deploy/Dockerfile) must produce the same container: base,
 * user, port, volume, environment, working directory, entry point and arguments. Parses both files; a change to one
 * without the other fails here.
 */
class DockerfileAgreementTest {
    private static Element jib;
    private static Map<String, String> pomProperties;
    private static List<String[]> dockerfile;

    @BeforeAll
    static void parse() throws Exception {
        final Path server = Path.of(System.getProperty("user.dir"));
        final var doc = DocumentBuilderFactory.newInstance()
                .newDocumentBuilder()
                .parse(server.resolve("pom.xml").toFile());
        pomProperties = new LinkedHashMap<>();
        final Node props = doc.getElementsByTagName("properties").item(0);
        for (Node n = props.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e) {
                pomProperties.put(e.getTagName(), e.getTextContent().trim());
            }
        }
        final NodeList plugins = doc.getElementsByTagName("plugin");
        for (int i = 0; i < plugins.getLength(); i++) {
            final Element p = (Element) plugins.item(i);
            if ("jib-maven-plugin".equals(text(p, "artifactId"))) {
                jib = (Element) p.getElementsByTagName("configuration").item(0);
            }
        }
        assertTrue(jib != null, "server/pom.xml configures jib-maven-plugin");
        dockerfile = instructions(server.resolve("../deploy/Dockerfile"));
    }

    @Test
    void sameBaseImage() {
        final List<String> froms = values("FROM");
        final String runtime = froms.getLast();
        assertEquals(pomProperties.get("continuum.image.base"), runtime);
        assertTrue(
                froms.getFirst().contains("temurin-" + runtime.replaceAll("\\D*(\\d+).*", "$1")),
                "the build stage uses the runtime's JDK major version: " + froms.getFirst());
    }

    @Test
    void sameUserPortVolumeAndWorkingDirectory() {
        final Element container = child(jib, "container");
        assertEquals(text(container, "user"), single("USER"));
        assertEquals(
                List.of(text(child(container, "ports"), "port")),
                List.of(single("EXPOSE").split("\\s+")));
        assertEquals(text(child(container, "volumes"), "volume"), single("VOLUME"));
        assertEquals(text(container, "workingDirectory"), single("WORKDIR"));
    }

    @Test
    void sameEntryPointAndArguments() {
        final Element container = child(jib, "container");
        assertEquals(
                jsonArray(childTexts(child(container, "entrypoint"))),
                single("ENTRYPOINT").replace(" ", ""));
        assertEquals(
                jsonArray(childTexts(child(container, "args"))), single("CMD").replace(" ", ""));
    }

    @Test
    void sameEnvironment() {
        final Map<String, String> fromPom = new LinkedHashMap<>();
        final Element env = child(child(jib, "container"), "environment");
        for (Node n = env.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e) {
                fromPom.put(e.getTagName(), e.getTextContent().trim());
            }
        }
        final Map<String, String> fromDockerfile = new LinkedHashMap<>();
        final Matcher m = Pattern.compile("(\\w+)=(\\S+)").matcher(single("ENV"));
        while (m.find()) {
            fromDockerfile.put(m.group(1), m.group(2));
        }
        assertEquals(fromPom, fromDockerfile);
    }

    @Test
    void dockerfileCopiesWhatJibAdds() {
        final String copies = String.join("\n", values("COPY"));
        assertTrue(copies.contains("server/src/main/jib/ /"), "the Jib extra directory (CLI script, /data): " + copies);
        assertTrue(
                copies.contains("/app/libs/")
                        && copies.contains("/app/classpath/")
                        && copies.contains("/app/continuum-jvm.flags"),
                "Jib's packaged layout: " + copies);
    }

    /**
     * Jib cannot declare a HEALTHCHECK, so the Dockerfile's and the compose file's must be the one command the launcher
     * answers from the server's heartbeat file before any JVM is started (a second JVM beside a server at 256 MiB
     * took the container over its memory limit). The heartbeat file itself is in the environment both builds set.
     */
    @Test
    void theHealthCheckIsTheLauncherCommandThatStartsNoJvm() throws IOException {
        final String healthcheck = single("HEALTHCHECK");
        assertEquals(
                "[\"continuum\",\"healthcheck\"]",
                healthcheck.substring(healthcheck.indexOf("CMD") + 3).replace(" ", ""));
        final Path server = Path.of(System.getProperty("user.dir"));
        final String compose = Files.readString(server.resolve("../deploy/compose.yaml"));
        assertTrue(
                compose.contains("test: [\"CMD\", \"continuum\", \"healthcheck\"]"),
                "deploy/compose.yaml runs the image's health check");
        final String launcher = Files.readString(server.resolve("src/main/jib/usr/local/bin/continuum"));
        final int answered = launcher.indexOf("if [ \"${1:-}\" = healthcheck ]; then");
        assertTrue(
                answered > 0 && answered < launcher.indexOf("exec \"$JAVA\""),
                "the launcher answers healthcheck before it starts java");
        assertTrue(single("ENV").contains("CONTINUUM_HEARTBEAT_FILE=/tmp/"), "the heartbeat is kept in /tmp");
    }

    /** The value of the instruction in the runtime (last) stage, which must have exactly one. */
    private static String single(final String instruction) {
        final List<String> all = valuesInRuntimeStage(instruction);
        assertEquals(1, all.size(), "deploy/Dockerfile's runtime stage has one " + instruction);
        return all.getFirst();
    }

    private static List<String> values(final String instruction) {
        final List<String> out = new ArrayList<>();
        for (final String[] i : dockerfile) {
            if (i[0].equals(instruction)) {
                out.add(i[1]);
            }
        }
        return out;
    }

    private static List<String> valuesInRuntimeStage(final String instruction) {
        final List<String> out = new ArrayList<>();
        for (final String[] i : dockerfile) {
            if (i[0].equals("FROM")) {
                out.clear();
            } else if (i[0].equals(instruction)) {
                out.add(i[1]);
            }
        }
        return out;
    }

    /** Instructions with continuation lines joined and comments dropped: {name, arguments}. */
    private static List<String[]> instructions(final Path file) throws IOException {
        final List<String[]> out = new ArrayList<>();
        final StringBuilder current = new StringBuilder();
        for (final String raw : Files.readAllLines(file)) {
            final String line = raw.strip();
            if (line.startsWith("#") || (line.isEmpty() && current.isEmpty())) {
                continue;
            }
            if (line.endsWith("\\")) {
                current.append(line, 0, line.length() - 1).append(' ');
                continue;
            }
            current.append(line);
            final String[] parts = current.toString().strip().split("\\s+", 2);
            out.add(new String[] {
                parts[0].toUpperCase(Locale.ROOT), parts.length > 1 ? stripStageName(parts[0], parts[1]) : ""
            });
            current.setLength(0);
        }
        return out;
    }

    private static String stripStageName(final String instruction, final String args) {
        return instruction.equalsIgnoreCase("FROM") ? args.replaceAll("\\s+AS\\s+\\S+$", "") : args.strip();
    }

    private static Element child(final Element parent, final String name) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals(name)) {
                return e;
            }
        }
        throw new AssertionError("jib configuration has no <" + name + ">");
    }

    private static String text(final Element parent, final String name) {
        return child(parent, name).getTextContent().trim();
    }

    private static List<String> childTexts(final Element parent) {
        final List<String> out = new ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e) {
                out.add(e.getTextContent().trim());
            }
        }
        return out;
    }

    private static String jsonArray(final List<String> items) {
        return "[" + String.join(",", items.stream().map(s -> "\"" + s + "\"").toList()) + "]";
    }
}
