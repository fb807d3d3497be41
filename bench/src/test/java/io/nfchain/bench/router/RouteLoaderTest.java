package io.nfchain.bench.router;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.nfchain.api.router.v1.AddRoutesRequest;
import io.nfchain.api.router.v1.Route;
import io.nfchain.functions.router.Ipv4Routes;
import org.junit.jupiter.api.Test;

class RouteLoaderTest {

    @Test
    void addressesAreWrittenDotted() {
        assertEquals("0.0.0.0", RouteLoader.dotted(0));
        assertEquals("255.255.255.255", RouteLoader.dotted(-1));
        assertEquals("192.0.2.16", RouteLoader.dotted(FlowSet.gateway(0)));
        assertEquals("192.0.2.79", RouteLoader.dotted(FlowSet.gateway(63)));
    }

    @Test
    void aBatchNamesEachRouteWithTheGatewayOfItsNextHopOnOutputZero() {
        Ipv4Routes routes = new Ipv4Routes().add(0x0A00_0000, 8, 0).add(0xC633_6400, 24, 5).add(0x5DB8_D822, 32, 63);
        AddRoutesRequest batch = RouteLoader.batch(routes, 1, 3);
        assertEquals(2, batch.getRoutesCount());
        Route first = batch.getRoutes(0);
        assertEquals("198.51.100.0/24", first.getPrefix());
        assertEquals("192.0.2.21", first.getNextHops(0).getVia());
        assertEquals(0, first.getNextHops(0).getOutput());
        assertEquals("93.184.216.34/32", batch.getRoutes(1).getPrefix());
        assertEquals("192.0.2.79", batch.getRoutes(1).getNextHops(0).getVia());
    }
}
