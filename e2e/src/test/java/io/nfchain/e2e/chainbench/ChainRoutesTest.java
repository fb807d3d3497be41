package io.nfchain.e2e.chainbench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nfchain.api.router.v1.AddRoutesRequest;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ChainRoutesTest {
    private static final ChainRoutes ROUTES = ChainRoutes.generate(20_000, 7);

    @Test
    void exactlyTheCountDistinctWithHostBitsZero() {
        assertEquals(20_000, ROUTES.size());
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < ROUTES.size(); i++) {
            String p = ROUTES.prefix(i);
            assertTrue(seen.add(p), "duplicate " + p);
            String[] parts = p.split("/");
            String[] o = parts[0].split("\\.");
            int address = Integer.parseInt(o[0]) << 24 | Integer.parseInt(o[1]) << 16 | Integer.parseInt(o[2]) << 8
                    | Integer.parseInt(o[3]);
            int length = Integer.parseInt(parts[1]);
            assertEquals(ChainRules.mask(address, length), address, p + " has host bits");
            assertTrue(ROUTES.nextHop(i) >= 0 && ROUTES.nextHop(i) < ChainRoutes.NEXT_HOPS);
        }
    }

    @Test
    void everyTrafficDestinationHasExactlyItsCoveringRoute() {
        ChainTraffic traffic = new ChainTraffic(4096, ChainTraffic.SIXTY_FOUR);
        for (int f = 0; f < traffic.flows(); f++) {
            int d = traffic.destinationOf(f);
            int matches = 0;
            for (int i = 0; i < ROUTES.size(); i++) {
                String[] parts = ROUTES.prefix(i).split("/");
                int length = Integer.parseInt(parts[1]);
                if (ChainRules.prefix(ChainRules.mask(d, length), length).equals(ROUTES.prefix(i))) {
                    matches++;
                    assertEquals(20, length);
                }
            }
            assertEquals(1, matches, "flow " + f);
        }
    }

    @Test
    void batchesStayUnderTheGrpcLimitAndCarryEveryRoute() {
        List<AddRoutesRequest> batches = ROUTES.batches();
        assertEquals(4, batches.size());
        int total = 0;
        for (AddRoutesRequest b : batches) {
            assertTrue(b.getRoutesCount() <= ChainRoutes.ROUTES_PER_REQUEST);
            assertTrue(b.getSerializedSize() < 4 << 20);
            total += b.getRoutesCount();
        }
        assertEquals(ROUTES.size(), total);
        assertEquals(ROUTES.prefix(5_000), batches.get(1).getRoutes(0).getPrefix());
        assertEquals(ChainRoutes.gateway(ROUTES.nextHop(5_000)), batches.get(1).getRoutes(0).getNextHops(0).getVia());
    }

    @Test
    void ipBatchLines() {
        assertEquals("route add " + ROUTES.prefix(3) + " via " + ChainRoutes.gateway(ROUTES.nextHop(3)) + " dev r1",
                ROUTES.ipBatchLine(3, "r1"));
        assertEquals("192.0.2.10", ChainRoutes.gateway(0));
        assertEquals("02:00:00:00:0a:0f", ChainRoutes.gatewayMac(15));
        assertEquals(ChainRoutes.NEXT_HOPS, ROUTES.neighbors().getNeighborsCount());
    }
}
