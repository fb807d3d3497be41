package io.nfchain.bench.router;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nfchain.functions.router.Ipv4Lpm;
import io.nfchain.functions.router.Ipv4Routes;
import io.nfchain.functions.router.SyntheticTables;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FlowSetTest {
    @TempDir
    Path dir;

    @Test
    void everyFlowIsRoutedAndCarriesTheMacOfItsLongestMatch() {
        Ipv4Routes routes = SyntheticTables.ipv4(20_000, RouterLoad.NEXT_HOPS, 11);
        Ipv4Lpm lpm = Ipv4Lpm.build(routes);
        FlowSet flows = FlowSet.covering(routes, lpm, 1000, 5);
        assertEquals(1000, flows.size());
        for (int f = 0; f < flows.size(); f++) {
            int hop = lpm.lookup(flows.destination(f));
            assertTrue(hop >= 0 && hop < RouterLoad.NEXT_HOPS, "flow " + f + " is routed");
            assertEquals(FlowSet.gatewayMac(hop), flows.expectedMac(f));
            assertNotEquals(FlowSet.ROUTER_IPV4, flows.destination(f));
        }
    }

    @Test
    void writtenFlowsReadBackTheSame() throws Exception {
        Ipv4Routes routes = SyntheticTables.ipv4(5_000, RouterLoad.NEXT_HOPS, 3);
        FlowSet flows = FlowSet.covering(routes, Ipv4Lpm.build(routes), 300, 9);
        Path file = dir.resolve("flows.txt");
        flows.write(file);
        FlowSet back = FlowSet.read(file);
        assertEquals(flows.size(), back.size());
        for (int f = 0; f < flows.size(); f++) {
            assertEquals(flows.destination(f), back.destination(f));
            assertEquals(flows.expectedMac(f), back.expectedMac(f));
        }
    }

    @Test
    void malformedLinesAreRefusedNamingTheFlow() {
        String[][] cases = {
            {"0a000001 020000000201", "0a000002"},
            {"0a000001 020000000201", "zz000002 020000000201"},
            {"0a000001 -20000000201"},
            {"0a000001 020000000201 7"},
            {"1ffffffff 020000000201"},
            {"0a000001 1020000000201"},
        };
        for (String[] lines : cases) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> FlowSet.parse(List.of(lines), "flows.txt"), String.join("|", lines));
            assertTrue(e.getMessage().startsWith("flows.txt: flow " + (lines.length - 1)), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> FlowSet.parse(List.of("", " "), "empty"));
    }

    @Test
    void randomTextIsRefusedWithAnIllegalArgumentOnly() {
        SplittableRandom random = new SplittableRandom(17);
        String alphabet = "0123456789abcdefABCDEF -+xg\t";
        for (int i = 0; i < 20_000; i++) {
            StringBuilder line = new StringBuilder();
            for (int n = random.nextInt(30); n > 0; n--) {
                line.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            try {
                FlowSet parsed = FlowSet.parse(List.of(line.toString()), "random");
                assertEquals(1, parsed.size());
                assertTrue(parsed.expectedMac(0) >= 0 && parsed.expectedMac(0) < (1L << 48));
            } catch (IllegalArgumentException expected) {
                // refused with a message: fine
            }
        }
    }
}
