package io.nfchain.agent.port;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nfchain.core.memif.MemifClient;
import io.nfchain.core.memif.MemifError;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A function link takes a region file (not a sealed memfd) only when its entry allows it. */
class MemifPortRegionTest {
    @TempDir
    Path dir;

    @Test
    void aRegionFileIsRefusedUnlessTheFunctionIsTrusted() {
        assertFalse(connects(false), "an unsealed region file was accepted by default");
        assertTrue(connects(true), "allowUnsealedRegions did not let the region file in");
    }

    private boolean connects(boolean allowUnsealed) {
        Path socket = dir.resolve((allowUnsealed ? "trusted" : "default") + "/memif.sock");
        try (MemifPort port = MemifPort.listen("charging-0", "function", socket, 0, "", allowUnsealed);
                MemifClient client = MemifClient.create(MemifClient.Config.of(socket)
                        .withRegionFile(dir.resolve((allowUnsealed ? "trusted" : "default") + "-region")))) {
            client.start();
            for (int round = 0; round < 2_000 && !(port.isUp() && client.isConnected()); round++) {
                port.doWork(System.nanoTime());
                client.doWork();
            }
            boolean up = port.isUp() && client.isConnected();
            if (!up) {
                assertTrue(port.state().contains(MemifError.REGION_NOT_SEALED.text()), port.state());
            }
            return up;
        }
    }
}
