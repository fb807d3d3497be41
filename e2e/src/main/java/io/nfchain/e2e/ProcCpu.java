package io.nfchain.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Thread-safe (stateless). CPU time of a process from /proc/PID/stat (utime + stime). */
final class ProcCpu {
    /** USER_HZ: clock ticks per second of /proc's times, 100 on every Linux ABI we run on. */
    static final double TICKS_PER_SECOND = 100;

    private ProcCpu() {}

    static double seconds(long pid) {
        try {
            return parse(Files.readString(Path.of("/proc", Long.toString(pid), "stat")));
        } catch (IOException e) {
            return 0; // the process has exited
        }
    }

    /** utime + stime in seconds from one /proc/PID/stat line (fields 14 and 15; comm may hold spaces). */
    static double parse(String stat) {
        int close = stat.lastIndexOf(')');
        if (close < 0) {
            throw new IllegalArgumentException("not a /proc/PID/stat line: " + stat);
        }
        String[] f = stat.substring(close + 2).trim().split(" +");
        // f[0] is field 3 (state): utime is field 14, stime field 15.
        return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / TICKS_PER_SECOND;
    }
}
