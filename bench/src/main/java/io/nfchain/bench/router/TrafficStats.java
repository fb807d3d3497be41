package io.nfchain.bench.router;

/**
 * Immutable. The traffic process's {@code STATS} line: frames sent and received, returned frames
 * checked and found wrong, the first wrong {@link ReturnCheck.Verdict}, and memif drops (frames
 * its server end refused: bad descriptors and the like), all since it started.
 */
record TrafficStats(long sent, long received, long checked, long bad, int firstBad, long memifDrops) {

    /** From the numbers of a {@code STATS} line; a line of another shape is an error. */
    static TrafficStats of(long[] values) {
        if (values.length != 6) {
            throw new IllegalArgumentException("the traffic process's STATS has " + values.length
                    + " numbers, not 6: sent received checked bad first_bad memif_drops");
        }
        if (values[4] >= ReturnCheck.Verdict.values().length) {
            throw new IllegalArgumentException("first_bad " + values[4] + " names no verdict");
        }
        return new TrafficStats(values[0], values[1], values[2], values[3], (int) values[4], values[5]);
    }

    /**
     * Throws unless returned frames were checked and every one was as expected: a figure of
     * frames that were not really routed (or swapped) must not be reported.
     */
    void requireClean(String dut) {
        if (bad > 0) {
            throw new IllegalStateException(dut + ": " + bad + " of " + checked + " returned frames checked were wrong; the first: "
                    + ReturnCheck.Verdict.values()[firstBad].text);
        }
        if (checked == 0) {
            throw new IllegalStateException(dut + ": no returned frame was checked, so nothing shows it forwarded");
        }
    }
}
