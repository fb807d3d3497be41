package io.nfchain.functions.router;

import static io.nfchain.core.packet.IpAddresses.parseIpv4;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nfchain.functions.rules.InvalidRuleException;
import org.junit.jupiter.api.Test;

/** Edge cases of the IPv4 table, each with the answer worked out by hand. */
class Ipv4LpmTest {
    private static final int NO = Ipv4Lpm.NO_ROUTE;
    private final Ipv4Lpm lpm = new Ipv4Lpm();

    private int add(String prefix, int length, int nextHop) {
        return lpm.add(parseIpv4(prefix), length, nextHop);
    }

    private int remove(String prefix, int length) {
        return lpm.remove(parseIpv4(prefix), length);
    }

    private int at(String address) {
        return lpm.lookup(parseIpv4(address));
    }

    @Test
    void emptyTableHasNoRoute() {
        assertEquals(NO, at("0.0.0.0"));
        assertEquals(NO, at("255.255.255.255"));
        assertEquals(0, lpm.size());
    }

    @Test
    void defaultRouteCoversEverythingUntilRemoved() {
        assertEquals(NO, add("0.0.0.0", 0, 7));
        assertEquals(7, at("0.0.0.0"));
        assertEquals(7, at("203.0.113.9"));
        assertEquals(7, at("255.255.255.255"));
        assertEquals(7, remove("0.0.0.0", 0));
        assertEquals(NO, at("203.0.113.9"));
        assertEquals(NO, remove("0.0.0.0", 0));
    }

    @Test
    void hostRoutesMatchOnlyTheirAddress() {
        add("0.0.0.0", 0, 1);
        add("192.0.2.1", 32, 2);
        add("255.255.255.255", 32, 3);
        add("0.0.0.0", 32, 4);
        assertEquals(2, at("192.0.2.1"));
        assertEquals(1, at("192.0.2.0"));
        assertEquals(1, at("192.0.2.2"));
        assertEquals(3, at("255.255.255.255"));
        assertEquals(1, at("255.255.255.254"));
        assertEquals(4, at("0.0.0.0"));
        assertEquals(1, at("0.0.0.1"));
    }

    @Test
    void nestedPrefixesAndDeletesInAnyOrderRestoreTheCoveringRoute() {
        String[][] nest = {{"10.0.0.0", "8"}, {"10.1.0.0", "16"}, {"10.1.2.0", "24"}, {"10.1.2.128", "25"},
            {"10.1.2.192", "26"}, {"10.1.2.200", "30"}, {"10.1.2.201", "32"}};
        for (int i = 0; i < nest.length; i++) {
            add(nest[i][0], Integer.parseInt(nest[i][1]), 10 + i);
        }
        assertEquals(16, at("10.1.2.201"));
        assertEquals(15, at("10.1.2.202"));
        assertEquals(14, at("10.1.2.193"));
        assertEquals(13, at("10.1.2.129"));
        assertEquals(12, at("10.1.2.1"));
        assertEquals(11, at("10.1.3.1"));
        assertEquals(10, at("10.2.0.0"));
        assertEquals(NO, at("11.0.0.0"));

        assertEquals(13, remove("10.1.2.128", 25)); // a middle one: its range falls to the /24, longer ones stay
        assertEquals(12, at("10.1.2.129"));
        assertEquals(14, at("10.1.2.193"));
        assertEquals(16, at("10.1.2.201"));
        assertEquals(11, remove("10.1.0.0", 16));
        assertEquals(10, at("10.1.3.1"));
        assertEquals(12, at("10.1.2.1"));
        assertEquals(16, remove("10.1.2.201", 32));
        assertEquals(15, at("10.1.2.201"));
        assertEquals(15, remove("10.1.2.200", 30));
        assertEquals(14, remove("10.1.2.192", 26));
        assertEquals(0, lpm.groups(), "no prefix longer than /24 is left, so no group is");
        assertEquals(12, at("10.1.2.201"));
        assertEquals(12, remove("10.1.2.0", 24));
        assertEquals(10, at("10.1.2.201"));
        assertEquals(1, lpm.size());
    }

