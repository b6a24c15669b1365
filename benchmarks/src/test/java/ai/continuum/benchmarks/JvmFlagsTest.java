package ai.continuum.benchmarks;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

class JvmFlagsTest {
    @Test
    void shouldCarryTheRootPomFlagsWhenTheBuildFilteredTheResource() {
        final List<String> flags = JvmFlags.load();
        assertTrue(flags.contains("-Dchronicle.analytics.disable=true"), flags.toString());
        assertTrue(flags.contains("--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED"), flags.toString());
        assertTrue(flags.stream().allMatch(f -> f.startsWith("-")), flags.toString());
    }
}
