package io.nfchain.bench.idle;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Stateless. Parsers for the three {@code /proc} files the idle bench reads, and their
 * readers. A line that does not have the expected shape is an {@link IllegalArgumentException}
 * naming the file and what is wrong; nothing else is thrown for bad text.
 *
 * <ul>
 *   <li>{@code /proc/<pid>/task/<tid>/stat} (proc(5)): {@code pid (comm) state ...}; the
 *       comm may hold spaces and parentheses, so fields are counted after the last
 *       {@code ')'}. Field 14 is utime, 15 stime, in clock ticks (USER_HZ, 100 here).
 *   <li>{@code /proc/<pid>/task/<tid>/schedstat}: three numbers: time on a CPU (ns), time
 *       runnable but waiting for a CPU (ns), and the number of times it was switched in.
 *       The wait is the bench's measure of how much other work took the poll thread's CPU.
 *   <li>{@code /proc/stat}'s first line: {@code cpu user nice system idle iowait irq softirq
 *       steal ...} in ticks over all CPUs: how busy the whole machine was.
 * </ul>
 */
public final class ProcStat {
    private static final int UTIME_AFTER_COMM = 11;
    private static final int STIME_AFTER_COMM = 12;
    private static final int CPU_LINE_MIN_FIELDS = 4;
    private static final int IDLE = 3;
    private static final int IOWAIT = 4;
    private static final int STEAL = 7;

    private ProcStat() {}

    /** User and system CPU time of a task, in clock ticks. */
    public record CpuTicks(long userTicks, long systemTicks) {
        public long totalTicks() {
            return userTicks + systemTicks;
        }
    }

    /** A task's scheduler figures: on-CPU time and run-queue wait in ns, and times switched in. */
    public record SchedStat(long runNs, long waitNs, long timeslices) {
        public SchedStat minus(SchedStat earlier) {
            return new SchedStat(runNs - earlier.runNs, waitNs - earlier.waitNs, timeslices - earlier.timeslices);
        }
    }

    /** The machine's CPU time in ticks, summed over CPUs: all of it, the idle part and the stolen part. */
    public record MachineTicks(long totalTicks, long idleTicks, long stealTicks) {
        public MachineTicks minus(MachineTicks earlier) {
            return new MachineTicks(totalTicks - earlier.totalTicks, idleTicks - earlier.idleTicks,
                    stealTicks - earlier.stealTicks);
        }

        /** CPU time used, in ticks: neither idle (nor waiting for I/O) nor stolen by the hypervisor. */
        public long busyTicks() {
            return totalTicks - idleTicks - stealTicks;
        }
    }

    /** Parses a {@code stat} line of a process or task. */
    public static CpuTicks parseTaskStat(String line) {
        int open = line.indexOf('(');
        int close = line.lastIndexOf(')');
        if (open < 1 || close < open) {
            throw bad("stat", "no '(comm)' after the pid", line);
        }
        requireNumber(line.substring(0, open).trim(), "stat", "pid", line);
        String rest = line.substring(close + 1).trim();
        String[] fields = rest.isEmpty() ? new String[0] : rest.split(" +");
        if (fields.length <= STIME_AFTER_COMM) {
            throw bad("stat", "only " + fields.length + " fields after the comm, utime and stime need "
                    + (STIME_AFTER_COMM + 1), line);
        }
        return new CpuTicks(requireNumber(fields[UTIME_AFTER_COMM], "stat", "utime", line),
                requireNumber(fields[STIME_AFTER_COMM], "stat", "stime", line));
    }

    /** Parses a {@code schedstat} line. */
    public static SchedStat parseSchedStat(String line) {
        String[] fields = line.trim().split(" +");
        if (fields.length != 3) {
            throw bad("schedstat", "expected 3 numbers, found " + fields.length + " fields", line);
        }
        return new SchedStat(requireNumber(fields[0], "schedstat", "run time", line),
                requireNumber(fields[1], "schedstat", "wait time", line),
                requireNumber(fields[2], "schedstat", "timeslices", line));
    }

    /** Parses the aggregate {@code cpu} line of {@code /proc/stat}. */
    public static MachineTicks parseCpuLine(String line) {
        String[] fields = line.trim().split(" +");
        if (!fields[0].equals("cpu")) {
            throw bad("/proc/stat", "the first line must start with 'cpu '", line);
        }
        if (fields.length - 1 < CPU_LINE_MIN_FIELDS) {
            throw bad("/proc/stat", "expected at least " + CPU_LINE_MIN_FIELDS + " counters", line);
        }
        long total = 0;
        long idle = 0;
        long steal = 0;
        // Fields 9 and 10 (guest, guest_nice) are already counted in user and nice.
        int counters = Math.min(fields.length - 1, 8);
        for (int i = 0; i < counters; i++) {
            long value = requireNumber(fields[1 + i], "/proc/stat", "counter " + (i + 1), line);
            total = addTicks(total, value, line);
            if (i == IDLE || i == IOWAIT) {
                idle += value;
            } else if (i == STEAL) {
                steal = value;
            }
        }
        return new MachineTicks(total, idle, steal);
    }

    /** The calling thread's task directory, {@code /proc/<pid>/task/<tid>}. */
    public static Path currentTaskDir() {
        try {
            return Path.of("/proc").resolve(Files.readSymbolicLink(Path.of("/proc/thread-self")));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read /proc/thread-self", e);
        }
    }

    public static CpuTicks readTaskStat(Path taskDir) {
        return parseTaskStat(firstLine(taskDir.resolve("stat")));
    }

    public static SchedStat readSchedStat(Path taskDir) {
        return parseSchedStat(firstLine(taskDir.resolve("schedstat")));
    }

    public static MachineTicks readMachine() {
        return parseCpuLine(firstLine(Path.of("/proc/stat")));
    }

    private static String firstLine(Path file) {
        try (var lines = Files.lines(file)) {
            return lines.findFirst().orElseThrow(() -> new IllegalArgumentException(file + " is empty"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    private static long addTicks(long total, long value, String line) {
        long sum = total + value;
        if (sum < 0) {
            throw bad("/proc/stat", "counters overflow", line);
        }
        return sum;
    }

    private static long requireNumber(String field, String file, String what, String line) {
        if (field.isEmpty() || field.length() > 19) {
            throw bad(file, what + " is not a non-negative number: '" + field + "'", line);
        }
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if (c < '0' || c > '9') {
                throw bad(file, what + " is not a non-negative number: '" + field + "'", line);
            }
        }
        try {
            return Long.parseLong(field);
        } catch (NumberFormatException e) { // 19 digits above Long.MAX_VALUE
            throw bad(file, what + " is out of range: '" + field + "'", line);
        }
    }

    private static IllegalArgumentException bad(String file, String reason, String line) {
        String shown = line.length() > 120 ? line.substring(0, 120) + "..." : line;
        return new IllegalArgumentException("bad " + file + " line (" + reason + "): " + shown);
    }
}