    @Test
    void shortPrefixAddedAfterLongerOnesFillsOnlyTheGaps() {
        add("198.51.100.0", 24, 1);
        add("198.51.100.64", 26, 2);
        add("198.51.0.0", 16, 3);
        assertEquals(2, at("198.51.100.65"));
        assertEquals(1, at("198.51.100.1"));
        assertEquals(3, at("198.51.101.1"));
        add("0.0.0.0", 0, 4);
        assertEquals(2, at("198.51.100.65"));
        assertEquals(4, at("8.8.8.8"));
        remove("198.51.0.0", 16);
        assertEquals(4, at("198.51.101.1"));
        assertEquals(2, at("198.51.100.65"));
    }

    @Test
    void reAddingAPrefixReplacesItsNextHop() {
        add("10.0.0.0", 8, 1);
        add("10.9.9.0", 28, 5);
        assertEquals(1, add("10.0.0.0", 8, 2));
        assertEquals(5, add("10.9.9.0", 28, 6));
        assertEquals(2, at("10.1.1.1"));
        assertEquals(6, at("10.9.9.1"));
        assertEquals(2, at("10.9.9.17"));
        assertEquals(2, lpm.size());
        assertEquals(2, lpm.get(parseIpv4("10.0.0.0"), 8));
        assertEquals(6, add("10.9.9.0", 28, 6), "the same next hop again changes nothing");
    }

    @Test
    void groupsFoldAwayWhenTheirLastLongPrefixGoes() {
        add("192.0.2.0", 25, 1);
        add("192.0.2.128", 25, 2);
        add("192.0.3.0", 32, 3);
        assertEquals(2, lpm.groups());
        remove("192.0.2.0", 25);
        assertEquals(2, lpm.groups());
        remove("192.0.2.128", 25);
        assertEquals(1, lpm.groups());
        remove("192.0.3.0", 32);
        assertEquals(0, lpm.groups());
        assertEquals(NO, at("192.0.2.1"));
    }

    @Test
    void badRoutesAreRefusedNamingTheFieldAndChangeNothing() {
        add("10.0.0.0", 8, 1);
        assertField("prefixLength", () -> add("10.0.0.0", 33, 1));
        assertField("prefixLength", () -> add("10.0.0.0", -1, 1));
        assertField("prefix", () -> add("10.0.0.1", 8, 1));
        assertField("prefix", () -> add("10.128.0.0", 8, 1));
        assertField("nextHop", () -> add("11.0.0.0", 8, -1));
        assertField("nextHop", () -> add("11.0.0.0", 8, Ipv4Lpm.MAX_NEXT_HOP + 1));
        assertField("prefixLength", () -> remove("10.0.0.0", 40));
        assertField("prefix", () -> remove("10.0.0.1", 8));
        assertEquals(1, lpm.size());
        assertEquals(1, at("10.0.0.1"));
        assertEquals(NO, at("11.0.0.1"));
        InvalidRuleException e = assertThrows(InvalidRuleException.class, () -> add("10.0.0.1", 8, 1));
        assertTrue(e.getMessage().contains("10.0.0.0/8"), "says what the network would be: " + e.getMessage());
        add("0.0.0.0", 0, Ipv4Lpm.MAX_NEXT_HOP);
        assertEquals(Ipv4Lpm.MAX_NEXT_HOP, at("11.0.0.1"));
    }

    @Test
    void buildRefusesTheWholeListNamingTheRoute() {
        Ipv4Routes routes = new Ipv4Routes().add(parseIpv4("10.0.0.0"), 8, 1).add(parseIpv4("10.0.0.0"), 33, 1);
        InvalidRuleException e = assertThrows(InvalidRuleException.class, () -> Ipv4Lpm.build(routes));
        assertEquals("routes[1].prefixLength", e.field());
    }

    @Test
    void buildKeepsTheLastOfDuplicatesAndMatchesAdds() {
        Ipv4Routes routes = new Ipv4Routes()
                .add(parseIpv4("10.0.0.0"), 8, 1)
                .add(parseIpv4("10.1.2.3"), 32, 2)
                .add(parseIpv4("10.0.0.0"), 8, 3)
                .add(0, 0, 4);
        Ipv4Lpm built = Ipv4Lpm.build(routes);
        assertEquals(3, built.size());
        assertEquals(3, built.lookup(parseIpv4("10.9.9.9")));
        assertEquals(2, built.lookup(parseIpv4("10.1.2.3")));
        assertEquals(4, built.lookup(parseIpv4("11.0.0.0")));
        assertEquals(2, built.remove(parseIpv4("10.1.2.3"), 32), "a built table takes updates");
        assertEquals(3, built.lookup(parseIpv4("10.1.2.3")));
        assertEquals(0, built.groups());
    }

