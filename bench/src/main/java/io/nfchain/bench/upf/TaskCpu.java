package io.nfchain.bench.upf;

import io.nfchain.core.dpdk.ProcessCpu;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Stateless: the CPU time of the threads of a process that bear one name ({@code /proc/PID/task/TID/comm}),
 * so a report can tell an NF's poll thread from its JIT, GC, gRPC and timer threads.
 */
final class TaskCpu {
    private TaskCpu() {}

    /** CPU nanoseconds (10 ms steps) of the live threads of {@code pid} named {@code name}; 0 when none. */
    static long nanos(long pid, String name) {
        long ticks = 0;
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : tasks) {
                try {
                    if (Files.readString(task.resolve("comm")).strip().equals(name)) {
                        ticks += ProcessCpu.parseCpuTicks(Files.readString(task.resolve("stat")));
                    }
                } catch (IOException e) {
                    // the thread ended between the listing and the read
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot list the threads of " + pid + ": " + e.getMessage(), e);
        }
        return ticks * (1_000_000_000L / ProcessCpu.TICKS_PER_SECOND);
    }

    /** The roles {@link #byRole} sums threads into, in report order. */
    static final String[] ROLES = {"jit", "gc", "grpc_workers", "event_loop", "other"};

    /**
     * CPU nanoseconds of the live threads of {@code pid} (a Quarkus NF runner) by what they do:
     * {@code jit} (C1, C2), {@code gc}, {@code grpc_workers} (the executor that runs blocking gRPC
     * calls), {@code event_loop} (Vert.x) and {@code other}. Threads that end between two calls
     * take their CPU with them; the runner keeps these alive.
     */
    static Map<String, Long> byRole(long pid) {
        Map<String, Long> out = new LinkedHashMap<>();
        for (String role : ROLES) {
            out.put(role, 0L);
        }
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : tasks) {
                try {
                    long ticks = ProcessCpu.parseCpuTicks(Files.readString(task.resolve("stat")));
                    out.merge(role(Files.readString(task.resolve("comm")).strip()), ticks * (1_000_000_000L
                            / ProcessCpu.TICKS_PER_SECOND), Long::sum);
                } catch (IOException e) {
                    // the thread ended between the listing and the read
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot list the threads of " + pid + ": " + e.getMessage(), e);
        }
        return out;
    }

    /** A thread's role from its name as the kernel keeps it (15 characters). */
    static String role(String comm) {
        if (comm.startsWith("C1 CompilerThre") || comm.startsWith("C2 CompilerThre")) {
            return "jit";
        }
        if (comm.startsWith("GC Thread") || comm.startsWith("G1 ")) {
            return "gc";
        }
        if (comm.startsWith("executor-thread")) {
            return "grpc_workers";
        }
        return comm.startsWith("vert.x-eventloo") ? "event_loop" : "other";
    }
}
