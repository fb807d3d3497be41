package io.nfchain.e2e.chainbench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.nfchain.agent.port.GenPort;
import io.nfchain.agent.spec.NodeSpec;
import io.nfchain.agent.spec.NodeSpecReader;
import io.nfchain.agent.spec.PortSpec;
import io.nfchain.core.memif.PacketBurst;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ChainTrafficTest {
    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfShort SHORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    /** The oracle's flows are the frames the gen port (and so the kernel's sender) makes. */
    @Test
    void genFramesCarryTheFlowsTheOracleJudges() {
        ChainTraffic traffic = new ChainTraffic(4096, ChainTraffic.IMIX);
        try (GenPort gen = new GenPort(traffic.genSpec("g", 0, 0)); PacketBurst burst = new PacketBurst(32, 2048)) {
            int f = 0;
            for (int round = 0; round < 200; round++) {
                int n = gen.rxBurst(burst, round);
                for (int i = 0; i < n; i++, f++) {
                    MemorySegment frame = burst.data().asSlice(burst.offset(i), burst.length(i));
                    int flow = f % traffic.flows();
                    assertEquals(traffic.frameBytes().get(f % 12), burst.length(i));
                    assertEquals(traffic.sourceOf(flow), frame.get(INT, 26));
                    assertEquals(traffic.destinationOf(flow), frame.get(INT, 30));
                    assertEquals(traffic.sourcePortOf(flow), frame.get(SHORT, 34) & 0xFFFF);
                    assertEquals(80, frame.get(SHORT, 36) & 0xFFFF);
                    assertEquals(17, frame.get(ValueLayout.JAVA_BYTE, 23));
                }
            }
        }
    }

    /** The node file's gen line is the spec the blaster uses. */
    @Test
    void genYamlReadsBackAsTheSpec() {
        ChainTraffic traffic = new ChainTraffic(4096, ChainTraffic.IMIX);
        String yaml = NfchainRig.nodeYaml(traffic, 0, true);
        NodeSpec spec = NodeSpecReader.parse(yaml, Path.of("/tmp"));
        PortSpec gen = spec.ports().stream().filter(p -> p.name().equals("gen0")).findFirst().orElseThrow();
        assertEquals(traffic.genSpec("gen0", 0, 0), gen);
        assertEquals(traffic.genSpec("gen0", 2_500_000, 0), NodeSpecReader.parse(NfchainRig.nodeYaml(traffic,
                2_500_000, true), Path.of("/tmp")).ports().get(0));
        // off is a one-packet limit whatever rate the last run had
        assertEquals(traffic.genSpec("gen0", 0, 1), NodeSpecReader.parse(NfchainRig.nodeYaml(traffic, 2_500_000,
                false), Path.of("/tmp")).ports().get(0));
    }
}