    @Test
    void batchLookupMatchesSingleLookups() {
        add("0.0.0.0", 1, 1);
        add("192.0.2.0", 24, 2);
        add("192.0.2.7", 32, 3);
        int[] addresses = {parseIpv4("1.2.3.4"), parseIpv4("192.0.2.7"), parseIpv4("192.0.2.8"), parseIpv4("200.0.0.1"), 0};
        int[] out = new int[8];
        java.util.Arrays.fill(out, 99);
        lpm.lookup(addresses, out, addresses.length);
        for (int i = 0; i < addresses.length; i++) {
            assertEquals(lpm.lookup(addresses[i]), out[i]);
        }
        assertEquals(99, out[5], "nothing written past count");
        assertThrows(IndexOutOfBoundsException.class, () -> lpm.lookup(addresses, new int[2], 3));
    }

    @Test
    void memoryIsTheFirstLevelPlusGroupsPlusRoutes() {
        long empty = lpm.memoryBytes();
        assertTrue(empty >= 80L << 20 && empty < 82L << 20, "64 MiB of tbl24, 16 MiB of bytes and little else: " + empty);
    }

    @Test
    void theByteIndexAnswersForPlainSlash24sAndSendsTheRestToTbl24() {
        int base = 0x0a000000;
        for (int i = 0; i < 300; i++) { // more next hops than one-byte ids
            lpm.add(base + (i << 8), 24, 1000 + i);
        }
        assertEquals(254, lpm.bytes().idsAssigned());
        for (int i = 0; i < 300; i++) {
            int slash24 = (base >>> 8) + i;
            assertEquals(i < 254 ? 1 + i : Tbl24Bytes.VIA_TBL24, lpm.bytes().idAcquire(slash24), "/24 number " + i);
            assertEquals(1000 + i, lpm.lookup(base + (i << 8) + 77));
        }
        int inside = base + (5 << 8) + 128;
        lpm.add(inside, 25, 7);
        assertEquals(Tbl24Bytes.VIA_TBL24, lpm.bytes().idAcquire(inside >>> 8), "a /24 with a group");
        assertEquals(7, lpm.lookup(inside + 1));
        assertEquals(1005, lpm.lookup(inside - 1));
        lpm.remove(inside, 25);
        assertEquals(6, lpm.bytes().idAcquire(inside >>> 8), "folded back: the id again");
        assertEquals(1005, lpm.lookup(inside + 1));
        lpm.remove(base + (5 << 8), 24);
        assertEquals(0, lpm.bytes().idAcquire(inside >>> 8), "no route");
        assertEquals(Ipv4Lpm.NO_ROUTE, lpm.lookup(inside));
        int[] addresses = {base + 1, inside, base + (299 << 8) + 3};
        int[] out = new int[3];
        lpm.lookup(addresses, out, 3);
        assertArrayEquals(new int[] {1000, Ipv4Lpm.NO_ROUTE, 1299}, out);
    }

    @Test
    void aBuiltTableKeepsItsByteIndexUpToDateThroughLaterChanges() {
        Ipv4Routes routes = new Ipv4Routes(4);
        routes.add(0x0a000000, 8, 1);
        routes.add(0x0a010200, 24, 2);
        routes.add(0x0a010380, 25, 3);
        Ipv4Lpm built = Ipv4Lpm.build(routes);
        assertEquals(1, built.lookup(0x0a7f0001));
        assertEquals(2, built.lookup(0x0a010201));
        assertEquals(Tbl24Bytes.VIA_TBL24, built.bytes().idAcquire(0x0a0103));
        assertEquals(3, built.lookup(0x0a010381));
        assertEquals(1, built.lookup(0x0a010301));
        built.add(0x0a7f0000, 16, 4);
        assertEquals(4, built.lookup(0x0a7f0001));
        built.remove(0x0a010380, 25);
        assertEquals(1, built.lookup(0x0a010381));
        assertTrue(built.bytes().idAcquire(0x0a0103) != Tbl24Bytes.VIA_TBL24, "folded back into a leaf");
        built.remove(0x0a000000, 8);
        assertEquals(Ipv4Lpm.NO_ROUTE, built.lookup(0x0a050505));
        assertEquals(2, built.lookup(0x0a010201));
    }

    private static void assertField(String field, org.junit.jupiter.api.function.Executable call) {
        InvalidRuleException e = assertThrows(InvalidRuleException.class, call);
        assertEquals(field, e.field(), e.getMessage());
    }
}
