package io.nfchain.functions.acl;

import io.nfchain.api.acl.v1.Action;
import io.nfchain.api.acl.v1.Flow;
import io.nfchain.api.acl.v1.GetRulesResponse;
import io.nfchain.api.acl.v1.ListFlowsRequest;
import io.nfchain.api.acl.v1.ListFlowsResponse;
import io.nfchain.api.acl.v1.ReplaceRulesRequest;
import io.nfchain.api.acl.v1.ReplaceRulesResponse;
import io.nfchain.api.acl.v1.Rule;
import io.nfchain.api.acl.v1.RuleHits;
import io.nfchain.core.packet.IpAddresses;
import io.nfchain.functions.rules.InvalidRuleException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * Thread-safe: changes are serialized on this object's lock, which the poll thread never takes.
 * The ACL's control plane, in the terms of {@code nfchain.acl.v1} (the gRPC service, the CLI and
 * tests call the same methods).
 *
 * <p>{@link #replaceRules} validates the whole request first ({@link InvalidRuleException} naming
 * the field as the .proto does, {@code rules[3].dst_ports}), compiles the classifier on the
 * caller's thread, then publishes it with one store: the worker takes it up at its next burst, so
 * every packet sees the old rules or the new ones and a refused request changes nothing.
 */
public final class AclControl {
    static final int DEFAULT_PAGE = 1000;
    static final int MAX_PAGE = 10_000;
    private static final VarHandle LONGS = MethodHandles.arrayElementVarHandle(long[].class);

    private final AclEngine engine;
    private final LongSupplier clock;
    private List<Rule> rules = List.of();

    /** A request the function's configuration does not allow (stateful mode is fixed at start). Immutable. */
    public static final class ModeException extends RuntimeException {
        public ModeException(String message) {
            super(message);
        }
    }

    AclControl(AclEngine engine, LongSupplier clock) {
        this.engine = engine;
        this.clock = clock;
    }

    /** Whether the function tracks flows (from configuration; a request cannot change it). */
    public boolean stateful() {
        return engine.flows() != null;
    }

    /** Replaces every rule and the default action, all or nothing. */
    public synchronized ReplaceRulesResponse replaceRules(ReplaceRulesRequest request) {
        if (request.hasStateful() && request.getStateful() != stateful()) {
            throw new ModeException("this acl is " + (stateful() ? "stateful" : "stateless")
                    + "; the mode is set at start by nfchain.acl.stateful, not by a rule change");
        }
        long startNs = System.nanoTime();
        List<AclRuleSpec> specs = new ArrayList<>(request.getRulesCount());
        for (int i = 0; i < request.getRulesCount(); i++) {
            specs.add(spec(request.getRules(i), "rules[" + i + "]"));
        }
        AclRuleSet set;
        try {
            set = AclRuleSet.validate(specs, action(request.getDefaultAction()));
        } catch (InvalidRuleException e) {
            String message = e.getMessage().substring(e.field().length() + 2);
            throw new InvalidRuleException(protoField(e.field()), message);
        }
        AclClassifier classifier = AclClassifier.compile(set);
        engine.publish(classifier, request.getFlushFlows());
        rules = List.copyOf(request.getRulesList());
        return ReplaceRulesResponse.newBuilder().setRules(set.size())
                .setCompileMs((System.nanoTime() - startNs) / 1e6).build();
    }

    /**
     * The rules in force and their hits. Hits count from when the worker took the rules up; a
     * set published but not yet taken up (no packet since) shows zero hits.
     */
    public synchronized GetRulesResponse getRules() {
        AclClassifier current = engine.published();
        AclEngine.Adopted adopted = engine.adopted();
        long[] hits = adopted.classifier() == current ? adopted.ruleHits() : null;
        GetRulesResponse.Builder out = GetRulesResponse.newBuilder()
                .setDefaultAction(current.defaultAction() == AclAction.PERMIT ? Action.PERMIT : Action.DENY)
                .setStateful(stateful());
        for (int i = 0; i < rules.size(); i++) {
            out.addRules(RuleHits.newBuilder().setRule(rules.get(i)).setHits(hits == null ? 0 : read(hits, i)));
        }
        out.setDefaultHits(hits == null ? 0 : read(hits, hits.length - 1));
        return out.build();
    }

