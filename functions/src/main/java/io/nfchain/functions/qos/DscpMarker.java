package io.nfchain.functions.qos;

import io.nfchain.core.packet.Checksums;
import io.nfchain.core.packet.IpLayers;
import io.nfchain.core.packet.IpProtocols;
import io.nfchain.core.packet.Ipv4Header;
import io.nfchain.core.packet.Ipv6Header;
import io.nfchain.core.packet.NetBytes;
import io.nfchain.core.packet.ParsedPacket;
import io.nfchain.core.packet.UdpHeader;
import java.lang.foreign.MemorySegment;

/**
 * Not thread-safe (its header views are reused): the worker's. Writes a DSCP into a parsed
 * packet: the IP packet the session rules speak of (the inner one of GTP-U) and, when asked,
 * the GTP-U outer header too. ECN bits and the IPv6 flow label are kept; an IPv4 header
 * checksum is patched incrementally (RFC 1624) by {@link Ipv4Header#markDscp}.
 *
 * <p>The outer UDP checksum of GTP-U covers the inner packet. An inner IPv4 header sums to the
 * same value after the mark (its checksum moved with its DSCP), so only an inner IPv6 traffic
 * class change is patched into a nonzero outer UDP checksum. Allocates nothing.
 */
final class DscpMarker {
    private final Ipv4Header ipv4 = new Ipv4Header();
    private final Ipv6Header ipv6 = new Ipv6Header();

    /**
     * Marks {@code p} (well formed, parsed from the frame at {@code frameOffset}) with
     * {@code dscp}, 0..63.
     *
     * @param markOuter also mark the outer header of a GTP-U packet
     */
    void mark(MemorySegment data, long frameOffset, ParsedPacket p, int dscp, boolean markOuter) {
        IpLayers outer = p.outer();
        IpLayers inner = p.inner();
        if (p.tunnelType() != ParsedPacket.TUNNEL_GTPU || inner.l3Offset() < 0) {
            markLayer(data, frameOffset, outer, dscp);
            return;
        }
        if (inner.key().ipVersion() == 4) {
            ipv4.wrap(data, frameOffset + inner.l3Offset()).markDscp(dscp);
        } else {
            long at = frameOffset + inner.l3Offset();
            int oldWord = NetBytes.u32(data, at);
            ipv6.wrap(data, at).markDscp(dscp);
            patchOuterUdp(data, frameOffset, outer, oldWord, NetBytes.u32(data, at));
        }
        if (markOuter) {
            markLayer(data, frameOffset, outer, dscp);
        }
    }

    private void markLayer(MemorySegment data, long frameOffset, IpLayers ip, int dscp) {
        long at = frameOffset + ip.l3Offset();
        if (ip.key().ipVersion() == 4) {
            ipv4.wrap(data, at).markDscp(dscp);
        } else {
            ipv6.wrap(data, at).markDscp(dscp);
        }
    }

    private static void patchOuterUdp(MemorySegment data, long frameOffset, IpLayers outer, int oldWord, int newWord) {
        if (outer.key().protocol() != IpProtocols.UDP || oldWord == newWord) {
            return;
        }
        long field = frameOffset + outer.l4Offset() + UdpHeader.CHECKSUM;
        int checksum = NetBytes.u16(data, field);
        if (checksum == 0) {
            return; // IPv4 UDP without a checksum
        }
        int patched = Checksums.update32(checksum, oldWord, newWord);
        NetBytes.put16(data, field, patched == 0 ? 0xFFFF : patched);
    }
}
