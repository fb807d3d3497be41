package io.nfchain.core.dpdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ProcessCpuTest {
    @Test
    void thisJvmHasUsedCpuAndAGoneProcessIsNamed() {
        long pid = ProcessHandle.current().pid();
        long before = ProcessCpu.cpuNanos(pid);
        long spin = 0;
        for (long end = System.nanoTime() + 150_000_000L; System.nanoTime() < end; ) {
            spin++;
        }
        long after = ProcessCpu.cpuNanos(pid);
        assertTrue(after - before >= 50_000_000L, "150 ms of spinning shows up: " + (after - before) + " ns, " + spin);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> ProcessCpu.cpuNanos(Integer.MAX_VALUE));
        assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
    }

    @Test
    void namesWithSpacesAndParenthesesDoNotShiftTheFields() {
        SplittableRandom random = new SplittableRandom(0x57a7);
        String alphabet = "ab) (x 9-_:";
        for (int round = 0; round < 10_000; round++) {
            StringBuilder name = new StringBuilder();
            for (int i = random.nextInt(16); i > 0; i--) {
                name.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            long utime = random.nextLong(1L << 40);
            long stime = random.nextLong(1L << 40);
            String line = statLine(name.toString(), utime, stime);
            assertEquals(utime + stime, ProcessCpu.parseCpuTicks(line), line);
        }
    }

    @Test
    void malformedLinesAreRefusedWithAReason() {
        assertReason("no '(name)'", "1234 dpdk-testpmd R 1 2 3");
        assertReason("no '(name)'", "1234 )x( R 1 2");
        assertReason("utime and stime are 14 and 15", "1234 (x) R 1 2 3");
        assertReason("utime is not a number", statLine("x", 777, 0).replace(" 777 ", " 7u7 "));
        assertReason("stime is negative", statLine("x", 5, -3));
        assertReason("overflows", statLine("x", Long.MAX_VALUE, 1));
    }

    @Test
    void randomBytesGiveTicksOrTheOneException() {
        SplittableRandom random = new SplittableRandom(0xbad5);
        String valid = statLine("dpdk-testpmd", 1234, 56);
        for (int round = 0; round < 30_000; round++) {
            char[] chars = valid.toCharArray();
            for (int m = random.nextInt(1, 6); m > 0; m--) {
                chars[random.nextInt(chars.length)] = (char) random.nextInt(0x20, 0x7f);
            }
            String line = new String(chars, 0, random.nextInt(chars.length + 1));
            try {
                assertTrue(ProcessCpu.parseCpuTicks(line) >= 0);
            } catch (IllegalArgumentException expected) {
                // refused with a reason
            } catch (Throwable t) {
                fail("threw " + t + " for " + line, t);
            }
        }
    }

    /** A stat line shaped as Linux writes it: 52 fields, utime and stime at 14 and 15. */
    private static String statLine(String name, long utime, long stime) {
        StringBuilder s = new StringBuilder("4242 (").append(name).append(") R 1 4242 4242 0 -1 4194560 100 0 0 0 ");
        s.append(utime).append(' ').append(stime).append(" 0 0 20 0 3 0 12345 1000000 500");
        for (int field = 25; field <= 52; field++) {
            s.append(" 0");
        }
        return s.append('\n').toString();
    }

    private static void assertReason(String expected, String line) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ProcessCpu.parseCpuTicks(line));
        assertTrue(e.getMessage().contains(expected), "'" + e.getMessage() + "' should say '" + expected + "'");
    }
}