    /** A page of tracked flows, read while the worker runs (see {@link FlowTable#list}). */
    public ListFlowsResponse listFlows(ListFlowsRequest request) {
        FlowTable flows = engine.flows();
        if (flows == null) {
            throw new ModeException("this acl is stateless (nfchain.acl.stateful=false): it tracks no flows");
        }
        int pageSize = request.getPageSize() == 0 ? DEFAULT_PAGE : request.getPageSize();
        if (pageSize < 0 || pageSize > MAX_PAGE) {
            throw new InvalidRuleException("page_size", "at most " + MAX_PAGE + ", was "
                    + Integer.toUnsignedString(request.getPageSize()));
        }
        int from = pageToken(request.getPageToken(), flows.slotCount());
        FlowTable.Page page = flows.list(from, pageSize);
        long nowNs = clock.getAsLong();
        ListFlowsResponse.Builder out = ListFlowsResponse.newBuilder()
                .setFlowsInTable(flows.size())
                .setCapacity(flows.maxFlows())
                .setEvicted(read(engine.counters(), AclCounter.ACL_FLOW_EVICTED.ordinal()))
                .setNextPageToken(page.nextSlot() >= flows.slotCount() ? "" : Integer.toString(page.nextSlot()));
        for (FlowTable.Entry f : page.entries()) {
            out.addFlows(Flow.newBuilder()
                    .setSrc(address(f.version(), f.srcHi(), f.srcLo()))
                    .setDst(address(f.version(), f.dstHi(), f.dstLo()))
                    .setProtocol(f.protocol()).setSrcPort(f.srcPort()).setDstPort(f.dstPort())
                    .setExpiresInNs(Math.max(0, f.expiresAtNs() - nowNs))
                    .setState(f.state()));
        }
        return out.build();
    }

    private static int pageToken(String token, int slotCount) {
        if (token.isEmpty()) {
            return 0;
        }
        try {
            int slot = Integer.parseInt(token);
            if (slot >= 0 && slot < slotCount) {
                return slot;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw new InvalidRuleException("page_token", "'" + token + "' is not a token a ListFlows page gave");
    }

    private static String address(int version, long hi, long lo) {
        return version == 4 ? IpAddresses.ipv4ToString((int) lo) : IpAddresses.ipv6ToString(hi, lo);
    }

    /** A count the worker writes with plain stores, read whole. */
    private static long read(long[] counts, int index) {
        return (long) LONGS.getOpaque(counts, index);
    }

    /** The proto rule as the validator takes it; only numbers the validator cannot see (beyond 2^31) are refused here. */
    static AclRuleSpec spec(Rule r, String name) {
        int protocol = r.hasProtocol() ? u32(r.getProtocol(), name + ".protocol") : AclRuleSpec.ANY;
        AclRuleSpec.PortRange src = r.hasSrcPorts() ? new AclRuleSpec.PortRange(
                u32(r.getSrcPorts().getFirst(), name + ".src_ports"), u32(r.getSrcPorts().getLast(), name + ".src_ports"))
                : null;
        AclRuleSpec.PortRange dst = r.hasDstPorts() ? new AclRuleSpec.PortRange(
                u32(r.getDstPorts().getFirst(), name + ".dst_ports"), u32(r.getDstPorts().getLast(), name + ".dst_ports"))
                : null;
        int dscp = r.hasDscp() ? u32(r.getDscp(), name + ".dscp") : AclRuleSpec.ANY;
        AclAction action = action(r.getAction());
        int setDscp = u32(r.getSetDscp(), name + ".set_dscp");
        if (action != AclAction.SET_DSCP && setDscp == 0) {
            setDscp = AclRuleSpec.NONE; // proto3 cannot tell 0 from absent; only set-dscp reads it
        }
        return new AclRuleSpec(r.getSrcPrefix(), r.getDstPrefix(), protocol, src, dst, dscp,
                u32(r.getTcpFlagsValue(), name + ".tcp_flags_value"), u32(r.getTcpFlagsMask(), name + ".tcp_flags_mask"),
                action, setDscp);
    }

    private static int u32(int value, String field) {
        if (value < 0) {
            throw new InvalidRuleException(field, Integer.toUnsignedString(value) + " is out of range");
        }
        return value;
    }

    private static AclAction action(Action action) {
        return switch (action) {
            case PERMIT -> AclAction.PERMIT;
            case DENY -> AclAction.DENY;
            case COUNT -> AclAction.COUNT;
            case SET_DSCP -> AclAction.SET_DSCP;
            default -> null; // unspecified or unknown: the validator names the field
        };
    }

    /** {@code rules[3].dstPorts} (the validator's record names) as the .proto spells it: {@code rules[3].dst_ports}. */
    static String protoField(String field) {
        int dot = field.lastIndexOf('.');
        String head = dot < 0 ? "" : field.substring(0, dot + 1);
        String last = field.substring(dot + 1);
        if (last.equals("tcpFlags")) {
            return head + "tcp_flags_mask";
        }
        StringBuilder out = new StringBuilder(head);
        for (char c : last.toCharArray()) {
            if (Character.isUpperCase(c)) {
                out.append('_').append(Character.toLowerCase(c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
