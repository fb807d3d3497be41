package io.nfchain.bench.router;

/**
 * Immutable. One measurement window of one device under test: what the traffic process sent and
 * got back, and the CPU time each process used in the window.
 *
 * @param seconds the window, between two reads of the traffic process's counts
 * @param sent frames the memif ring took from the traffic process
 * @param received frames that came back
 * @param checked returned frames checked frame by frame since traffic started (all were right)
 * @param trafficCpuSeconds CPU time of the whole traffic process in the window
 * @param dutCpuSeconds CPU time of the whole device-under-test process (all its threads)
 * @param loadSeconds how long loading the routes over gRPC took; NaN for testpmd
 * @param routes IPv4 routes the router held; 0 for testpmd
 */
record Sample(DutRun.Dut dut, int repetition, double seconds, long sent, long received, long checked,
        double trafficCpuSeconds, double dutCpuSeconds, double loadSeconds, long routes) {

    /** Millions of frames per second that came back. */
    double mpps() {
        return received / seconds / 1e6;
    }

    /** Millions of frames per second the ring took. */
    double offeredMpps() {
        return sent / seconds / 1e6;
    }

    /** The share of frames sent in the window that did not come back in it (in flight: at most two rings). */
    double notReturnedFraction() {
        return sent == 0 ? 0 : Math.max(0, sent - received) / (double) sent;
    }

    /**
     * The smaller of the two processes' CPU time over the window, as a fraction of it: near 1 when
     * each had its core; lower when other processes took turns on one of them.
     */
    double cpuShare() {
        return Math.min(trafficCpuSeconds, dutCpuSeconds) / seconds;
    }
}
