package io.nfchain.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class RatesTest {
    @Test
    void ratesAreDeltasOverTime() {
        assertEquals(2000L, Rates.over(0.5).perSecond(2000, 1000L));
        assertEquals(0L, Rates.over(1).perSecond(5, 5L));
        assertEquals(3L, Rates.over(0.3).perSecond(1, 0L), "rounded");
    }

    @Test
    void unknownRatesAreNull() {
        assertNull(Rates.FIRST.perSecond(10, 5L), "no earlier reading");
        assertNull(Rates.over(1).perSecond(10, null), "a new counter");
        assertNull(Rates.over(1).perSecond(5, 10L), "a counter that went backwards: the agent restarted");
        assertNull(Rates.over(0).perSecond(10, 5L));
    }

    @Test
    void rateColumnsAppearOnlyWhenWatching() {
        var port = io.nfchain.api.agent.v1.Port.newBuilder().setName("p").setType("gen").setRxPackets(300).build();
        var before = port.toBuilder().setRxPackets(100).build();
        String once = Views.ports(java.util.List.of(port), null, Rates.NONE);
        String watched = Views.ports(java.util.List.of(port), java.util.List.of(before), Rates.over(2));
        assertEquals(-1, once.indexOf("RX/S"));
        assertEquals("100", TableText.row(TableText.rows(watched, 0), "p").get("RX/S"));
    }
}
