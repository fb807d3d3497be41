package io.nfchain.bench.upf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nfchain.core.dpdk.ProcessCpu;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Thread names as a runner's kernel shows them fall into their roles, and the roles of this JVM add up to at most its CPU. */
class TaskCpuTest {
    @Test
    void runnerThreadNamesHaveTheirRoles() {
        assertEquals("jit", TaskCpu.role("C2 CompilerThre"));
        assertEquals("jit", TaskCpu.role("C1 CompilerThre"));
        assertEquals("gc", TaskCpu.role("GC Thread#1"));
        assertEquals("gc", TaskCpu.role("G1 Refine#0"));
        assertEquals("grpc_workers", TaskCpu.role("executor-thread"));
        assertEquals("event_loop", TaskCpu.role("vert.x-eventloo"));
        assertEquals("other", TaskCpu.role("upf-poll"));
        assertEquals("other", TaskCpu.role("main"));
    }

    @Test
    void rolesOfThisProcessAddUpToAtMostItsCpu() {
        long pid = ProcessHandle.current().pid();
        long spin = 0;
        for (long t0 = System.nanoTime(); System.nanoTime() - t0 < 200_000_000L; ) {
            spin += System.nanoTime() & 1; // CPU on this thread, an "other" one
        }
        Map<String, Long> roles = TaskCpu.byRole(pid);
        long total = ProcessCpu.cpuNanos(pid);
        assertEquals(List.of(TaskCpu.ROLES), List.copyOf(roles.keySet()));
        long sum = roles.values().stream().mapToLong(Long::longValue).sum();
        assertTrue(roles.get("other") >= 100_000_000L, "other " + roles.get("other") + " after spinning " + spin);
        assertTrue(sum <= total, sum + " > process " + total);
    }
}
