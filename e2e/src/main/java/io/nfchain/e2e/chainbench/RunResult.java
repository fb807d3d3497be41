package io.nfchain.e2e.chainbench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Immutable. One measured window of one system (nfchain, kernel, kernel-route-only): packets
 * offered by the source, taken in by the device under test (decided by its rules and routes:
 * forwarded or dropped by a rule), delivered at the sink, drops by reason, and the machine's busy
 * CPU time from /proc/stat over the same window.
 */
public record RunResult(String system, String mix, double windowS, long offered, long processed, long delivered,
        Map<String, Long> drops, CpuTicks cpu) {

    /** Packets decided per second, in millions. */
    public double mpps() {
        return processed / windowS / 1e6;
    }

    public double deliveredMpps() {
        return delivered / windowS / 1e6;
    }

    /** Packets decided per CPU-second of the whole machine (user, system, irq, softirq). */
    public double pktsPerCpuS() {
        double cpuS = cpu.busySeconds();
        return cpuS <= 0 ? 0 : processed / cpuS;
    }

    public double deliveredPerCpuS() {
        double cpuS = cpu.busySeconds();
        return cpuS <= 0 ? 0 : delivered / cpuS;
    }

    /** CPUs busy on average over the window. */
    public double cpus() {
        return cpu.busySeconds() / windowS;
    }

    /** The share of decided packets delivered: the rules' permit share, when they held. */
    public double deliveredShare() {
        return processed == 0 ? 0 : (double) delivered / processed;
    }

    /**
     * The share of decided packets the rules let through: delivered, plus those lost for capacity
     * after the acl had permitted them (the router's ring full, the router's own transmit ring
     * full). Those were judged by the rules like the delivered ones; counting them as refused
     * would make an overloaded router look like a wrong rule.
     */
    public double permittedShare() {
        long lostAfterRules = drops.getOrDefault(AFTER_RULES_RING_FULL, 0L) + drops.getOrDefault(ROUTER_TX_FULL, 0L);
        return processed == 0 ? 0 : (double) (delivered + lostAfterRules) / processed;
    }

    /**
     * Packets lost because a ring or queue was full (the agent's per-hop ring-full counts, an NF's
     * transmit ring full), over those offered: the load was more than the system carried. Drops by
     * a rule or a route are decisions, not losses.
     */
    public double capacityLossShare() {
        long lost = 0;
        for (Map.Entry<String, Long> d : drops.entrySet()) {
            if (d.getKey().endsWith("ring full") || d.getKey().endsWith("TX_RING_FULL")) {
                lost += d.getValue();
            }
        }
        return offered <= 0 ? 0 : (double) lost / offered;
    }

    static final String AFTER_RULES_RING_FULL = "agent.router ring full";
    static final String ROUTER_TX_FULL = "router.TX_RING_FULL";

    /** The median of {@code values} (the mean of the middle two for an even count); NaN for none. */
    public static double median(List<Double> values) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(null);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
