package io.nfchain.functions.router;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nfchain.core.packet.IpAddresses;
import io.nfchain.core.packet.NetBytes;
import io.nfchain.functions.rules.InvalidRuleException;
import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;

/** Edge cases of the IPv6 table, each with the answer worked out by hand. */
class Ipv6LpmTest {
    private static final int NO = Ipv6Lpm.NO_ROUTE;
    private final Ipv6Lpm lpm = new Ipv6Lpm();

    private int add(String prefix, int length, int nextHop) {
        long[] a = IpAddresses.parseIpv6(prefix);
        return lpm.add(a[0], a[1], length, nextHop);
    }

    private int remove(String prefix, int length) {
        long[] a = IpAddresses.parseIpv6(prefix);
        return lpm.remove(a[0], a[1], length);
    }

    private int at(String address) {
        long[] a = IpAddresses.parseIpv6(address);
        return lpm.lookup(a[0], a[1]);
    }

    @Test
    void defaultRouteAndHostRoutes() {
        assertEquals(NO, at("::"));
        add("::", 0, 1);
        add("2001:db8::1", 128, 2);
        add("::", 128, 3);
        add("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", 128, 4);
        assertEquals(2, at("2001:db8::1"));
        assertEquals(1, at("2001:db8::"));
        assertEquals(1, at("2001:db8::2"));
        assertEquals(3, at("::"));
        assertEquals(1, at("::1"));
        assertEquals(4, at("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"));
        assertEquals(1, at("ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe"));
        assertEquals(1, remove("::", 0));
        assertEquals(NO, at("2001:db8::2"));
        assertEquals(2, at("2001:db8::1"));
    }

    @Test
    void aPrefixEndingAtEveryLevelBoundaryAndBetween() {
        int[] lengths = {8, 16, 20, 24, 29, 32, 33, 36, 40, 42, 44, 47, 48, 56, 60, 64, 65, 96, 127, 128};
        long[] address = IpAddresses.parseIpv6("2a02:1234:5678:9abc:def0:1234:5678:9abd");
        for (int i = 0; i < lengths.length; i++) {
            int l = lengths[i];
            lpm.add(address[0] & StrideTrie.maskHi(l), address[1] & StrideTrie.maskLo(l), l, 100 + l);
        }
        // Flipping the bit just after length l leaves /l as the longest match.
        for (int l : lengths) {
            long hi = address[0];
            long lo = address[1];
            if (l < 64) {
                hi ^= 1L << (63 - l);
            } else if (l < 128) {
                lo ^= 1L << (127 - l);
            }
            assertEquals(100 + l, lpm.lookup(hi, lo), "differs right after /" + l);
        }
        // Removing from the longest up folds every group back, one level at a time.
        for (int i = lengths.length - 1; i >= 0; i--) {
            int l = lengths[i];
            assertEquals(100 + l, lpm.remove(address[0] & StrideTrie.maskHi(l), address[1] & StrideTrie.maskLo(l), l));
            assertEquals(i == 0 ? NO : 100 + lengths[i - 1], lpm.lookup(address[0], address[1]));
        }
        StrideTrie trie = lpm.trie();
        for (int level = 1; level < trie.levels(); level++) {
            assertEquals(0, trie.liveGroups(level), "groups left at level " + level);
        }
    }

    @Test
    void deletingAMiddlePrefixKeepsLongerOnesAndRestoresTheShorter() {
        add("2001:db8::", 32, 1);
        add("2001:db8:1::", 48, 2);
        add("2001:db8:1:2::", 64, 3);
        add("2001:db8:1:2::5", 128, 4);
        assertEquals(2, remove("2001:db8:1::", 48));
        assertEquals(1, at("2001:db8:1:1::1"));
        assertEquals(3, at("2001:db8:1:2::6"));
        assertEquals(4, at("2001:db8:1:2::5"));
        assertEquals(1, add("2001:db8::", 32, 9), "re-add replaces the next hop");
        assertEquals(9, at("2001:db8:1:1::1"));
        assertEquals(3, lpm.size());
    }

    @Test
    void badRoutesAreRefusedNamingTheField() {
        assertField("prefixLength", () -> add("2001:db8::", 129, 1));
        assertField("prefixLength", () -> add("2001:db8::", -1, 1));
        assertField("prefix", () -> add("2001:db8::1", 64, 1)); // host bit in lo
        assertField("prefix", () -> add("2001:db8:0:1::", 48, 1)); // host bit in hi
        assertField("prefix", () -> add("::1", 0, 1));
        assertField("nextHop", () -> add("2001:db8::", 32, Ipv6Lpm.MAX_NEXT_HOP + 1));
        assertField("prefixLength", () -> remove("::", 200));
        Ipv6Routes routes = new Ipv6Routes().add(0, 0, 0, 1).add(0, 1, 64, 1);
        InvalidRuleException e = assertThrows(InvalidRuleException.class, () -> Ipv6Lpm.build(routes));
        assertEquals("routes[1].prefix", e.field());
        assertTrue(e.getMessage().contains("::/64"), e.getMessage());
        assertEquals(0, lpm.size());
    }

    @Test
    void segmentAndBatchLookupsMatchSingleLookups() {
        add("2001:db8::", 32, 1);
        add("2001:db8:0:1::", 64, 2);
        String[] text = {"2001:db8::1", "2001:db8:0:1::1", "2001:db9::", "::"};
        MemorySegment segment = MemorySegment.ofArray(new byte[16 * text.length + 3]);
        long[] pairs = new long[2 * text.length];
        for (int i = 0; i < text.length; i++) {
            long[] a = IpAddresses.parseIpv6(text[i]);
            NetBytes.put64(segment, 3 + 16L * i, a[0]);
            NetBytes.put64(segment, 3 + 16L * i + 8, a[1]);
            pairs[2 * i] = a[0];
            pairs[2 * i + 1] = a[1];
        }
        int[] out = new int[text.length];
        lpm.lookup(pairs, out, text.length);
        for (int i = 0; i < text.length; i++) {
            assertEquals(at(text[i]), lpm.lookup(segment, 3 + 16L * i));
            assertEquals(at(text[i]), out[i]);
        }
        assertEquals(1, out[0]);
        assertEquals(2, out[1]);
        assertEquals(NO, out[2]);
        assertThrows(IndexOutOfBoundsException.class, () -> lpm.lookup(pairs, out, text.length + 1));
    }

    private static void assertField(String field, org.junit.jupiter.api.function.Executable call) {
        InvalidRuleException e = assertThrows(InvalidRuleException.class, call);
        assertEquals(field, e.field(), e.getMessage());
    }
}
