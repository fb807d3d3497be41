package io.nfchain.e2e.chainbench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class CpuTicksTest {
    @Test
    void countsUserNiceSystemIrqSoftirqNotIdleIowaitSteal() {
        CpuTicks t = CpuTicks.parse("cpu  100 5 40 9000 70 3 11 600 50 0");
        assertEquals(new CpuTicks(105, 40, 3, 11), t);
        assertEquals(159, t.busy());
        assertEquals(1.59, t.busySeconds(), 1e-9);
        assertEquals(new CpuTicks(5, 4, 3, 2), new CpuTicks(110, 44, 6, 13).minus(new CpuTicks(105, 40, 3, 11)));
    }

    @Test
    void oldKernelsWithSevenCountersParse() {
        assertEquals(new CpuTicks(3, 3, 6, 7), CpuTicks.parse("cpu 1 2 3 4 5 6 7"));
    }

    @Test
    void thisMachinesLineParses() {
        CpuTicks a = CpuTicks.read();
        CpuTicks b = CpuTicks.read();
        assertTrue(a.busy() > 0 && b.minus(a).busy() >= 0);
    }

    @Test
    void badLinesSayWhatIsWrong() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> CpuTicks.parse("cpu0 1 2 3 4 5 6 7"))
                .getMessage().contains("must start with 'cpu '"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> CpuTicks.parse("cpu 1 2 3"))
                .getMessage().contains("at least 7"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> CpuTicks.parse("cpu 1 2 -3 4 5 6 7"))
                .getMessage().contains("'-3' is not a tick count"));
        assertThrows(IllegalArgumentException.class, () -> CpuTicks.parse("cpu 1 2 3 4 5 6 99999999999999999999"));
        assertThrows(IllegalArgumentException.class, () -> CpuTicks.parse(""));
    }

    /** Fuzz: mangled lines parse or fail with IllegalArgumentException, nothing else. */
    @Test
    void mangledLinesNeverThrowAnythingElse() {
        SplittableRandom random = new SplittableRandom(5);
        String base = "cpu  4705 356 584 3699176 23060 0 277 0 0 0";
        String alphabet = "cpu 0123456789-x\t\n";
        for (int i = 0; i < 20_000; i++) {
            StringBuilder s = new StringBuilder(base);
            for (int k = random.nextInt(1, 5); k > 0; k--) {
                int at = random.nextInt(s.length() + 1);
                switch (random.nextInt(3)) {
                    case 0 -> s.insert(at, alphabet.charAt(random.nextInt(alphabet.length())));
                    case 1 -> s.delete(Math.min(at, s.length() - 1), Math.min(at + random.nextInt(1, 4), s.length()));
                    default -> s.setLength(Math.min(s.length(), at));
                }
                if (s.isEmpty()) {
                    break;
                }
            }
            try {
                CpuTicks t = CpuTicks.parse(s.toString());
                assertTrue(t.busy() >= 0);
            } catch (IllegalArgumentException expected) {
                // a clear error is the contract
            }
        }
    }
}
