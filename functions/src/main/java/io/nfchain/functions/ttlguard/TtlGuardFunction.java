package io.nfchain.functions.ttlguard;

import io.nfchain.core.packet.Checksums;
import io.nfchain.core.packet.Ipv4Header;
import io.nfchain.core.packet.Ipv6Header;
import io.nfchain.core.packet.Layer;
import io.nfchain.core.packet.NetBytes;
import io.nfchain.core.packet.ParsedPacket;
import io.nfchain.functions.sdk.FunctionCounter;
import io.nfchain.functions.sdk.NetworkFunction;
import io.nfchain.functions.sdk.PacketVector;
import java.lang.foreign.MemorySegment;

/**
 * {@code ttl-guard}: a hop that decrements the IPv4 TTL (with an RFC 1624 incremental
 * checksum update) or the IPv6 hop limit of every packet, and drops packets whose TTL would
 * reach zero, as a router hop does, without routing. Non-IP frames (ARP) pass unchanged.
 * The NF author guide's example: small, but everything a real function does.
 *
 * <p>Uses the parse ({@link ParsedPacket#outer()} offsets); sets the TTL / hop limit and the
 * IPv4 header checksum in place; packets go to output 0 or are dropped with
 * {@link Counter#TTL_EXPIRED} or {@link Counter#NOT_IP_MALFORMED}.
 */
public final class TtlGuardFunction implements NetworkFunction<TtlGuardFunction.Counter> {
    public static final String TYPE = "ttl-guard";

    /** What ttl-guard counts. */
    public enum Counter implements FunctionCounter {
        FORWARDED("packets forwarded with TTL decremented", false),
        PASSED_NON_IP("non-IP frames passed unchanged", false),
        TTL_EXPIRED("TTL or hop limit expired", true),
        NOT_IP_MALFORMED("malformed IP header", true);

        private final String text;
        private final boolean drop;

        Counter(String text, boolean drop) {
            this.text = text;
            this.drop = drop;
        }

        @Override
        public String text() {
            return text;
        }

        @Override
        public boolean isDrop() {
            return drop;
        }
    }

    @Override
    public String name() {
        return TYPE;
    }

    @Override
    public Class<Counter> counterType() {
        return Counter.class;
    }

    @Override
    public void process(PacketVector<Counter> vector) {
        MemorySegment data = vector.data();
        int n = vector.count();
        for (int i = 0; i < n; i++) {
            ParsedPacket p = vector.packet(i);
            if (p.has(Layer.IPV4)) {
                ipv4(vector, data, i, vector.offset(i) + p.l3Offset());
            } else if (p.has(Layer.IPV6)) {
                ipv6(vector, data, i, vector.offset(i) + p.l3Offset());
            } else if (p.etherType() == 0x0800 || p.etherType() == 0x86DD) {
                vector.drop(i, Counter.NOT_IP_MALFORMED); // claims IP but did not parse as IP
            } else {
                vector.counters().increment(Counter.PASSED_NON_IP);
            }
        }
    }

    private static void ipv4(PacketVector<Counter> vector, MemorySegment data, int i, long ip) {
        int ttl = NetBytes.u8(data, ip + Ipv4Header.TTL);
        if (ttl <= 1) {
            vector.drop(i, Counter.TTL_EXPIRED);
            return;
        }
        // TTL shares a 16-bit word with the protocol: update the checksum over that word.
        int oldWord = NetBytes.u16(data, ip + Ipv4Header.TTL);
        int newWord = oldWord - 0x100;
        NetBytes.put16(data, ip + Ipv4Header.TTL, newWord);
        int checksum = NetBytes.u16(data, ip + Ipv4Header.CHECKSUM);
        NetBytes.put16(data, ip + Ipv4Header.CHECKSUM, Checksums.update16(checksum, oldWord, newWord));
        vector.counters().increment(Counter.FORWARDED);
    }

    private static void ipv6(PacketVector<Counter> vector, MemorySegment data, int i, long ip) {
        int hops = NetBytes.u8(data, ip + Ipv6Header.HOP_LIMIT);
        if (hops <= 1) {
            vector.drop(i, Counter.TTL_EXPIRED);
            return;
        }
        NetBytes.put8(data, ip + Ipv6Header.HOP_LIMIT, hops - 1);
        vector.counters().increment(Counter.FORWARDED);
    }

    @Override
    public void trace(PacketVector<Counter> vector, int index, StringBuilder out) {
        out.append(vector.output(index) == PacketVector.DROP ? "dropped" : "forwarded");
    }
}
