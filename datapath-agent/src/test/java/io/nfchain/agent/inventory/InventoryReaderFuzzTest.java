package io.nfchain.agent.inventory;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every attribute the reader looks at filled with random bytes: the reader never throws, and each
 * attribute it could not make sense of is named in the errors.
 */
class InventoryReaderFuzzTest {
    private static final List<String> ATTRIBUTES = List.of(
            "sys/devices/system/cpu/online",
            "sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages",
            "sys/kernel/mm/hugepages/hugepages-2048kB/free_hugepages",
            "sys/devices/system/node/node0/hugepages/hugepages-2048kB/nr_hugepages",
            FakeSysfs.pciDir("0000:3b:00.0") + "/numa_node",
            FakeSysfs.pciDir("0000:3b:00.0") + "/sriov_totalvfs",
            FakeSysfs.pciDir("0000:3b:00.0") + "/sriov_numvfs");

    @TempDir
    Path root;

    @Test
    void randomAttributesAreReadOrNamedNeverThrown() throws IOException {
        new FakeSysfs(root).cpus("0-1").numaNode(0).hugepages(2048, 8, 8).nodeHugepages(0, 2048, 8, 8)
                .pciFunction("0000:3b:00.0", "ice", 0).netdev("ens1f0", "0000:3b:00.0")
                .sriov("0000:3b:00.0", 8, "0000:3b:01.0", "vfio-pci");
        Random random = new Random(66);
        InventoryReader reader = new InventoryReader(root);
        for (int round = 0; round < 300; round++) {
            String attribute = ATTRIBUTES.get(random.nextInt(ATTRIBUTES.size()));
            byte[] junk = new byte[random.nextInt(8) == 0 ? 5000 : random.nextInt(12)];
            for (int i = 0; i < junk.length; i++) {
                junk[i] = random.nextInt(3) == 0 ? (byte) random.nextInt(256) : (byte) "0123456789-,\n".charAt(
                        random.nextInt(13));
            }
            Path file = root.resolve(attribute);
            byte[] saved = Files.readAllBytes(file);
            Files.write(file, junk);
            NodeInventory inv = reader.read();
            boolean named = inv.errors().stream().anyMatch(e -> e.startsWith(file.toString()));
            boolean accepted = accepted(inv, attribute);
            String text = new String(junk, java.nio.charset.StandardCharsets.ISO_8859_1);
            assertTrue(named != accepted, attribute + " = " + text
                    + ": named " + named + ", accepted " + accepted + "; errors " + inv.errors());
            Files.write(file, saved);
        }
    }

    /** Whether the value read from {@code attribute} made it into the inventory. */
    private static boolean accepted(NodeInventory inv, String attribute) {
        if (attribute.endsWith("cpu/online")) {
            return inv.cpus() > 0 || inv.errors().isEmpty();
        }
        if (attribute.contains("hugepages")) {
            int node = attribute.contains("node0") ? 0 : -1;
            return inv.hugepages().stream().anyMatch(p -> p.numaNode() == node);
        }
        return inv.errors().isEmpty();
    }
}
