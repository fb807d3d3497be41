package io.nfchain.agent.datapath;

/**
 * Immutable. Why the agent's datapath dropped a packet: one counter each, per chain and in total,
 * shown by metrics and {@code nfchainctl show errors}.
 */
public enum DatapathDrop {
    NO_CHAIN("no chain on the ingress port matched"),
    HOP_DOWN("hop's function is down and the hop fails closed"),
    RING_FULL("next hop's ring or egress port's queue was full"),
    EGRESS_DOWN("egress port is down");

    private final String text;

    DatapathDrop(String text) {
        this.text = text;
    }

    public String text() {
        return text;
    }
}
