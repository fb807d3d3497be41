package io.nfchain.agent.inventory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Not thread-safe. Builds a sysfs-shaped tree under a test directory the way the kernel lays it
 * out: devices under {@code sys/devices}, {@code sys/class/net/X} a relative link into them,
 * {@code device}, {@code driver}, {@code virtfnN} and {@code physfn} relative links.
 */
final class FakeSysfs {
    final Path root;

    FakeSysfs(Path root) {
        this.root = root;
    }

    FakeSysfs write(String path, String text) {
        try {
            Path file = root.resolve(path);
            Files.createDirectories(file.getParent());
            Files.writeString(file, text);
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A relative link at {@code path} to {@code target} (both relative to the root), as sysfs has. */
    FakeSysfs link(String path, String target) {
        try {
            Path link = root.resolve(path);
            Files.createDirectories(link.getParent());
            Files.createDirectories(root.resolve(target));
            Files.createSymbolicLink(link, link.getParent().relativize(root.resolve(target)));
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    FakeSysfs cpus(String online) {
        return write("sys/devices/system/cpu/online", online + "\n");
    }

    FakeSysfs numaNode(int node) {
        return write("sys/devices/system/node/node" + node + "/cpulist", "\n");
    }

    FakeSysfs hugepages(long sizeKiB, long total, long free) {
        String dir = "sys/kernel/mm/hugepages/hugepages-" + sizeKiB + "kB/";
        return write(dir + "nr_hugepages", total + "\n").write(dir + "free_hugepages", free + "\n");
    }

    FakeSysfs nodeHugepages(int node, long sizeKiB, long total, long free) {
        String dir = "sys/devices/system/node/node" + node + "/hugepages/hugepages-" + sizeKiB + "kB/";
        return write(dir + "nr_hugepages", total + "\n").write(dir + "free_hugepages", free + "\n");
    }

    static String pciDir(String address) {
        return "sys/devices/pci0000:" + address.substring(5, 7) + "/" + address;
    }

    /** A PCI function bound to {@code driver} ("" unbound). */
    FakeSysfs pciFunction(String address, String driver, int numaNode) {
        String dir = pciDir(address);
        write(dir + "/numa_node", numaNode + "\n");
        if (!driver.isEmpty()) {
            link(dir + "/driver", "sys/bus/pci/drivers/" + driver);
        }
        return this;
    }

    /** A network interface {@code name} whose device is the PCI function {@code address}. */
    FakeSysfs netdev(String name, String address) {
        return netdevOn(name, pciDir(address));
    }

    /** A network interface whose device is the directory {@code deviceDir}. */
    FakeSysfs netdevOn(String name, String deviceDir) {
        String dir = deviceDir + "/net/" + name;
        write(dir + "/address", "02:00:00:00:00:01\n");
        link(dir + "/device", deviceDir);
        return link("sys/class/net/" + name, dir);
    }

    /** A virtual interface (no device), as lo and veths are. */
    FakeSysfs virtualNetdev(String name) {
        String dir = "sys/devices/virtual/net/" + name;
        write(dir + "/address", "00:00:00:00:00:00\n");
        return link("sys/class/net/" + name, dir);
    }

    /** SR-IOV on the PF {@code pf}: capability and the VFs (addresses with their drivers, "" unbound). */
    FakeSysfs sriov(String pf, int totalVfs, String... vfAddressAndDriver) {
        String dir = pciDir(pf);
        write(dir + "/sriov_totalvfs", totalVfs + "\n");
        write(dir + "/sriov_numvfs", vfAddressAndDriver.length / 2 + "\n");
        for (int i = 0; i < vfAddressAndDriver.length; i += 2) {
            String vf = vfAddressAndDriver[i];
            pciFunction(vf, vfAddressAndDriver[i + 1], 0);
            link(dir + "/virtfn" + i / 2, pciDir(vf));
            link(pciDir(vf) + "/physfn", dir);
        }
        return this;
    }
}
