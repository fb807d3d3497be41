package io.nfchain.bench.acl;

import java.util.Map;

/**
 * Immutable. What both ends counted at one moment, all since they started: the traffic
 * process's {@code STATS} line and the acl's counters ({@code ListCounters}). Differences of two
 * snapshots taken with the rings drained say what one rule set did with the frames sent to it.
 *
 * @param sent frames the memif ring took from the traffic process
 * @param received frames that came back
 * @param expectedPass frames sent that the rule set in force lets through, by the bench's own engine
 * @param checked returned frames checked frame by frame
 * @param bad returned frames checked and found wrong
 * @param firstBad ordinal of the first wrong {@link AclReturnCheck.Verdict}; 0 when none
 * @param memifDrops frames the traffic process's memif end refused
 * @param permitted the acl's ACL_PERMIT + ACL_DEFAULT_PERMIT + ACL_SET_DSCP
 * @param denied the acl's ACL_DENY + ACL_DEFAULT_DENY
 * @param otherDecisions the acl's decisions a frame of this traffic never deserves (malformed,
 *        non-IP, flow table full)
 * @param returnDrops permitted frames the runner could not send back (TX_RING_FULL, OUTPUT_DOWN)
 */
record AclCounts(long sent, long received, long expectedPass, long checked, long bad, int firstBad, long memifDrops,
        long permitted, long denied, long otherDecisions, long returnDrops) {

    /** Frames the acl decided: permitted (and sent back) plus denied. */
    long decided() {
        return permitted + denied + otherDecisions;
    }

    /**
     * Whether nothing is in flight: every frame sent was decided, and every frame let through
     * came back or was counted as not sent back (the worker counts both exactly).
     */
    boolean isDrained() {
        return decided() == sent && received + returnDrops == permitted;
    }

    /**
     * From a {@code STATS} line's numbers ({@code sent received expected_pass checked bad
     * first_bad memif_drops}) and the acl's counters; a line of another shape is an error.
     */
    static AclCounts of(long[] stats, Map<String, Long> counters) {
        if (stats.length != 7) {
            throw new IllegalArgumentException("the traffic process's STATS has " + stats.length
                    + " numbers, not 7: sent received expected_pass checked bad first_bad memif_drops");
        }
        if (stats[5] >= AclReturnCheck.Verdict.values().length) {
            throw new IllegalArgumentException("first_bad " + stats[5] + " names no verdict");
        }
        long permitted = counter(counters, "acl/ACL_PERMIT") + counter(counters, "acl/ACL_DEFAULT_PERMIT")
                + counter(counters, "acl/ACL_SET_DSCP");
        long denied = counter(counters, "acl/ACL_DENY") + counter(counters, "acl/ACL_DEFAULT_DENY");
        long other = counter(counters, "acl/ACL_MALFORMED") + counter(counters, "acl/ACL_NON_IP")
                + counter(counters, "acl/ACL_FLOW_TABLE_FULL");
        long returnDrops = counter(counters, "worker/TX_RING_FULL") + counter(counters, "worker/OUTPUT_DOWN");
        return new AclCounts(stats[0], stats[1], stats[2], stats[3], stats[4], (int) stats[5], stats[6], permitted, denied,
                other, returnDrops);
    }

    private static long counter(Map<String, Long> counters, String name) {
        Long value = counters.get(name);
        if (value == null) {
            throw new IllegalArgumentException("the acl runner lists no counter " + name + " (it lists " + counters.keySet()
                    + ")");
        }
        return value;
    }

    /** The counts of {@code this} less those of {@code before}; {@code firstBad} is this one's. */
    AclCounts minus(AclCounts before) {
        return new AclCounts(sent - before.sent, received - before.received, expectedPass - before.expectedPass,
                checked - before.checked, bad - before.bad, firstBad, memifDrops - before.memifDrops,
                permitted - before.permitted, denied - before.denied, otherDecisions - before.otherDecisions,
                returnDrops - before.returnDrops);
    }

    /**
     * The verdict check for one rule set, on the difference of two drained snapshots: the acl
     * decided every frame sent, let through exactly the frames the bench's engine lets through,
     * sent back no more than it let through, and every returned frame checked was right. Throws
     * naming what differs: a figure of a classifier that decides wrongly must not be reported.
     */
    void requireAsExpected(int rules) {
        String what = "acl with " + rules + " rules: ";
        if (bad > 0) {
            throw new IllegalStateException(what + bad + " of " + checked + " returned frames checked were wrong; the first: "
                    + AclReturnCheck.Verdict.values()[firstBad].text);
        }
        if (checked == 0 && expectedPass > 0) {
            throw new IllegalStateException(what + "no returned frame was checked, so nothing shows what it let through");
        }
        if (otherDecisions != 0) {
            throw new IllegalStateException(what + otherDecisions + " frames counted malformed, non-IP or flow-table-full");
        }
        if (decided() != sent) {
            throw new IllegalStateException(what + "decided " + decided() + " frames of the " + sent + " sent");
        }
        if (permitted != expectedPass) {
            throw new IllegalStateException(what + "let through " + permitted + " of " + sent + " frames ("
                    + share(permitted) + "), where its rules let through " + expectedPass + " (" + share(expectedPass) + ")");
        }
        if (received > permitted) {
            throw new IllegalStateException(what + received + " frames came back, more than the " + permitted + " it let through");
        }
    }

    private String share(long n) {
        return sent == 0 ? "-" : String.format("%.4f", n / (double) sent);
    }
}
