package io.nfchain.core.runtime;

import java.util.List;

/**
 * Several agents sharing one runner thread, such as the workers of two small ports on one
 * core. {@link #doWork()} runs each once and returns the sum.
 *
 * <p>When one agent throws, the cycle ends there and the exception goes to the runner; the
 * next cycle starts with the agent after it, so a failing agent never starves the others.
 */
public final class CompositeAgent implements Agent {
    private final Agent[] agents;
    private final String roleName;
    private int nextIndex;

    /** @param agents at least one; run in this order */
    public CompositeAgent(List<? extends Agent> agents) {
        if (agents.isEmpty()) {
            throw new IllegalArgumentException("a composite needs at least one agent");
        }
        this.agents = agents.toArray(new Agent[0]);
        StringBuilder name = new StringBuilder("[");
        for (int i = 0; i < this.agents.length; i++) {
            name.append(i == 0 ? "" : ",").append(this.agents[i].roleName());
        }
        this.roleName = name.append(']').toString();
    }

    @Override
    public int doWork() throws Exception {
        Agent[] local = agents;
        int count = local.length;
        int start = nextIndex;
        int workCount = 0;
        for (int k = 0; k < count; k++) {
            int i = start + k < count ? start + k : start + k - count;
            // Should agent i throw, the next cycle begins with the agent after it.
            nextIndex = i + 1 < count ? i + 1 : 0;
            workCount += local[i].doWork();
        }
        nextIndex = start;
        return workCount;
    }

    @Override
    public String roleName() {
        return roleName;
    }

    /** Starts the agents in order; if one fails, the ones already started are closed. */
    @Override
    public void onStart() throws Exception {
        for (int i = 0; i < agents.length; i++) {
            try {
                agents[i].onStart();
            } catch (Exception e) {
                closeAll(i, e);
                throw e;
            }
        }
    }

    /** Closes every agent, even when one throws; the first failure is rethrown, the others suppressed. */
    @Override
    public void onClose() throws Exception {
        Exception first = closeAll(agents.length, null);
        if (first != null) {
            throw first;
        }
    }

    private Exception closeAll(int count, Exception earlier) {
        Exception first = earlier;
        for (int i = 0; i < count; i++) {
            try {
                agents[i].onClose();
            } catch (Exception e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        return first;
    }
}
