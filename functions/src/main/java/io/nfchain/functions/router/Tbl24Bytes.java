package io.nfchain.functions.router;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.HashMap;
import java.util.Map;

/**
 * One writer (the {@link StrideTrie}'s, through {@link #written}), any number of readers. A
 * byte per /24 in front of {@link Ipv4Lpm}'s tbl24: the /24's next hop as a one-byte id, or
 * {@link #VIA_TBL24} when the /24 holds longer prefixes (its tbl24 entry points to a group) or
 * its next hop has no id. The first 254 distinct next hops get ids, for good; {@code 0} is "no
 * route". Real tables and the bench's have far fewer next hops than that; past them, a /24 with a
 * new next hop reads through tbl24 as before, so nothing is wrong, only slower.
 *
 * <p>Why: a random lookup is one cache miss into the first level. As ints that level is 64 MiB;
 * as bytes it is 16 MiB, a quarter as much for the caches to hold, and a bare gather over it
 * measured 6.2-6.7 ns against 9.2-10.7 (docs/router-lpm.md).
 *
 * <p>Readers: a byte other than {@code VIA_TBL24} is a complete answer, {@link #nextHop(int)} of
 * it; the id's next hop was stored before the first release store of that byte, so a reader that
 * loads the byte with acquire semantics (or plain, then an acquire fence) sees it. The byte is
 * written after the tbl24 entry it mirrors, so a reader sees either the /24's previous answer or
 * its new one, as with tbl24 itself.
 */
final class Tbl24Bytes implements StrideTrie.RootWrites {
    static final int VIA_TBL24 = 0xFF;
    private static final int NO_ROUTE_ID = 0;
    private static final VarHandle BYTES = MethodHandles.arrayElementVarHandle(byte[].class);

    private final byte[] ids = new byte[1 << 24];
    /** Id to next hop; 256 entries so that {@code nextHops[b & 0xFF]} needs no bounds check. */
    private final int[] nextHops = new int[256];
    private final Map<Integer, Integer> idOf = new HashMap<>();
    private int assigned = 1;
    private int lastNextHop = Ipv4Lpm.NO_ROUTE;
    private int lastId = NO_ROUTE_ID;

    Tbl24Bytes() {
        nextHops[NO_ROUTE_ID] = Ipv4Lpm.NO_ROUTE;
        nextHops[VIA_TBL24] = Ipv4Lpm.NO_ROUTE; // never read: the byte sends the reader to tbl24
    }

    /** The array readers index by {@code address >>> 8}. */
    byte[] ids() {
        return ids;
    }

    /** Id to next hop, for readers. */
    int[] nextHops() {
        return nextHops;
    }

    /** The byte for {@code index} with acquire semantics, 0..255. */
    int idAcquire(int index) {
        return (byte) BYTES.getAcquire(ids, index) & 0xFF;
    }

    @Override
    public void written(int index, int entry) {
        int id = entry < 0 ? VIA_TBL24 : idOf(StrideTrie.nextHop(entry));
        BYTES.setRelease(ids, index, (byte) id);
    }

    private int idOf(int nextHop) {
        if (nextHop == lastNextHop) {
            return lastId; // a route's entries come one after another
        }
        int id;
        if (nextHop == Ipv4Lpm.NO_ROUTE) {
            id = NO_ROUTE_ID;
        } else {
            Integer known = idOf.get(nextHop);
            if (known != null) {
                id = known;
            } else if (assigned < VIA_TBL24) {
                id = assigned++;
                nextHops[id] = nextHop; // published by the release store of the first byte naming it
                idOf.put(nextHop, id);
            } else {
                id = VIA_TBL24;
            }
        }
        lastNextHop = nextHop;
        lastId = id;
        return id;
    }

    /** Next hops that have an id (at most 254). */
    int idsAssigned() {
        return assigned - 1;
    }

    long memoryBytes() {
        return ids.length + nextHops.length * 4L + idOf.size() * 48L;
    }
}
