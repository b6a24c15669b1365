package ai.continuum.server.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher's choice of JDK (`./continuum java-home`), which reads each candidate's version with shell builtins:
 * JAVA_HOME when it is 21 or newer, else the newest JDK of 21 or more among the usual places ($HOME/.jdks among them),
 * each version read from the JDK's release file or, without one, from {@code java -version}. The JDKs here are fake
 * (scripts), with versions above any real one so that the machine's own JDKs never win.
 */
class LauncherJdkTest {
    private static final Path LAUNCHER =
            Path.of(System.getProperty("user.dir")).getParent().resolve("continuum");

    @TempDir
    Path home;

    @Test
    void picksTheNewestJdkWhoseVersionItCanRead() throws Exception {
        fakeJdk("jdk-98", "JAVA_VERSION=\"98.0.1+7\"", true);
        final Path newest = fakeJdk("jdk-99", "JAVA_VERSION=\"99-ea\"", true);
        fakeJdk("jdk-100-no-javac", "JAVA_VERSION=\"100\"", false);
        fakeJdk("jdk-old", "JAVA_VERSION=\"1.8.0_292\"", true);

        final Result r = javaHome(null);

        assertEquals(newest.toString(), r.out(), r.err());
    }

    @Test
    void takesJavaHomeWhenItIsNewEnoughAndSaysWhyWhenItIsNot() throws Exception {
        final Path jdk98 = fakeJdk("jdk-98", "JAVA_VERSION=\"98.0.1+7\"", true);
        final Path newest = fakeJdk("jdk-99", "IMPLEMENTOR=\"someone\"\nJAVA_VERSION=\"99.0.2\"", true);
        final Path old = fakeJdk("jdk-old", "JAVA_VERSION=\"1.8.0_292\"", true);
        final Path asked = fakeJdk("jdk-asked", "IMPLEMENTOR=\"no version here\"", true);

        assertEquals(jdk98.toString(), javaHome(jdk98).out());

        final Result fallback = javaHome(old);
        assertEquals(newest.toString(), fallback.out());
        assertTrue(fallback.err().contains("is Java 8; looking for a JDK >= 21 elsewhere"), fallback.err());

        // no version in the release file: the launcher asks the binary, whose answer names 97
        assertEquals(asked.toString(), javaHome(asked).out());
    }

    private Path fakeJdk(final String name, final String release, final boolean javac) throws IOException {
        final Path jdk = home.resolve(".jdks").resolve(name);
        Files.createDirectories(jdk.resolve("bin"));
        Files.writeString(jdk.resolve("release"), release + "\n", StandardCharsets.UTF_8);
        executable(jdk.resolve("bin/java"), "echo 'openjdk version \"97.0.1\" 2031-01-01' >&2");
        if (javac) {
            executable(jdk.resolve("bin/javac"), "exit 0");
        }
        return jdk;
    }

    private static void executable(final Path file, final String body) throws IOException {
        Files.writeString(file, "#!/bin/sh\n" + body + "\n", StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwx------"));
    }

    private record Result(String out, String err) {}

    private Result javaHome(final Path javaHome) throws Exception {
        final ProcessBuilder pb = new ProcessBuilder("bash", LAUNCHER.toString(), "java-home");
        final Map<String, String> env = pb.environment();
        env.put("HOME", home.toString());
        if (javaHome == null) {
            env.remove("JAVA_HOME");
        } else {
            env.put("JAVA_HOME", javaHome.toString());
        }
        final Path out = home.resolve("out");
        final Path err = home.resolve("err");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile());
        final Process p = pb.start();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "the launcher answered");
        assertEquals(0, p.exitValue(), Files.readString(err));
        return new Result(Files.readString(out).strip(), Files.readString(err));
    }
}
