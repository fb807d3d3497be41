package io.nfchain.agent.kubernetes;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.nfchain.agent.datapath.Datapath;
import io.nfchain.agent.inventory.NodeInventory;
import io.nfchain.agent.port.MemifPort;
import io.nfchain.agent.runtime.AgentViews;
import io.nfchain.agent.spec.FunctionSpec;
import io.nfchain.agent.spec.NodeSpec;
import io.nfchain.api.agent.v1.Counter;
import io.nfchain.api.v1alpha1.Conditions;
import io.nfchain.api.v1alpha1.DatapathNodeStatus;
import io.nfchain.api.v1alpha1.PortType;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Thread-safe (stateless). The {@code DatapathNode} status from what the agent knows: the node's
 * inventory, the running plan (ports, links, counters, through the API's views), and how the last
 * spec fared. Pure: the clock and the previous conditions are passed in, so a condition keeps its
 * {@code lastTransitionTime} while its status stays.
 */
public final class NodeStatusModel {
    /** Cores the agent keeps for itself: its datapath worker's poll thread. */
    public static final int AGENT_CORES = 1;
    static final String SPEC_APPLIED = "SpecApplied";
    static final String SPEC_REJECTED = "SpecRejected";
    static final String APPLY_FAILED = "ApplyFailed";
    static final String NO_SPEC_YET = "NoSpecYet";

    private NodeStatusModel() {}

    /**
     * How the agent fared with its {@code DatapathNode}'s spec.
     *
     * @param observedGeneration the generation last applied or refused; null before the first
     * @param refusal why that generation was refused ("" when it was applied)
     * @param refusalReason {@link #SPEC_REJECTED} (the reader or validation refused it) or
     *     {@link #APPLY_FAILED} (valid, but a port or link could not be opened); "" when applied
     */
    public record SpecState(Long observedGeneration, String refusal, String refusalReason) {
        public static final SpecState NONE = new SpecState(null, "", "");

        static SpecState applied(long generation) {
            return new SpecState(generation, "", "");
        }

        boolean refused() {
            return !refusal.isEmpty();
        }
    }

    public static DatapathNodeStatus status(NodeInventory inventory, Datapath datapath, SpecState spec,
            List<Condition> previous, Instant now) {
        DatapathNodeStatus s = new DatapathNodeStatus();
        NodeSpec running = datapath.spec();
        Map<String, MemifPort> links = datapath.functionLinks();
        s.observedGeneration = spec.observedGeneration();
        s.inventory = inventory(inventory);
        s.capacity = capacity(inventory);
        long rx = 0;
        long tx = 0;
        List<String> portsDown = new ArrayList<>();
        for (io.nfchain.api.agent.v1.Port p : AgentViews.ports(datapath.plan(), links)) {
            DatapathNodeStatus.PortStatus ps = new DatapathNodeStatus.PortStatus();
            ps.name = p.getName();
            ps.type = portType(p.getType());
            ps.state = p.getState();
            ps.rxPackets = p.getRxPackets();
            ps.txPackets = p.getTxPackets();
            ps.drops = p.getDropsList().stream().mapToLong(Counter::getValue).sum();
            rx += ps.rxPackets;
            tx += ps.txPackets;
            if (!p.getUp()) {
                portsDown.add(p.getName());
            }
            s.ports.add(ps);
        }
        List<String> draining = datapath.drainingFunctions();
        List<String> connecting = new ArrayList<>();
        links.forEach((function, link) -> {
            DatapathNodeStatus.LinkStatus ls = new DatapathNodeStatus.LinkStatus();
            ls.function = function;
            ls.state = draining.contains(function) ? "draining" : link.isUp() ? "up" : "down";
            ls.socket = running.function(function).map(FunctionSpec::socket).map(Object::toString).orElse(null);
            if ("down".equals(ls.state)) {
                connecting.add(function);
            }
            s.links.add(ls);
        });
        s.counters = new DatapathNodeStatus.Counters();
        s.counters.rxPackets = rx;
        s.counters.txPackets = tx;
        s.counters.drops = AgentViews.errors(datapath, true).stream().filter(c -> !c.getName().equals("BYPASSED"))
                .mapToLong(Counter::getValue).sum();
        s.lastError = spec.refused() ? spec.refusal() : null;
        s.portCount = running.ports().size();
        s.chainCount = running.chains().size();
        s.conditions = conditions(inventory, spec, portsDown, connecting, previous, now);
        return s;
    }

    private static List<Condition> conditions(NodeInventory inventory, SpecState spec, List<String> portsDown,
            List<String> connecting, List<Condition> previous, Instant now) {
        Long generation = spec.observedGeneration();
        List<Condition> out = new ArrayList<>();
        if (generation == null) {
            out.add(condition(Conditions.READY, false, NO_SPEC_YET, "the DatapathNode has not been read yet",
                    null, previous, now));
        } else if (spec.refused()) {
            out.add(condition(Conditions.READY, false, spec.refusalReason(), "generation " + generation
                    + " refused, the previous spec runs on: " + spec.refusal(), generation, previous, now));
        } else {
            out.add(condition(Conditions.READY, true, SPEC_APPLIED, "generation " + generation + " runs",
                    generation, previous, now));
        }
        if (connecting.isEmpty()) {
            out.add(condition(Conditions.PROGRESSING, false, "Converged", "every function link is up or draining",
                    generation, previous, now));
        } else {
            out.add(condition(Conditions.PROGRESSING, true, "LinksConnecting", "waiting for function(s) to connect: "
                    + String.join(", ", connecting), generation, previous, now));
        }
        if (spec.refused()) {
            out.add(condition(Conditions.DEGRADED, true, spec.refusalReason(), spec.refusal(), generation, previous,
                    now));
        } else if (!portsDown.isEmpty()) {
            out.add(condition(Conditions.DEGRADED, true, "PortDown", "port(s) down: " + String.join(", ", portsDown),
                    generation, previous, now));
        } else if (!inventory.errors().isEmpty()) {
            out.add(condition(Conditions.DEGRADED, true, "InventoryIncomplete", inventory.errors().size()
                    + " item(s) of sysfs could not be read; the first: " + inventory.errors().get(0), generation,
                    previous, now));
        } else {
            out.add(condition(Conditions.DEGRADED, false, "AsExpected", "ports up, spec applied", generation,
                    previous, now));
        }
        return out;
    }

    /** A condition; its lastTransitionTime is the previous one's while its status has not changed. */
    private static Condition condition(String type, boolean status, String reason, String message, Long generation,
            List<Condition> previous, Instant now) {
        String text = status ? Conditions.TRUE : Conditions.FALSE;
        Condition before = Conditions.find(previous, type);
        String since = before != null && text.equals(before.getStatus()) && before.getLastTransitionTime() != null
                ? before.getLastTransitionTime()
                : DateTimeFormatter.ISO_INSTANT.format(now.truncatedTo(ChronoUnit.SECONDS));
        return new ConditionBuilder().withType(type).withStatus(text).withReason(reason)
                .withMessage(message.length() > 1024 ? message.substring(0, 1024) + "..." : message)
                .withObservedGeneration(generation).withLastTransitionTime(since).build();
    }

    static DatapathNodeStatus.Inventory inventory(NodeInventory inv) {
        DatapathNodeStatus.Inventory out = new DatapathNodeStatus.Inventory();
        out.cpus = inv.cpus();
        out.onlineCpus = inv.onlineCpus();
        out.numaNodes = inv.numaNodes().size();
        for (NodeInventory.HugepagePool p : inv.hugepages()) {
            DatapathNodeStatus.Hugepages h = new DatapathNodeStatus.Hugepages();
            h.sizeKiB = p.sizeKiB();
            h.total = p.total();
            h.free = p.free();
            h.numaNode = p.numaNode() == NodeInventory.HugepagePool.WHOLE_NODE ? null : p.numaNode();
            out.hugepages.add(h);
        }
        for (NodeInventory.Nic n : inv.nics()) {
            DatapathNodeStatus.Nic nic = new DatapathNodeStatus.Nic();
            nic.name = n.name();
            nic.pciAddress = n.pciAddress().isEmpty() ? null : n.pciAddress();
            nic.driver = n.driver().isEmpty() ? null : n.driver();
            nic.numaNode = n.numaNode() < 0 ? null : n.numaNode();
            nic.totalVfs = n.totalVfs();
            nic.numVfs = n.numVfs();
            for (NodeInventory.VirtualFunction v : n.vfs()) {
                DatapathNodeStatus.Vf vf = new DatapathNodeStatus.Vf();
                vf.index = v.index();
                vf.pciAddress = v.pciAddress();
                vf.driver = v.driver().isEmpty() ? null : v.driver();
                nic.vfs.add(vf);
            }
            out.nics.add(nic);
        }
        return out;
    }

    /**
     * What NFs may use: the online CPUs but the agent's own ({@link #AGENT_CORES}), every hugepage
     * of the node's pools (the controller subtracts what it placed; free pages would count its own
     * pods twice), and the VFs bound to vfio-pci (those a DPDK port can open).
     */
    static DatapathNodeStatus.Resources capacity(NodeInventory inv) {
        DatapathNodeStatus.Resources r = new DatapathNodeStatus.Resources();
        r.cores = Math.max(0, inv.cpus() - AGENT_CORES);
        r.hugepages2Mi = quantityMi(inv.wholeNode(2048).total() * 2);
        r.hugepages1Gi = quantityMi(inv.wholeNode(1048576).total() * 1024);
        r.vfs = inv.vfioVfs();
        return r;
    }

    /** {@code mebibytes} as a Kubernetes quantity: {@code 4Gi} when whole gibibytes, else {@code 1536Mi}. */
    static String quantityMi(long mebibytes) {
        return mebibytes % 1024 == 0 ? mebibytes / 1024 + "Gi" : mebibytes + "Mi";
    }

    private static PortType portType(String type) {
        try {
            return PortType.of(type);
        } catch (IllegalArgumentException e) {
            return null; // a port type the CRD does not list yet: the status leaves it out rather than lie
        }
    }
}
