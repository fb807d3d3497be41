package io.nfchain.core.memif;

import static io.nfchain.core.memif.MemifLink.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nfchain.core.dpdk.HugePages;
import io.nfchain.core.testing.HostTools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A client region in 2 MiB huge pages: it takes pages from the pool while connected, the
 * server maps it like any sealed memfd, frames cross intact, and the pages go back at the end.
 */
class HugepageRegionTest {
    @TempDir
    Path dir;

    @Test
    void aHugepageRegionCarriesFramesAndReturnsItsPages() throws Exception {
        HostTools.requireRoot(); // reserving huge pages
        try (HugePages pages = HugePages.reserve(16, dir.resolve("huge"))) {
            long freeBefore = HugePages.freePages();
            Path socket = dir.resolve("memif.sock");
            MemifClient.Config config = MemifClient.Config.of(socket).withRings(1, 10).withHugepages(true);
            try (MemifServer server = MemifServer.listen(MemifServer.Config.of(socket));
                    MemifClient client = MemifClient.create(config);
                    PacketBurst out = new PacketBurst(32, 2048);
                    PacketBurst in = new PacketBurst(32, 2048)) {
                connect(server, client);
                long regionBytes = client.layout().sizeBytes();
                long maxPages = (regionBytes + HugePages.PAGE_BYTES - 1) / HugePages.PAGE_BYTES;
                long inUse = freeBefore - HugePages.freePages(); // pages fault in as the rings are touched
                assertTrue(inUse >= 1 && inUse <= maxPages, inUse + " huge pages in use for a " + regionBytes
                        + "-byte region");
                assertEquals(List.of(2048L, 2048L), regionPageSizesKb(),
                        "both ends map the region with 2 MiB pages (the client's and the server's mapping)");
                long seq = 0;
                for (int round = 0; round < 100; round++) {
                    for (int i = 0; i < 32; i++) {
                        putFrame(out, i, seq + i, lengthFor(seq + i));
                    }
                    out.setCount(32);
                    assertEquals(32, client.queuePair(0).txBurst(out));
                    assertEquals(32, server.queuePair(0).rxBurst(in));
                    for (int i = 0; i < 32; i++) {
                        checkFrame(in, i, seq + i, lengthFor(seq + i));
                    }
                    seq += 32;
                }
            }
            assertEquals(freeBefore, HugePages.freePages(), "every page back in the pool");
        }
    }

    /** The kernel page size of every mapping of a memif region in this process, from smaps. */
    private static List<Long> regionPageSizesKb() throws Exception {
        List<String> smaps = Files.readAllLines(Path.of("/proc/self/smaps"));
        List<Long> sizes = new java.util.ArrayList<>();
        boolean inRegion = false;
        for (String line : smaps) {
            if (line.matches("^[0-9a-f]+-[0-9a-f]+ .*")) {
                inRegion = line.contains("memif_region_0");
            } else if (inRegion && line.startsWith("KernelPageSize:")) {
                sizes.add(Long.parseLong(line.replaceAll("[^0-9]", "")));
            }
        }
        return sizes;
    }
}
