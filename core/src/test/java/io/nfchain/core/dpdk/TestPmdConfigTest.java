package io.nfchain.core.dpdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.nfchain.core.dpdk.TestPmdConfig.ForwardMode;
import io.nfchain.core.dpdk.TestPmdConfig.Role;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class TestPmdConfigTest {
    private static final Path SOCKET = Path.of("/tmp/x/memif.sock");

    @Test
    void withoutHugepagesTheCommandLineIsTheOneDocumented() {
        TestPmdConfig config = TestPmdConfig.of(SOCKET, Role.CLIENT, ForwardMode.TXONLY).withTxPacketBytes(64);
        assertEquals(List.of("dpdk-testpmd", "-l", "0,1", "--main-lcore", "0", "--no-pci", "--file-prefix=p1",
                "--vdev=net_memif0,role=client,id=0,socket=/tmp/x/memif.sock,socket-abstract=no",
                "--no-huge", "-m", "1024", "--", "-i", "--total-num-mbufs=16384", "--forward-mode=txonly",
                "--port-topology=loop", "--burst=32", "--no-flush-rx", "--txpkts=64"),
                config.commandLine("dpdk-testpmd", "p1"));
    }

    @Test
    void hugepagesRingSizesBurstAndTheOtherCore() {
        TestPmdConfig config = TestPmdConfig.of(SOCKET, Role.SERVER, ForwardMode.IO).withLcores(1, 0)
                .withRing(1024, 12).withHugeDir(Path.of("/tmp/huge")).withBurst(64);
        assertEquals(List.of("t", "-l", "0,1", "--main-lcore", "1", "--no-pci", "--file-prefix=p2",
                "--vdev=net_memif0,role=server,id=0,socket=/tmp/x/memif.sock,socket-abstract=no,bsize=1024,rsize=12",
                "--huge-dir=/tmp/huge", "--", "-i", "--total-num-mbufs=16384", "--forward-mode=io",
                "--port-topology=loop", "--burst=64", "--no-flush-rx"),
                config.commandLine("t", "p2"));
    }

    @Test
    void refusesWhatTestPmdWouldMisread() {
        TestPmdConfig base = TestPmdConfig.of(SOCKET, Role.SERVER, ForwardMode.RXONLY);
        assertThrows(IllegalArgumentException.class, () -> base.withLcores(1, 1));
        assertThrows(IllegalArgumentException.class, () -> base.withTxPacketBytes(41));
        assertThrows(IllegalArgumentException.class, () -> base.withRing(32, 0));
        assertThrows(IllegalArgumentException.class, () -> base.withRing(0, 15));
        assertThrows(IllegalArgumentException.class, () -> base.withBurst(0));
        assertThrows(IllegalArgumentException.class, () -> base.withBurst(513));
        assertThrows(IllegalArgumentException.class,
                () -> TestPmdConfig.of(Path.of("/tmp/a,b.sock"), Role.SERVER, ForwardMode.IO), "a comma ends the devarg");
        assertThrows(IllegalArgumentException.class,
                () -> TestPmdConfig.of(Path.of("/tmp/" + "x".repeat(120)), Role.SERVER, ForwardMode.IO), "sun_path");
    }
}
