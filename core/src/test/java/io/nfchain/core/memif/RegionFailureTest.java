package io.nfchain.core.memif;

import static io.nfchain.core.memif.MemifLink.pump;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.nfchain.core.dpdk.HugePages;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A client that cannot create its region says so to the server and in its own error, and does not throw. */
class RegionFailureTest {
    @TempDir
    Path dir;

    @Test
    void aHugepageRegionWithNoPagesEndsTheHandshakeWithAReason() {
        assumeTrue(HugePages.freePages() == 0, "this needs an empty 2 MiB hugepage pool");
        Path socket = dir.resolve("memif.sock");
        try (MemifServer server = MemifServer.listen(MemifServer.Config.of(socket));
                MemifClient client = MemifClient.create(MemifClient.Config.of(socket).withHugepages(true))) {
            client.connect();
            pump(server, client, () -> !client.isActive() && server.errorCount(MemifError.PEER_DISCONNECTED) == 1);
            assertEquals(MemifError.LOCAL_REGION_FAILED, client.lastError());
            assertEquals("Could not create the shared memory region", server.peerDisconnectText());
            assertFalse(server.isConnected());
        }
    }
}
