package io.nfchain.agent.inventory;

import java.util.List;

/**
 * Immutable. What a node has, as its sysfs tells it: CPUs, NUMA nodes, hugepage pools and NICs
 * with their SR-IOV virtual functions. {@link #errors()} lists what could not be read: an item
 * that could not be read is left out and named there, the rest is still reported.
 *
 * @param onlineCpus the online CPUs in the kernel's list form ({@code 0-3,8})
 * @param cpus how many CPUs are online
 * @param numaNodes the NUMA node numbers
 * @param hugepages one pool per page size for the whole node ({@link HugepagePool#WHOLE_NODE}),
 *     then one per size and NUMA node
 * @param nics the physical network interfaces (those with a device); virtual functions are listed
 *     under their physical function, not here
 * @param errors what could not be read, each {@code path: problem}
 */
public record NodeInventory(String onlineCpus, int cpus, List<Integer> numaNodes, List<HugepagePool> hugepages,
        List<Nic> nics, List<String> errors) {
    public NodeInventory {
        numaNodes = List.copyOf(numaNodes);
        hugepages = List.copyOf(hugepages);
        nics = List.copyOf(nics);
        errors = List.copyOf(errors);
    }

    /**
     * Immutable. Hugepages of one size, on the whole node or on one NUMA node.
     *
     * @param numaNode the NUMA node, or {@link #WHOLE_NODE} for the node's total
     */
    public record HugepagePool(long sizeKiB, long total, long free, int numaNode) {
        public static final int WHOLE_NODE = -1;
    }

    /**
     * Immutable. A network interface backed by a PCI device.
     *
     * @param pciAddress the PCI function ({@code 0000:3b:00.0}); "" when the device is not on PCI
     * @param driver the kernel driver bound to the device; "" when none is
     * @param numaNode the device's NUMA node; -1 when the platform does not say
     * @param totalVfs how many virtual functions the device can have (0: no SR-IOV)
     * @param numVfs how many it has now
     */
    public record Nic(String name, String pciAddress, String driver, int numaNode, int totalVfs, int numVfs,
            List<VirtualFunction> vfs) {
        public Nic {
            vfs = List.copyOf(vfs);
        }
    }

    /**
     * Immutable. One SR-IOV virtual function of a NIC.
     *
     * @param driver {@code vfio-pci} when a DPDK port may take it, a kernel driver's name, or "" unbound
     */
    public record VirtualFunction(int index, String pciAddress, String driver) {
        public static final String VFIO_PCI = "vfio-pci";
    }

    /** Pages of {@code sizeKiB} on the whole node (total, free); zeros when there is no such pool. */
    public HugepagePool wholeNode(long sizeKiB) {
        return hugepages.stream().filter(p -> p.numaNode() == HugepagePool.WHOLE_NODE && p.sizeKiB() == sizeKiB)
                .findFirst().orElse(new HugepagePool(sizeKiB, 0, 0, HugepagePool.WHOLE_NODE));
    }

    /** Virtual functions bound to vfio-pci: those a DPDK port can open. */
    public int vfioVfs() {
        return (int) nics.stream().flatMap(n -> n.vfs().stream())
                .filter(v -> VirtualFunction.VFIO_PCI.equals(v.driver())).count();
    }
}
