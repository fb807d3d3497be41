package io.nfchain.functions.router;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The generator reproduces the published shape of the BGP tables, deterministically, and the
 * full-size tables it makes build and answer like the reference.
 */
class SyntheticTablesTest {

    @Test
    void sameSeedSameTableOtherSeedOtherTable() {
        Ipv4Routes a = SyntheticTables.ipv4(20_000, 64, 5);
        Ipv4Routes b = SyntheticTables.ipv4(20_000, 64, 5);
        Ipv4Routes c = SyntheticTables.ipv4(20_000, 64, 6);
        boolean differs = false;
        for (int i = 0; i < a.size(); i++) {
            assertEquals(a.prefix(i), b.prefix(i));
            assertEquals(a.length(i), b.length(i));
            assertEquals(a.nextHop(i), b.nextHop(i));
            differs |= a.prefix(i) != c.prefix(i);
        }
        assertTrue(differs);
        Ipv6Routes x = SyntheticTables.ipv6(5_000, 64, 5);
        Ipv6Routes y = SyntheticTables.ipv6(5_000, 64, 5);
        for (int i = 0; i < x.size(); i++) {
            assertEquals(x.prefixHi(i), y.prefixHi(i));
            assertEquals(x.prefixLo(i), y.prefixLo(i));
            assertEquals(x.length(i), y.length(i));
        }
        assertNotEquals(x.prefixHi(0), SyntheticTables.ipv6(5_000, 64, 6).prefixHi(0));
    }

    @Test
    void ipv4LengthsFollowTheBgpTable() {
        Ipv4Routes routes = SyntheticTables.ipv4(200_000, 64, 1);
        int[] perLength = new int[33];
        for (int i = 0; i < routes.size(); i++) {
            perLength[routes.length(i)]++;
        }
        assertEquals(200_000, routes.size());
        double share24 = perLength[24] / 200_000.0;
        assertTrue(share24 > 0.59 && share24 < 0.61, "/24 share " + share24);
        assertTrue(perLength[22] > perLength[23] && perLength[23] > perLength[21] && perLength[21] > perLength[20]
                && perLength[20] > perLength[19] && perLength[19] > perLength[16], "the usual order below /24");
        assertTrue(perLength[7] == 0 && perLength[33 - 1] > 0);
        Ipv4Lpm lpm = Ipv4Lpm.build(routes);
        assertEquals(200_000, lpm.size(), "every prefix distinct");
        double specific = specificShare(lpm.trie(), routes.size());
        assertTrue(specific > 0.5 && specific < 0.6, "share of more-specifics " + specific);
    }

    @Test
    void ipv6LengthsFollowTheBgpTable() {
        Ipv6Routes routes = SyntheticTables.ipv6(100_000, 64, 1);
        long lengthSum = 0;
        int[] perLength = new int[129];
        for (int i = 0; i < routes.size(); i++) {
            lengthSum += routes.length(i);
            perLength[routes.length(i)]++;
        }
        double average = lengthSum / (double) routes.size();
        // bgp.potaroo.net/v6/as6447, Oct 2024: average prefix length 43.2372.
        assertEquals(43.24, average, 0.25, "average prefix length");
        double share48 = perLength[48] / (double) routes.size();
        assertTrue(share48 > 0.45 && share48 < 0.49, "/48 share " + share48);
        assertTrue(perLength[48] > perLength[44] && perLength[44] >= perLength[32] && perLength[32] > perLength[40]
                && perLength[40] > perLength[29], "/48 > /44 >= /32 > /40 > /29");
        Ipv6Lpm lpm = Ipv6Lpm.build(routes);
        assertEquals(100_000, lpm.size());
        double specific = specificShare(lpm.trie(), routes.size());
        // bgp.potaroo.net/v6/as6447, Oct 2024: 58.17% of entries are more-specifics.
        assertEquals(0.58, specific, 0.03, "share of more-specifics");
        for (int i = 0; i < routes.size(); i++) {
            assertEquals(0x2000, routes.prefixHi(i) >>> 48 & 0xE000, "inside 2000::/3");
        }
    }

    /** Routes that lie inside another, shorter route. */
    private static double specificShare(StrideTrie trie, int size) {
        int[] specifics = new int[1];
        PrefixTable copy = new PrefixTable(trie.levels() == 2 ? 32 : 128, size);
        trie.forEach((hi, lo, length, nextHop) -> copy.put(hi, lo, length, nextHop));
        trie.forEach((hi, lo, length, nextHop) -> {
            if (copy.coveringLeaf(hi, lo, length) != StrideTrie.EMPTY) {
                specifics[0]++;
            }
        });
        return specifics[0] / (double) size;
    }

    /**
     * One full-size table per family (1M IPv4, 250k IPv6 routes) builds, takes updates, and
     * agrees with the reference on random and covered addresses. Build time and memory are
     * measured by {@code ./nfchain bench router}, not here.
     */
    @Test
    void fullSizeTablesAgreeWithTheReference() {
        Ipv4Routes routes4 = SyntheticTables.ipv4(7);
        Ipv4Lpm lpm4 = Ipv4Lpm.build(routes4);
        NaiveLpm reference4 = new NaiveLpm(32);
        for (int i = 0; i < routes4.size(); i++) {
            reference4.put((routes4.prefix(i) & 0xFFFF_FFFFL) << 32, 0, routes4.length(i), routes4.nextHop(i));
        }
        assertEquals(1_000_000, lpm4.size());
        SplittableRandom random = new SplittableRandom(8);
        int[] covered = SyntheticTables.coveredIpv4(routes4, 100_000, 9);
        for (int i = 0; i < 100_000; i++) {
            int address = random.nextInt();
            assertEquals(reference4.lookup4(address), lpm4.lookup(address));
            assertEquals(reference4.lookup4(covered[i]), lpm4.lookup(covered[i]));
        }
        routes4 = null;
        reference4 = null;
        lpm4 = null;

        Ipv6Routes routes6 = SyntheticTables.ipv6(7);
        Ipv6Lpm lpm6 = Ipv6Lpm.build(routes6);
        NaiveLpm reference6 = new NaiveLpm(128);
        for (int i = 0; i < routes6.size(); i++) {
            reference6.put(routes6.prefixHi(i), routes6.prefixLo(i), routes6.length(i), routes6.nextHop(i));
        }
        assertEquals(250_000, lpm6.size());
        long[] covered6 = SyntheticTables.coveredIpv6(routes6, 100_000, 9);
        for (int i = 0; i < 100_000; i++) {
            long hi = covered6[2 * i];
            long lo = covered6[2 * i + 1];
            assertEquals(reference6.lookup(hi, lo), lpm6.lookup(hi, lo));
        }
        // Half of the routes deleted, then the reference must still agree (folding at full size).
        for (int i = 0; i < routes6.size(); i += 2) {
            assertEquals(routes6.nextHop(i), lpm6.remove(routes6.prefixHi(i), routes6.prefixLo(i), routes6.length(i)));
            reference6.remove(routes6.prefixHi(i), routes6.prefixLo(i), routes6.length(i));
        }
        for (int i = 0; i < 100_000; i++) {
            long hi = covered6[2 * i];
            long lo = covered6[2 * i + 1];
            assertEquals(reference6.lookup(hi, lo), lpm6.lookup(hi, lo));
        }
    }
}
