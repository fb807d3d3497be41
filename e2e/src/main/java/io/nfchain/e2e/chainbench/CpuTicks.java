package io.nfchain.e2e.chainbench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Immutable. The machine's CPU time from the first line of {@code /proc/stat} ({@code cpu user
 * nice system idle iowait irq softirq steal ...}, clock ticks summed over CPUs): the parts the
 * bench counts as work, user (with nice), system, irq and softirq. Idle, iowait and steal are not
 * work; guest time is already inside user.
 */
public record CpuTicks(long user, long system, long irq, long softirq) {
    /** USER_HZ: /proc/stat's ticks per second, 100 on every Linux ABI we run on. */
    public static final double TICKS_PER_SECOND = 100;

    public long busy() {
        return user + system + irq + softirq;
    }

    public double busySeconds() {
        return busy() / TICKS_PER_SECOND;
    }

    public CpuTicks minus(CpuTicks earlier) {
        return new CpuTicks(user - earlier.user, system - earlier.system, irq - earlier.irq,
                softirq - earlier.softirq);
    }

    public static CpuTicks read() {
        try (var lines = Files.lines(Path.of("/proc/stat"))) {
            return parse(lines.findFirst().orElse(""));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read /proc/stat", e);
        }
    }

    /** Parses the aggregate {@code cpu} line; anything else is an IllegalArgumentException saying why. */
    public static CpuTicks parse(String line) {
        String[] f = line.trim().split("\\s+");
        if (!f[0].equals("cpu")) {
            throw new IllegalArgumentException("/proc/stat: the first line must start with 'cpu ': " + shorten(line));
        }
        if (f.length < 8) {
            throw new IllegalArgumentException("/proc/stat: 'cpu' needs at least 7 counters (user .. softirq), has "
                    + (f.length - 1) + ": " + shorten(line));
        }
        long[] v = new long[7];
        for (int i = 0; i < 7; i++) {
            v[i] = number(f[i + 1], line);
        }
        return new CpuTicks(v[0] + v[1], v[2], v[5], v[6]);
    }

    private static long number(String field, String line) {
        if (field.isEmpty() || field.length() > 18 || !field.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException("/proc/stat: '" + shorten(field) + "' is not a tick count: "
                    + shorten(line));
        }
        return Long.parseLong(field);
    }

    private static String shorten(String s) {
        return s.length() > 120 ? s.substring(0, 120) + "..." : s;
    }
}
