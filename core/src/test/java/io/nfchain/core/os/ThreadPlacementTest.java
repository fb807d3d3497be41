package io.nfchain.core.os;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;
import org.junit.jupiter.api.Test;

/** Per-thread kernel settings; each test changes them only on a thread of its own. */
class ThreadPlacementTest {
    @Test
    void timerSlackIsSetPerThreadAndReadBack() throws Exception {
        long jUnitThreadSlackNs = Prctl.timerSlackNs();
        long[] seen = OnNewThread.call("timer-slack", () -> {
            long inheritedNs = Prctl.timerSlackNs();
            Prctl.setTimerSlackNs(1000);
            long setNs = Prctl.timerSlackNs();
            Prctl.setTimerSlackNs(0);
            return new long[] {inheritedNs, setNs, Prctl.timerSlackNs()};
        });
        assertEquals(jUnitThreadSlackNs, seen[0], "a new thread inherits its creator's slack");
        assertEquals(1000, seen[1]);
        assertEquals(seen[0], seen[2], "0 restores the thread's default");
        assertEquals(jUnitThreadSlackNs, Prctl.timerSlackNs(), "other threads are untouched");
        assertThrows(IllegalArgumentException.class, () -> Prctl.setTimerSlackNs(-1));
    }

    @Test
    void affinityPinsTheCallingThreadAndIsRestored() throws Exception {
        BitSet jUnitThreadCpus = CpuAffinity.get();
        assumeTrue(jUnitThreadCpus.get(0), "skipped: CPU 0 is not in this process's cpuset " + jUnitThreadCpus);
        Object[] seen = OnNewThread.call("affinity", () -> {
            BitSet original = CpuAffinity.get();
            BitSet cpu0 = new BitSet();
            cpu0.set(0);
            CpuAffinity.set(cpu0);
            BitSet pinned = CpuAffinity.get();
            String allowedList = procStatus("Cpus_allowed_list:");
            CpuAffinity.set(original);
            return new Object[] {original, pinned, allowedList, CpuAffinity.get()};
        });
        assertEquals(jUnitThreadCpus, seen[0]);
        BitSet expected = new BitSet();
        expected.set(0);
        assertEquals(expected, seen[1]);
        assertEquals("0", seen[2], "/proc/thread-self/status agrees");
        assertEquals(jUnitThreadCpus, seen[3], "restored");
        assertEquals(jUnitThreadCpus, CpuAffinity.get(), "other threads are untouched");
    }

    @Test
    void affinityToNoUsableCpuIsEinval() throws Exception {
        BitSet nonexistent = new BitSet();
        nonexistent.set(CpuAffinity.MAX_CPUS - 1);
        assumeTrue(!CpuAffinity.get().get(CpuAffinity.MAX_CPUS - 1), "skipped: this host has 1024 CPUs");
        NativeCallException e = OnNewThread.call("affinity-einval",
                () -> assertThrows(NativeCallException.class, () -> CpuAffinity.set(nonexistent)));
        assertEquals("sched_setaffinity: EINVAL (cpus {1023})", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> CpuAffinity.set(new BitSet()));
    }

    private static String procStatus(String key) throws IOException {
        return Files.readAllLines(Path.of("/proc/thread-self/status")).stream()
                .filter(l -> l.startsWith(key))
                .map(l -> l.substring(key.length()).trim())
                .findFirst()
                .orElseThrow();
    }
}
