package io.nfchain.core.memif;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.management.ThreadMXBean;
import java.lang.management.ManagementFactory;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The burst path and an idle {@code doWork()} allocate nothing once compiled (DESIGN.md
 * 3.2), tx and rx both ways with a chained frame among them.
 *
 * <p>Measured in a fresh JVM ({@link BurstAllocationCheck}): whether C2 removes the small
 * allocations of FFM downcalls depends on the JIT's inlining state, which any busy loop in
 * the same JVM changes. Run here, these loops made core/os's HotPathAllocationTest, run
 * later in the same JVM, see 40 bytes per downcall; run there, they are isolated both ways.
 */
class BurstAllocationTest {
    @Test
    void burstsAndIdleDoWorkDoNotAllocate() throws Exception {
        assumeTrue(((ThreadMXBean) ManagementFactory.getThreadMXBean()).isThreadAllocatedMemorySupported(),
                "skipped: no per-thread allocation counter");
        Process check = MemifLink.startJvm(BurstAllocationCheck.class);
        assertTrue(check.waitFor(120, TimeUnit.SECONDS), "allocation check finished");
        String output = new String(check.getInputStream().readAllBytes()).strip();
        assertEquals(0, check.exitValue(), output + new String(check.getErrorStream().readAllBytes()));
        assertEquals("bursts=0 inPlace=0 doWork=0", output);
    }
}
