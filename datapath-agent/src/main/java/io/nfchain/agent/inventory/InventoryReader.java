package io.nfchain.agent.inventory;

import io.nfchain.agent.inventory.NodeInventory.HugepagePool;
import io.nfchain.agent.inventory.NodeInventory.Nic;
import io.nfchain.agent.inventory.NodeInventory.VirtualFunction;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Thread-safe (stateless but for the root). Reads a node's inventory from sysfs under a root
 * directory ({@code /} on a node, a fake tree in tests):
 * <ul>
 *   <li>online CPUs: {@code sys/devices/system/cpu/online};
 *   <li>NUMA nodes: {@code sys/devices/system/node/node<N>}; a kernel built without NUMA has no
 *       such directory and one memory node, reported as node 0;
 *   <li>hugepages: {@code sys/kernel/mm/hugepages/hugepages-<size>kB/{nr,free}_hugepages}, and
 *       per NUMA node under {@code sys/devices/system/node/node<N>/hugepages};
 *   <li>NICs: {@code sys/class/net/*} with a {@code device} link; the PCI function is the nearest
 *       directory on the device's path named like a PCI address (a virtio NIC's device is
 *       {@code virtioN} under its PCI function). From the PCI function: {@code numa_node},
 *       {@code sriov_totalvfs}, {@code sriov_numvfs} and the {@code virtfn<N>} links. An interface
 *       whose PCI function has a {@code physfn} link is a VF bound to a kernel driver: it is
 *       listed under its physical function, not as a NIC.
 * </ul>
 * Nothing read here throws out: a file that is missing where it must exist, unreadable or
 * malformed becomes one line in {@link NodeInventory#errors()} naming the file, and the item it
 * belongs to is left out (a hugepage pool, a VF) or reported with that field unknown (a NIC's
 * NUMA node is -1, its VF counts 0).
 */
public final class InventoryReader {
    /** Longest sysfs attribute read: they are a few bytes; anything longer is not sysfs. */
    static final int MAX_ATTRIBUTE_BYTES = 4096;
    /** Most directory entries looked at in one listing (interfaces, VFs, pools). */
    static final int MAX_ENTRIES = 4096;
    private static final Pattern NODE = Pattern.compile("node(\\d{1,4})");
    private static final Pattern POOL = Pattern.compile("hugepages-(\\d{1,12})kB");
    private static final Pattern VIRTFN = Pattern.compile("virtfn(\\d{1,5})");
    private static final Pattern PCI = Pattern.compile("[0-9a-f]{4,8}:[0-9a-f]{2}:[0-9a-f]{2}\\.[0-7]");

    private final Path root;

    /** Reads under {@code root}: {@code /} for the machine's own sysfs. */
    public InventoryReader(Path root) {
        this.root = root;
    }

    public Path root() {
        return root;
    }

    /** One pass over the tree. */
    public NodeInventory read() {
        List<String> errors = new ArrayList<>();
        BitSet online = cpus(errors);
        List<Integer> nodes = numaNodes(errors);
        List<HugepagePool> hugepages = new ArrayList<>(pools(root.resolve("sys/kernel/mm/hugepages"),
                HugepagePool.WHOLE_NODE, errors));
        Path nodeDir = root.resolve("sys/devices/system/node");
        for (int node : nodes) {
            hugepages.addAll(pools(nodeDir.resolve("node" + node).resolve("hugepages"), node, errors));
        }
        List<Nic> nics = nics(errors);
        return new NodeInventory(CpuList.format(online), online.cardinality(), nodes, hugepages, nics, errors);
    }

    private BitSet cpus(List<String> errors) {
        Path file = root.resolve("sys/devices/system/cpu/online");
        String text = "";
        try {
            text = attribute(file);
            return CpuList.parse(text);
        } catch (IllegalArgumentException e) {
            errors.add(file + ": '" + shorten(text.strip()) + "' is not a CPU list: " + e.getMessage());
        } catch (IOException e) {
            errors.add(error(file, e));
        }
        return new BitSet();
    }

    private List<Integer> numaNodes(List<String> errors) {
        Path dir = root.resolve("sys/devices/system/node");
        if (!Files.isDirectory(dir)) {
            return List.of(0);
        }
        List<Integer> nodes = new ArrayList<>();
        for (Path p : list(dir, errors)) {
            Matcher m = NODE.matcher(p.getFileName().toString());
            if (m.matches() && Files.isDirectory(p)) {
                nodes.add(Integer.parseInt(m.group(1)));
            }
        }
        nodes.sort(Comparator.naturalOrder());
        return nodes;
    }

    private List<HugepagePool> pools(Path dir, int numaNode, List<String> errors) {
        List<HugepagePool> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return out; // no hugetlb support in this kernel (or on this node): no pools, not an error
        }
        for (Path p : list(dir, errors)) {
            Matcher m = POOL.matcher(p.getFileName().toString());
            if (!m.matches()) {
                continue;
            }
            try {
                long total = number(p.resolve("nr_hugepages"), 0, Long.MAX_VALUE);
                long free = number(p.resolve("free_hugepages"), 0, Long.MAX_VALUE);
                out.add(new HugepagePool(Long.parseLong(m.group(1)), total, free, numaNode));
            } catch (IOException | IllegalArgumentException e) {
                errors.add(error(p, e));
            }
        }
        out.sort(Comparator.comparingLong(HugepagePool::sizeKiB));
        return out;
    }

    private List<Nic> nics(List<String> errors) {
        Path dir = root.resolve("sys/class/net");
        List<Nic> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        for (Path p : list(dir, errors)) {
            Path device = p.resolve("device");
            if (!Files.isSymbolicLink(device) && !Files.exists(device)) {
                continue; // lo, bridges, veths, tunnels: no device, not a NIC
            }
            try {
                Nic nic = nic(p.getFileName().toString(), device.toRealPath(), errors);
                if (nic != null) {
                    out.add(nic);
                }
            } catch (IOException e) {
                errors.add(error(device, e));
            }
        }
        out.sort(Comparator.comparing(Nic::name));
        return out;
    }

    /** The NIC behind {@code device} (a real path), or null when it is a VF (listed under its PF). */
    private Nic nic(String name, Path device, List<String> errors) {
        Path pci = pciFunction(device);
        if (pci != null && Files.exists(pci.resolve("physfn"))) {
            return null;
        }
        String driver = driver(device, errors);
        if (pci == null) {
            return new Nic(name, "", driver, -1, 0, 0, List.of());
        }
        int numaNode = (int) optionalNumber(pci.resolve("numa_node"), -1, -1, 4095, errors);
        int totalVfs = (int) optionalNumber(pci.resolve("sriov_totalvfs"), 0, 0, 65535, errors);
        int numVfs = (int) optionalNumber(pci.resolve("sriov_numvfs"), 0, 0, 65535, errors);
        List<VirtualFunction> vfs = new ArrayList<>();
        for (Path link : list(pci, errors)) {
            Matcher m = VIRTFN.matcher(link.getFileName().toString());
            if (!m.matches()) {
                continue;
            }
            try {
                Path vf = link.toRealPath();
                String address = vf.getFileName().toString();
                if (!PCI.matcher(address).matches()) {
                    errors.add(link + ": leads to " + vf + ", not a PCI function");
                    continue;
                }
                vfs.add(new VirtualFunction(Integer.parseInt(m.group(1)), address, driver(vf, errors)));
            } catch (IOException e) {
                errors.add(error(link, e));
            }
        }
        vfs.sort(Comparator.comparingInt(VirtualFunction::index));
        return new Nic(name, pci.getFileName().toString(), driver, numaNode, totalVfs, numVfs, vfs);
    }

    /** The nearest directory from {@code device} up (not above the root) named like a PCI function. */
    private Path pciFunction(Path device) {
        for (Path p = device; p != null && p.startsWith(root) && !p.equals(root); p = p.getParent()) {
            if (PCI.matcher(p.getFileName().toString()).matches()) {
                return p;
            }
        }
        return null;
    }

    /** The driver bound to a device: the name its {@code driver} link leads to; "" when unbound. */
    private static String driver(Path device, List<String> errors) {
        Path link = device.resolve("driver");
        if (!Files.isSymbolicLink(link) && !Files.exists(link)) {
            return "";
        }
        try {
            return link.toRealPath().getFileName().toString();
        } catch (IOException e) {
            errors.add(error(link, e));
            return "";
        }
    }

    private static long optionalNumber(Path file, long unknown, long min, long max, List<String> errors) {
        if (!Files.exists(file)) {
            return unknown;
        }
        try {
            return number(file, min, max);
        } catch (IOException | IllegalArgumentException e) {
            errors.add(error(file, e));
            return unknown;
        }
    }

    private static long number(Path file, long min, long max) throws IOException {
        String text = attribute(file).strip();
        long n;
        try {
            n = Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new BadAttribute(file + ": '" + shorten(text) + "' is not a whole number");
        }
        if (n < min || n > max) {
            throw new BadAttribute(file + ": " + n + " is out of range " + min + ".." + max);
        }
        return n;
    }

    /** A sysfs attribute's text; longer than {@link #MAX_ATTRIBUTE_BYTES} is refused. */
    static String attribute(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] bytes = in.readNBytes(MAX_ATTRIBUTE_BYTES + 1);
            if (bytes.length > MAX_ATTRIBUTE_BYTES) {
                throw new BadAttribute(file + ": longer than " + MAX_ATTRIBUTE_BYTES + " bytes, not a sysfs attribute");
            }
            return new String(bytes, StandardCharsets.US_ASCII);
        }
    }

    private static List<Path> list(Path dir, List<String> errors) {
        try (Stream<Path> entries = Files.list(dir)) {
            List<Path> out = entries.limit(MAX_ENTRIES + 1L).sorted().toList();
            if (out.size() > MAX_ENTRIES) {
                errors.add(dir + ": more than " + MAX_ENTRIES + " entries; only the first " + MAX_ENTRIES + " read");
                return out.subList(0, MAX_ENTRIES);
            }
            return out;
        } catch (IOException e) {
            errors.add(error(dir, e));
            return List.of();
        }
    }

    private static String error(Path file, Exception e) {
        if (e instanceof BadAttribute) {
            return e.getMessage();
        }
        if (e instanceof NoSuchFileException missing) {
            String where = missing.getFile() != null ? missing.getFile() : file.toString();
            return where + ": missing (or a link that leads nowhere)";
        }
        String detail = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return file + ": " + (e instanceof IOException ? "cannot read: " : "") + detail;
    }

    private static String shorten(String text) {
        return text.length() > 40 ? text.substring(0, 40) + "..." : text;
    }

    /** A sysfs attribute that was read but does not say what it should; the message names the file. */
    private static final class BadAttribute extends IOException {
        BadAttribute(String message) {
            super(message);
        }
    }
}
