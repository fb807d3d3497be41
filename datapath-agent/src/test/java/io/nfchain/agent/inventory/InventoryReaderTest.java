package io.nfchain.agent.inventory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nfchain.agent.inventory.NodeInventory.HugepagePool;
import io.nfchain.agent.inventory.NodeInventory.Nic;
import io.nfchain.agent.inventory.NodeInventory.VirtualFunction;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InventoryReaderTest {
    @TempDir
    Path root;

    /** A two-socket node: a PF with three VFs (two for DPDK, one a kernel netdev), a virtio NIC, lo. */
    private FakeSysfs telcoNode() {
        return new FakeSysfs(root).cpus("0-3,8-11").numaNode(0).numaNode(1)
                .hugepages(2048, 1024, 1000).hugepages(1048576, 4, 2)
                .nodeHugepages(0, 2048, 512, 500).nodeHugepages(0, 1048576, 2, 1)
                .nodeHugepages(1, 2048, 512, 500).nodeHugepages(1, 1048576, 2, 1)
                .pciFunction("0000:3b:00.0", "ice", 1).netdev("ens1f0", "0000:3b:00.0")
                .sriov("0000:3b:00.0", 64, "0000:3b:01.0", "vfio-pci", "0000:3b:01.1", "vfio-pci",
                        "0000:3b:01.2", "iavf")
                .netdev("ens1f0v2", "0000:3b:01.2")
                .pciFunction("0000:00:03.0", "virtio-pci", -1)
                .link("sys/devices/pci0000:00/0000:00:03.0/virtio2/driver", "sys/bus/virtio/drivers/virtio_net")
                .netdevOn("eth0", "sys/devices/pci0000:00/0000:00:03.0/virtio2")
                .virtualNetdev("lo");
    }

    @Test
    void readsCpusNumaHugepagesNicsAndVfs() {
        telcoNode();
        NodeInventory inv = new InventoryReader(root).read();
        assertEquals(List.of(), inv.errors());
        assertEquals("0-3,8-11", inv.onlineCpus());
        assertEquals(8, inv.cpus());
        assertEquals(List.of(0, 1), inv.numaNodes());
        assertEquals(List.of(new HugepagePool(2048, 1024, 1000, -1), new HugepagePool(1048576, 4, 2, -1),
                new HugepagePool(2048, 512, 500, 0), new HugepagePool(1048576, 2, 1, 0),
                new HugepagePool(2048, 512, 500, 1), new HugepagePool(1048576, 2, 1, 1)), inv.hugepages());
        assertEquals(new HugepagePool(1048576, 4, 2, -1), inv.wholeNode(1048576));
        assertEquals(List.of("ens1f0", "eth0"), inv.nics().stream().map(Nic::name).toList(),
                "lo has no device; ens1f0v2 is a VF, listed under its PF");
        Nic pf = inv.nics().get(0);
        assertEquals(new Nic("ens1f0", "0000:3b:00.0", "ice", 1, 64, 3, List.of(
                new VirtualFunction(0, "0000:3b:01.0", "vfio-pci"), new VirtualFunction(1, "0000:3b:01.1", "vfio-pci"),
                new VirtualFunction(2, "0000:3b:01.2", "iavf"))), pf);
        assertEquals(new Nic("eth0", "0000:00:03.0", "virtio_net", -1, 0, 0, List.of()), inv.nics().get(1),
                "a virtio NIC's PCI function is its device's parent");
        assertEquals(2, inv.vfioVfs());
    }

    @Test
    void aKernelWithoutNumaOrHugetlbHasOneNodeAndNoPools() {
        new FakeSysfs(root).cpus("0");
        NodeInventory inv = new InventoryReader(root).read();
        assertEquals(List.of(), inv.errors());
        assertEquals(1, inv.cpus());
        assertEquals(List.of(0), inv.numaNodes());
        assertEquals(List.of(), inv.hugepages());
        assertEquals(new HugepagePool(2048, 0, 0, -1), inv.wholeNode(2048));
        assertEquals(List.of(), inv.nics());
    }

    @Test
    void malformedFilesAreNamedAndTheRestIsStillRead() throws IOException {
        FakeSysfs sys = telcoNode();
        sys.cpus("0-3,x");
        sys.write("sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages", "many\n");
        sys.write("sys/devices/system/node/node1/hugepages/hugepages-1048576kB/free_hugepages", "-3\n");
        sys.write(FakeSysfs.pciDir("0000:3b:00.0") + "/numa_node", "\u0000\u00ff\n");
        sys.write(FakeSysfs.pciDir("0000:3b:00.0") + "/sriov_totalvfs", "9".repeat(5000));
        Path dir = root.resolve(FakeSysfs.pciDir("0000:3b:00.0"));
        Files.createSymbolicLink(dir.resolve("virtfn3"), Path.of("../0000:3b:09.9-gone"));
        Files.delete(root.resolve("sys/devices/system/node/node0/hugepages/hugepages-2048kB/free_hugepages"));

        NodeInventory inv = new InventoryReader(root).read();

        List<String> errors = inv.errors();
        assertEquals(7, errors.size(), String.join("\n", errors));
        assertError(errors, "sys/devices/system/cpu/online: '0-3,x' is not a CPU list: 'x' is not a CPU number");
        assertError(errors, "hugepages-2048kB/nr_hugepages: 'many' is not a whole number");
        assertError(errors, "node1/hugepages/hugepages-1048576kB/free_hugepages: -3 is out of range");
        assertError(errors, "0000:3b:00.0/numa_node: '");
        assertError(errors, "0000:3b:00.0/sriov_totalvfs: longer than 4096 bytes");
        assertError(errors, "node0/hugepages/hugepages-2048kB/free_hugepages: missing");
        assertError(errors, "virtfn3: missing");
        // What could be read still is:
        assertEquals(0, inv.cpus());
        assertEquals(Set.of("1048576/-1", "1048576/0", "2048/1"), inv.hugepages().stream()
                .map(p -> p.sizeKiB() + "/" + p.numaNode()).collect(Collectors.toSet()));
        Nic pf = inv.nics().get(0);
        assertEquals(-1, pf.numaNode());
        assertEquals(0, pf.totalVfs());
        assertEquals(3, pf.numVfs());
        assertEquals(3, pf.vfs().size(), "virtfn3 leads nowhere and is left out");
    }

    private static void assertError(List<String> errors, String fragment) {
        assertTrue(errors.stream().anyMatch(e -> e.contains(fragment)), "no error with '" + fragment + "' in:\n"
                + String.join("\n", errors));
    }

    @Test
    void aDeviceLinkThatLeadsNowhereIsAnErrorNotACrash() throws IOException {
        new FakeSysfs(root).cpus("0-1");
        Path net = Files.createDirectories(root.resolve("sys/devices/virtual/net/ghost"));
        Files.createSymbolicLink(net.resolve("device"), Path.of("../../../pci0000:00/0000:00:09.0"));
        Files.createDirectories(root.resolve("sys/class/net"));
        Files.createSymbolicLink(root.resolve("sys/class/net/ghost"), Path.of("../../devices/virtual/net/ghost"));
        NodeInventory inv = new InventoryReader(root).read();
        assertEquals(List.of(), inv.nics());
        assertEquals(1, inv.errors().size(), inv.errors().toString());
        assertTrue(inv.errors().get(0).contains("ghost/device"), inv.errors().toString());
    }

    /**
     * This machine's own sysfs, checked against /proc, which the reader does not look at: every
     * CPU /proc/cpuinfo lists is online, and /proc/meminfo's default hugepage size and count are
     * among the pools.
     */
    @Test
    void findsThisMachinesCpusAndHugepageSizes() throws IOException {
        NodeInventory inv = new InventoryReader(Path.of("/")).read();
        assertEquals(List.of(), inv.errors());
        Set<Integer> processors;
        try (Stream<String> lines = Files.lines(Path.of("/proc/cpuinfo"))) {
            processors = lines.filter(l -> l.startsWith("processor"))
                    .map(l -> Integer.parseInt(l.split(":")[1].strip()))
                    .collect(Collectors.toCollection(TreeSet::new));
        }
        assertEquals(processors.size(), inv.cpus());
        assertEquals(processors, CpuList.parse(inv.onlineCpus()).stream().boxed().collect(Collectors.toSet()));
        List<String> meminfo = Files.readAllLines(Path.of("/proc/meminfo"));
        long defaultSizeKiB = Long.parseLong(field(meminfo, "Hugepagesize:").replace("kB", "").strip());
        long defaultTotal = Long.parseLong(field(meminfo, "HugePages_Total:"));
        long defaultFree = Long.parseLong(field(meminfo, "HugePages_Free:"));
        HugepagePool pool = inv.wholeNode(defaultSizeKiB);
        assertTrue(inv.hugepages().contains(pool), inv.hugepages() + " has no " + defaultSizeKiB + " kB pool");
        assertEquals(defaultTotal, pool.total());
        assertEquals(defaultFree, pool.free());
        assertFalse(inv.numaNodes().isEmpty());
        for (Nic nic : inv.nics()) {
            assertTrue(nic.pciAddress().isEmpty()
                    || nic.pciAddress().matches("[0-9a-f]{4,8}:[0-9a-f]{2}:[0-9a-f]{2}\\.[0-7]"),
                    nic.toString());
        }
    }

    private static String field(List<String> meminfo, String name) {
        return meminfo.stream().filter(l -> l.startsWith(name)).findFirst().orElseThrow()
                .substring(name.length()).strip();
    }
}
