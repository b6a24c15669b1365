package ai.continuum.benchmarks;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class JvmFlagsTest {
    @Test
    void shouldCarryTheRootPomFlagsWhenTheBuildFilteredTheResource() {
        final List<String> flags = JvmFlags.load();
        assertTrue(flags.contains("-Dchronicle.analytics.disable=true"), flags.toString());
        assertTrue(flags.contains("--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED"), flags.toString());
        assertTrue(flags.stream().allMatch(f -> f.startsWith("-")), flags.toString());
    }
}
