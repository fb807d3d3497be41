package io.nfchain.bench.idle;

/**
 * Immutable. One measurement window of one cell (a strategy at a load): what the receiver
 * reported for its poll thread and the machine, and what the sender offered meanwhile.
 *
 * @param strategy the strategy's label
 * @param loadPct the offered load, % of the link's maximum
 * @param wallNs the window's length, measured by the receiver
 * @param frames frames the poll thread received
 * @param gaps frames missing from the sequence (the sender dropped them: the ring was full)
 * @param cpuNs the poll thread's CPU time (user + system)
 * @param systemTicks the poll thread's system time, in clock ticks (10 ms here): the kernel's share
 * @param waitNs time the poll thread was runnable but another task held its CPU
 * @param switches times the poll thread was switched onto a CPU: about one per wake-up
 * @param machineBusyCores the whole machine's CPU use in cores, every process included
 * @param stealPct CPU time the hypervisor took, % of the machine
 * @param busyNs the runner's time in doWork calls that found frames
 * @param emptyPolls the runner's cycles that found nothing
 * @param busyLoops the runner's cycles that found frames
 * @param sleeps the idle strategy's sleeps and blocks
 * @param kicks blocks ended by the sender's eventfd kick ({@code interrupt} only)
 * @param senderOffered frames the sender offered between two COUNT answers: the window, its
 *     warm-up and the commands around them (the load is constant across them)
 * @param senderDropped frames the sender dropped for lack of room in the ring, over the same span
 *     (the window's own losses are {@code gaps})
 * @param senderWallNs the span between the two COUNT answers
 * @param senderCpuNs the sender thread's CPU time
 * @param histogram one-way latencies of the window's frames
 */
public record WindowResult(String strategy, double loadPct, long wallNs, long frames, long gaps, long cpuNs,
        long systemTicks, long waitNs, long switches, double machineBusyCores, double stealPct, long busyNs,
        long emptyPolls, long busyLoops, long sleeps, long kicks, long senderOffered, long senderDropped,
        long senderWallNs, long senderCpuNs, LatencyHistogram histogram) {

    /** Clock ticks per second of /proc's utime, stime and /proc/stat (USER_HZ). */
    static final double TICKS_PER_SECOND = 100;

    /**
     * Reads a receiver's {@code RESULT} and the sender's {@code COUNT} answers before and after it.
     *
     * @throws IllegalArgumentException if a field is missing or malformed
     */
    static WindowResult of(String strategy, double loadPct, ControlLine result, ControlLine senderBefore,
            ControlLine senderAfter) {
        long wallNs = result.longValue("wall_ns");
        if (wallNs <= 0) {
            throw new IllegalArgumentException("RESULT wall_ns must be > 0: " + wallNs);
        }
        double machineTicks = result.longValue("machine_ticks");
        double wallTicks = wallNs / 1e9 * TICKS_PER_SECOND;
        return new WindowResult(strategy, loadPct, wallNs, result.longValue("frames"), result.longValue("gaps"),
                result.longValue("cpu_ns"), result.longValue("system_ticks"), result.longValue("wait_ns"),
                result.longValue("switches"), result.longValue("machine_busy_ticks") / wallTicks,
                machineTicks == 0 ? 0 : 100.0 * result.longValue("machine_steal_ticks") / machineTicks,
                result.longValue("busy_ns"), result.longValue("empty_polls"), result.longValue("busy_loops"),
                result.longValue("sleeps"), result.longValue("kicks"),
                senderAfter.longValue("offered") - senderBefore.longValue("offered"),
                senderAfter.longValue("dropped") - senderBefore.longValue("dropped"),
                senderAfter.longValue("wall_ns") - senderBefore.longValue("wall_ns"),
                senderAfter.longValue("cpu_ns") - senderBefore.longValue("cpu_ns"),
                LatencyHistogram.decode(result.text("histogram")));
    }

    /** The poll thread's CPU use, % of one core. */
    public double cpuPct() {
        return 100.0 * cpuNs / wallNs;
    }

    /** Time the poll thread waited for its CPU, % of the window. */
    public double waitPct() {
        return 100.0 * waitNs / wallNs;
    }

    public double deliveredMpps() {
        return frames * 1e3 / wallNs;
    }

    public double offeredMpps() {
        return senderWallNs <= 0 ? 0 : senderOffered * 1e3 / senderWallNs;
    }

    /** The sender thread's CPU use, % of one core. */
    public double senderCpuPct() {
        return senderWallNs <= 0 ? 0 : 100.0 * senderCpuNs / senderWallNs;
    }

    /** CPU the rest of the machine used (other processes, our JVMs' other threads), in cores. */
    public double otherCores() {
        return Math.max(0, machineBusyCores - (double) cpuNs / wallNs - senderCpuPct() / 100);
    }
}
