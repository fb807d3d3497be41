package io.nfchain.agent.inventory;

import java.util.BitSet;

/**
 * Thread-safe (stateless). The kernel's CPU list format ({@code 0-3,8,10-11}), as in
 * {@code /sys/devices/system/cpu/online}: parsed into a set and written back in the shortest form.
 */
public final class CpuList {
    /** Highest CPU number accepted: Linux's NR_CPUS tops out at 8192. */
    public static final int MAX_CPU = 8191;

    private CpuList() {}

    /**
     * Parses {@code text} (surrounding white space and a trailing newline allowed; empty is no CPU).
     *
     * @throws IllegalArgumentException naming what is wrong, for anything else
     */
    public static BitSet parse(String text) {
        BitSet cpus = new BitSet();
        String s = text.strip();
        if (s.isEmpty()) {
            return cpus;
        }
        for (String part : s.split(",", -1)) {
            int dash = part.indexOf('-');
            int first = number(part, dash < 0 ? part : part.substring(0, dash));
            int last = dash < 0 ? first : number(part, part.substring(dash + 1));
            if (last < first) {
                throw new IllegalArgumentException("'" + part + "' is a range that ends before it starts");
            }
            cpus.set(first, last + 1);
        }
        return cpus;
    }

    private static int number(String part, String digits) {
        if (digits.isEmpty() || digits.length() > 4 || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException("'" + part + "' is not a CPU number or range (like 0-3,8)");
        }
        int n = Integer.parseInt(digits);
        if (n > MAX_CPU) {
            throw new IllegalArgumentException(n + " is above the highest CPU number " + MAX_CPU);
        }
        return n;
    }

    /** The set in the kernel's form, ranges merged: {0,1,2,3,8} is {@code 0-3,8}; empty is "". */
    public static String format(BitSet cpus) {
        StringBuilder out = new StringBuilder();
        for (int first = cpus.nextSetBit(0); first >= 0; ) {
            int end = cpus.nextClearBit(first);
            if (!out.isEmpty()) {
                out.append(',');
            }
            out.append(first);
            if (end - 1 > first) {
                out.append('-').append(end - 1);
            }
            first = cpus.nextSetBit(end);
        }
        return out.toString();
    }
}
