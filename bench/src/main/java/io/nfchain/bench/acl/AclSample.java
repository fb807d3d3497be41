package io.nfchain.bench.acl;

/**
 * Immutable. One measurement window of the acl with one rule set.
 *
 * @param rules the rule count in force
 * @param run which of the rule count's runs (0, 1, ...)
 * @param seconds the window, between two reads of the acl's counters
 * @param decided frames the acl decided in the window (permitted plus denied, its own counters)
 * @param permitted of those, the ones it let through
 * @param offered frames the memif ring took from the traffic process in the window
 * @param dutCpuSeconds CPU time of the whole runner process (all its threads) in the window
 * @param trafficCpuSeconds CPU time of the whole traffic process in the window
 * @param compileMs what ReplaceRules answered: validating and compiling the rule set
 */
record AclSample(int rules, int run, double seconds, long decided, long permitted, long offered, double dutCpuSeconds,
        double trafficCpuSeconds, double compileMs) {

    /** Millions of frames decided per second. */
    double mpps() {
        return decided / seconds / 1e6;
    }

    double offeredMpps() {
        return offered / seconds / 1e6;
    }

    /**
     * Millions of frames decided per CPU-second of the runner: what a core of it does. It falls
     * under contention too, since the runner busy-polls an empty ring while the traffic process
     * waits for its core; it only takes out the time the runner itself was not running.
     */
    double mppsPerDutCpuSecond() {
        return decided / dutCpuSeconds / 1e6;
    }

    /** The share of the decided frames let through. */
    double passShare() {
        return decided == 0 ? 0 : permitted / (double) decided;
    }

    /** The runner's CPU time over the window: near 1 when its poll thread had its core. */
    double dutCpuShare() {
        return dutCpuSeconds / seconds;
    }

    /**
     * The smaller of the two processes' CPU time over the window, as a fraction of it: near 1 when
     * each had its core; lower when other processes took turns on one of them.
     */
    double cpuShare() {
        return Math.min(trafficCpuSeconds, dutCpuSeconds) / seconds;
    }
}
