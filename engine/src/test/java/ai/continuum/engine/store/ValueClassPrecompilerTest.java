package ai.continuum.engine.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.security.CodeSource;
import net.openhft.chronicle.core.values.IntValue;
import net.openhft.chronicle.values.Values;
import org.junit.jupiter.api.Test;

/**
 * The Chronicle Values classes the dictionaries use are the ones the build precompiled into the engine's classes
 * ({@link ValueClassPrecompiler}), not classes Chronicle generated and compiled in this process: those cost seconds of
 * every start. Run through Maven (the classes are made in {@code process-classes}).
 */
class ValueClassPrecompilerTest {

    @Test
    void dictionaryValueClassesComeFromTheEngineClasses() throws ClassNotFoundException {
        try (StringIndex index = new StringIndex("precompiled", 1024, 16)) {
            index.put(1, "kafka", 7);
            assertEquals(7, index.get(1, "kafka"), "the map works with the precompiled classes");
        }
        final CodeSource engine = StringIndex.class.getProtectionDomain().getCodeSource();
        assertFromEngine(engine, Values.nativeClassFor(IntValue.class));
        assertFromEngine(engine, Values.heapClassFor(IntValue.class));
        assertFromEngine(
                engine, Values.nativeClassFor(Class.forName("net.openhft.chronicle.hash.VanillaGlobalMutableState")));
    }

    private static void assertFromEngine(final CodeSource engine, final Class<?> implementation) {
        final CodeSource source = implementation.getProtectionDomain().getCodeSource();
        assertNotNull(source, implementation.getName() + " was generated at run time, not precompiled by the build");
        assertEquals(
                engine.getLocation(),
                source.getLocation(),
                implementation.getName() + " should come from the engine's classes");
    }
}
