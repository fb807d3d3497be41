package io.nfchain.functions.qos;

import java.util.Arrays;

/**
 * Immutable. Which DSCP a QoS flow's packets are marked with: QFI 0..63 to DSCP 0..63, from
 * {@code nfchain.qos.qfi-dscp} written as {@code 5=46,9=0} (QFI=DSCP pairs, commas between,
 * spaces allowed). A QFI with no entry leaves the DSCP as it is.
 */
public final class QfiDscpMap {
    /** What {@link #dscp} answers for a QFI with no entry. */
    public static final int NONE = -1;
    public static final QfiDscpMap EMPTY = parse("", "");

    private final int[] dscpByQfi;

    private QfiDscpMap(int[] dscpByQfi) {
        this.dscpByQfi = dscpByQfi;
    }

    /**
     * Parses {@code text}; a bad entry fails naming {@code property} and the entry, e.g.
     * {@code nfchain.qos.qfi-dscp: '5=64': DSCP must be 0..63}.
     */
    public static QfiDscpMap parse(String property, String text) {
        int[] map = new int[64];
        Arrays.fill(map, NONE);
        if (text == null || text.isBlank()) {
            return new QfiDscpMap(map);
        }
        for (String raw : text.split(",", -1)) {
            String entry = raw.strip();
            int eq = entry.indexOf('=');
            if (eq < 0) {
                throw new IllegalArgumentException(property + ": '" + entry + "': expected QFI=DSCP, e.g. 5=46");
            }
            int qfi = number(property, entry, entry.substring(0, eq).strip(), "QFI");
            int dscp = number(property, entry, entry.substring(eq + 1).strip(), "DSCP");
            if (map[qfi] != NONE) {
                throw new IllegalArgumentException(property + ": '" + entry + "': QFI " + qfi + " is mapped twice");
            }
            map[qfi] = dscp;
        }
        return new QfiDscpMap(map);
    }

    private static int number(String property, String entry, String digits, String what) {
        if (digits.isEmpty() || digits.length() > 2 || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException(property + ": '" + entry + "': " + what + " must be a number 0..63");
        }
        int value = Integer.parseInt(digits);
        if (value > 63) {
            throw new IllegalArgumentException(property + ": '" + entry + "': " + what + " must be 0..63");
        }
        return value;
    }

    /** The DSCP for {@code qfi}, or {@link #NONE} (also for a QFI outside 0..63). */
    public int dscp(int qfi) {
        return qfi >= 0 && qfi < 64 ? dscpByQfi[qfi] : NONE;
    }

    public boolean isEmpty() {
        for (int d : dscpByQfi) {
            if (d != NONE) {
                return false;
            }
        }
        return true;
    }

    /** The entries in the configuration's form, QFI order: {@code 5=46,9=0}. */
    @Override
    public String toString() {
        StringBuilder s = new StringBuilder();
        for (int q = 0; q < 64; q++) {
            if (dscpByQfi[q] != NONE) {
                s.append(s.isEmpty() ? "" : ",").append(q).append('=').append(dscpByQfi[q]);
            }
        }
        return s.toString();
    }
}
