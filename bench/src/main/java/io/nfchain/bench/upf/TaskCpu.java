package io.nfchain.bench.upf;

import io.nfchain.core.dpdk.ProcessCpu;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

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
}
