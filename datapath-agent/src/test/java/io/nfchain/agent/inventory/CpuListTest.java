package io.nfchain.agent.inventory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.BitSet;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CpuListTest {
    @Test
    void readsTheKernelsForms() {
        assertEquals("0-3,8,10-11", CpuList.format(CpuList.parse("0-3,8,10-11\n")));
        assertEquals("0-1", CpuList.format(CpuList.parse("0,1")));
        assertEquals("", CpuList.format(CpuList.parse("\n")));
        assertEquals(8192, CpuList.parse("0-8191").cardinality());
    }

    @Test
    void refusesWhatIsNotACpuList() {
        for (String bad : new String[] {"x", "1-", "-1", "3-1", "1,,2", "0-8192", "1 2", "0x1", "1-2-3", ",", "+1"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CpuList.parse(bad), bad);
            if (e.getMessage() == null || e.getMessage().isEmpty()) {
                fail("no message for " + bad);
            }
        }
    }

    /** Any set written and read back is the same set. */
    @Test
    void formatThenParseIsTheSameSet() {
        Random random = new Random(6);
        for (int round = 0; round < 2000; round++) {
            BitSet cpus = new BitSet();
            int n = random.nextInt(40);
            for (int i = 0; i < n; i++) {
                int first = random.nextInt(CpuList.MAX_CPU + 1);
                cpus.set(first, Math.min(CpuList.MAX_CPU + 1, first + 1 + random.nextInt(8)));
            }
            assertEquals(cpus, CpuList.parse(CpuList.format(cpus)));
        }
    }

    /** Random text is parsed or refused with IllegalArgumentException, nothing else. */
    @Test
    void randomTextNeverThrowsAnythingElse() {
        Random random = new Random(7);
        String alphabet = "0123456789,- \nx";
        for (int round = 0; round < 20000; round++) {
            StringBuilder s = new StringBuilder();
            int length = random.nextInt(16);
            for (int i = 0; i < length; i++) {
                s.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            try {
                BitSet cpus = CpuList.parse(s.toString());
                assertEquals(cpus, CpuList.parse(CpuList.format(cpus)));
            } catch (IllegalArgumentException expected) {
                // refused with a reason
            }
        }
    }
}
