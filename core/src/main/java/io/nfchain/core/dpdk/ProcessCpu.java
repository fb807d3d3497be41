package io.nfchain.core.dpdk;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Stateless, thread-safe: the CPU time a whole process (all its threads) has used, from
 * {@code /proc/PID/stat} fields 14 and 15 ({@code utime}, {@code stime}), as benchmarks report
 * "CPU seconds per side".
 *
 * <p>The kernel reports these in clock ticks of {@code USER_HZ}, which is 100 per second on
 * every Linux ABI for /proc (it is independent of the kernel's internal HZ), so the resolution is
 * 10 ms. The process name (field 2) may hold spaces and parentheses, so fields are counted from
 * the last {@code ')'}.
 */
public final class ProcessCpu {
    /** Ticks per second of /proc's {@code utime}/{@code stime}: USER_HZ. */
    public static final long TICKS_PER_SECOND = 100;
    private static final long NANOS_PER_TICK = 1_000_000_000L / TICKS_PER_SECOND;
    /** utime is field 14; the first field after the name's ')' is field 3. */
    private static final int UTIME_AFTER_NAME = 14 - 3;

    private ProcessCpu() {}

    /**
     * User plus system CPU time of process {@code pid} so far, in nanoseconds (10 ms steps).
     *
     * @throws IllegalStateException when the process does not exist (any more) or its stat
     *     line cannot be read
     */
    public static long cpuNanos(long pid) {
        String line;
        try {
            line = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        } catch (NoSuchFileException e) {
            throw new IllegalStateException("process " + pid + " does not exist");
        } catch (IOException e) {
            throw new IllegalStateException("cannot read /proc/" + pid + "/stat: " + e.getMessage(), e);
        }
        return Math.multiplyExact(parseCpuTicks(line), NANOS_PER_TICK);
    }

    /**
     * {@code utime + stime} in ticks from one {@code /proc/PID/stat} line.
     *
     * @throws IllegalArgumentException naming what is wrong when the line does not have that
     *     shape; never any other exception
     */
    public static long parseCpuTicks(String statLine) {
        int nameEnd = statLine.lastIndexOf(')');
        if (nameEnd < 0 || statLine.indexOf('(') < 0 || statLine.indexOf('(') > nameEnd) {
            throw new IllegalArgumentException("stat line has no '(name)': " + abbreviate(statLine));
        }
        String[] fields = statLine.substring(nameEnd + 1).strip().split("\\s+");
        if (fields.length <= UTIME_AFTER_NAME + 1) {
            throw new IllegalArgumentException("stat line has " + (fields.length + 2) + " fields, utime and stime are 14 and 15: "
                    + abbreviate(statLine));
        }
        long utime = ticks(fields[UTIME_AFTER_NAME], "utime");
        long stime = ticks(fields[UTIME_AFTER_NAME + 1], "stime");
        if (utime > Long.MAX_VALUE - stime) {
            throw new IllegalArgumentException("utime + stime overflows: " + utime + " + " + stime);
        }
        return utime + stime;
    }

    private static long ticks(String field, String name) {
        try {
            long value = Long.parseLong(field);
            if (value < 0) {
                throw new IllegalArgumentException(name + " is negative: " + field);
            }
            return value;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " is not a number: '" + abbreviate(field) + "'");
        }
    }

    private static String abbreviate(String s) {
        return s.length() <= 120 ? s : s.substring(0, 120) + "...";
    }
}
