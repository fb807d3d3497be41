package io.nfchain.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;

/**
 * What a node has and does; written by the node's agent only. The controller places NFs against
 * {@link #capacity} minus what it has placed itself.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class DatapathNodeStatus {
    /** The {@code metadata.generation} of the spec the agent last applied (or refused). */
    public Long observedGeneration;
    /** {@code Ready} (the spec is applied), {@code Degraded} (a port or link is down, a spec refused). */
    public List<Condition> conditions = new ArrayList<>();
    public Inventory inventory;
    public List<PortStatus> ports = new ArrayList<>();
    public List<LinkStatus> links = new ArrayList<>();
    public Counters counters;
    /** The last refusal or failure, with the field path when a spec was refused; absent when none. */
    public String lastError;
    /** What NFs may use on this node (after the agent's own cores and the policy's reservations). */
    public Resources capacity;
    /** What the applied spec's instances use, as the agent counts it. */
    public Resources allocated;
    /** Ports in the applied spec (a printer column). */
    public Integer portCount;
    /** Chains in the applied spec (a printer column). */
    public Integer chainCount;

    public DatapathNodeStatus() {}

    /** The node's hardware, read from sysfs. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class Inventory {
        /** Online CPUs. */
        public Integer cpus;
        /** The online CPU list as sysfs writes it ({@code 0-3}). */
        public String onlineCpus;
        public Integer numaNodes;
        public List<Hugepages> hugepages = new ArrayList<>();
        public List<Nic> nics = new ArrayList<>();

        public Inventory() {}
    }

    /** One hugepage pool (per size and NUMA node). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class Hugepages {
        public Long sizeKiB;
        /** Pages. */
        public Long total;
        /** Pages. */
        public Long free;
        public Integer numaNode;

        public Hugepages() {}
    }

    /** A network device and its SR-IOV virtual functions. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class Nic {
        public String name;
        public String pciAddress;
        public String driver;
        public Integer numaNode;
        public Integer totalVfs;
        public Integer numVfs;
        public List<Vf> vfs = new ArrayList<>();

        public Nic() {}
    }

    /** One SR-IOV virtual function. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class Vf {
        public Integer index;
        public String pciAddress;
        public String driver;

        public Vf() {}
    }

    /** A datapath port as the agent runs it. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class PortStatus {
        public String name;
        public PortType type;
        /** {@code up}, {@code down}, ... as the agent reports it. */
        public String state;
        public Long rxPackets;
        public Long txPackets;
        public Long drops;

        public PortStatus() {}
    }

    /** The agent's memif link to one function instance. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class LinkStatus {
        public String function;
        /** {@code up}, {@code down}, {@code draining}. */
        public String state;
        public String socket;

        public LinkStatus() {}
    }

    /** The node's totals. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class Counters {
        public Long rxPackets;
        public Long txPackets;
        public Long drops;

        public Counters() {}
    }

    /** Cores, hugepages (Kubernetes quantities, as pods request them) and VFs. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class Resources {
        public Integer cores;
        /** 2 MiB hugepages as a quantity, {@code 1Gi}. */
        public String hugepages2Mi;
        /** 1 GiB hugepages as a quantity, {@code 4Gi}. */
        public String hugepages1Gi;
        public Integer vfs;

        public Resources() {}
    }
}
