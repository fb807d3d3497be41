package io.nfchain.functions.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The indexes and the SEID map against HashMap over random puts and removes (with rebuilds). */
class SessionIndexModelTest {
    @Test
    void indexesBehaveAsAMap() {
        Random random = new Random(3);
        SessionIndex index = new SessionIndex();
        SessionIndex6 index6 = new SessionIndex6();
        SeidMap seids = new SeidMap();
        Map<Integer, Integer> model = new HashMap<>();
        for (int step = 0; step < 200_000; step++) {
            int key = random.nextInt(5000) - 100;
            if (random.nextInt(3) == 0) {
                boolean had = model.remove(key) != null;
                assertEquals(had, index.remove(key));
                assertEquals(had, index6.remove(key * 0x1_0000_0001L));
                seids.remove(key + 1000L);
            } else {
                int slot = random.nextInt(1 << 20);
                model.put(key, slot);
                index.put(key, slot);
                index6.put(key * 0x1_0000_0001L, slot);
                seids.put(key + 1000L, slot);
            }
            int probe = random.nextInt(5000) - 100;
            int expected = model.getOrDefault(probe, -1);
            assertEquals(expected, index.get(probe));
            assertEquals(expected, index6.get(probe * 0x1_0000_0001L));
            assertEquals(expected, seids.get(probe + 1000L));
            // the warmer's one-cell probe finds the key's slot or nothing, never another key's
            int first = index.firstCellSlot(probe);
            assertTrue(first == -1 || first == expected, "first cell of " + probe + " gave " + first);
            int first6 = index6.firstCellSlot(probe * 0x1_0000_0001L);
            assertTrue(first6 == -1 || first6 == expected, "first cell (v6) of " + probe + " gave " + first6);
        }
        assertEquals(model.size(), index.size());
        assertEquals(model.size(), index6.size());
        assertEquals(model.size(), seids.size());
    }
}
