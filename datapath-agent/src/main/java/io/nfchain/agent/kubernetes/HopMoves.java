package io.nfchain.agent.kubernetes;

import io.nfchain.agent.spec.ChainSpec;
import io.nfchain.agent.spec.FunctionSpec;
import io.nfchain.agent.spec.NodeSpec;
import io.nfchain.agent.spec.NodeSpecReader;
import io.nfchain.agent.spec.SpecException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Thread-safe (stateless). Make-before-break for a spec that moves a hop to another function
 * instance (the controller's rolling update): before the hop moves, the new instance's link must
 * be up. {@link #staged} gives the spec to apply first: {@code next} with every such hop still
 * on its old function, so the new links open and their NFs connect while the old ones carry the
 * traffic. Then {@code next} itself is applied, and the old links drain ({@code Datapath.apply}).
 */
public final class HopMoves {
    private HopMoves() {}

    /**
     * The first step towards {@code next}, and the functions it waits for.
     *
     * @param waitFor the new functions whose links must be up before {@code next} is applied
     */
    public record Staged(NodeSpec spec, Set<String> waitFor) {}

    /**
     * The staged spec, or null when {@code next} can be applied at once: no hop moves, or every
     * new function's link is already up ({@code linkUp}), or keeping an old function would make
     * the spec invalid (its socket taken by a new function, say).
     */
    public static Staged staged(NodeSpec running, NodeSpec next, Predicate<String> linkUp) {
        Set<String> waitFor = new LinkedHashSet<>();
        List<FunctionSpec> functions = new ArrayList<>(next.functions());
        List<ChainSpec> chains = new ArrayList<>();
        for (ChainSpec c : next.chains()) {
            ChainSpec was = running.chain(c.name()).orElse(null);
            if (was == null || was.hops().size() != c.hops().size()) {
                chains.add(c);
                continue;
            }
            List<ChainSpec.Hop> hops = new ArrayList<>(c.hops());
            for (int h = 0; h < hops.size(); h++) {
                ChainSpec.Hop old = was.hops().get(h);
                String moved = hops.get(h).function();
                FunctionSpec oldFunction = running.function(old.function()).orElse(null);
                if (old.function().equals(moved) || linkUp.test(moved) || oldFunction == null) {
                    continue;
                }
                hops.set(h, old);
                if (next.function(old.function()).isEmpty()) {
                    functions.add(oldFunction);
                }
                waitFor.add(moved);
            }
            chains.add(new ChainSpec(c.name(), c.priority(), c.classifier(), hops, c.egressPort()));
        }
        if (waitFor.isEmpty()) {
            return null;
        }
        NodeSpec staged = new NodeSpec(next.ports(), functions, chains);
        try {
            NodeSpecReader.validate(staged);
        } catch (SpecException e) {
            return null;
        }
        return new Staged(staged, waitFor);
    }
}
