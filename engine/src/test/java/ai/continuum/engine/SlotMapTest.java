package ai.continuum.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The recall's key -> slot map against a plain map, over many recalls of one scratch's life. */
class SlotMapTest {
    @Test
    void shouldAnswerAsAMapDoesAcrossGrowthAndClears() {
        final Random random = new Random(11);
        final SlotMap map = new SlotMap(16);
        int[] keysBySlot = new int[4];
        for (int recall = 0; recall < 300; recall++) {
            // small and large recalls alternate, so clears run both by key and by filling, after the table grew
            final int keys = random.nextInt(recall % 3 == 0 ? 3_000 : 40);
            // keys close together (memory indexes, concept ids of one neighbourhood) and far apart
            final int range = random.nextBoolean() ? keys * 2 + 1 : Integer.MAX_VALUE;
            final Map<Integer, Integer> expected = new HashMap<>();
            for (int i = 0; i < keys * 3; i++) {
                final int key = random.nextInt(range);
                if (expected.size() == keysBySlot.length) {
                    keysBySlot = Arrays.copyOf(keysBySlot, keysBySlot.length * 2);
                }
                final int slot = map.getOrPut(key, expected.size());
                if (expected.containsKey(key)) {
                    assertEquals((int) expected.get(key), slot, "recall " + recall + ", key " + key);
                } else {
                    assertEquals(SlotMap.MISSING, slot, "a new key");
                    keysBySlot[expected.size()] = key;
                    expected.put(key, expected.size());
                }
                assertEquals(expected.size(), map.size());
            }
            for (final Map.Entry<Integer, Integer> e : expected.entrySet()) {
                assertEquals((int) e.getValue(), map.get(e.getKey()));
            }
            for (int i = 0; i < 50; i++) {
                final int key = random.nextInt(Integer.MAX_VALUE);
                assertEquals(expected.getOrDefault(key, SlotMap.MISSING), map.get(key));
            }
            map.clear(keysBySlot);
            assertEquals(0, map.size());
            for (final int key : expected.keySet()) {
                assertEquals(SlotMap.MISSING, map.get(key), "cleared: " + key);
            }
        }
    }
}
