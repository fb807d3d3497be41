package io.nfchain.core.tools;

import io.nfchain.core.packet.ArpPacket;
import io.nfchain.core.packet.Checksums;
import io.nfchain.core.packet.EthernetHeader;
import io.nfchain.core.packet.FlowKey;
import io.nfchain.core.packet.IpAddresses;
import io.nfchain.core.packet.IpLayers;
import io.nfchain.core.packet.Ipv4Header;
import io.nfchain.core.packet.Layer;
import io.nfchain.core.packet.NetBytes;
import io.nfchain.core.packet.ParsedPacket;
import io.nfchain.core.packet.TcpHeader;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

/**
 * How nfchain sees one frame, as a JSON object: the layers found and their offsets, the 5-tuple
 * (and the inner one for GTP-U and VXLAN), VLAN ids, checksum verdicts, and for a malformed
 * frame the reason and where it was seen. Built from a {@link ParsedPacket}, so it shows exactly
 * what the datapath's classifier would match on.
 */
final class PacketDescription {
    private PacketDescription() {}

    /** Appends the description of the parsed frame to {@code json}. */
    static JsonLine describe(MemorySegment frame, ParsedPacket p, JsonLine json) {
        json.put("status", p.status().name());
        if (!p.isWellFormed()) {
            json.put("reason", p.status().text()).put("reason_offset", p.statusOffset());
        }
        json.putStrings("layers", Layer.names(p.layers()));
        if (p.has(Layer.ETHERNET)) {
            EthernetHeader eth = new EthernetHeader().wrap(frame, 0);
            json.put("eth", new JsonLine().put("dst", NetBytes.macToString(eth.dst())).put("src", NetBytes.macToString(eth.src()))
                    .put("type", hex16(p.etherType())));
        }
        if (p.vlanCount() > 0) {
            List<JsonLine> tags = new ArrayList<>();
            for (int i = 0; i < p.vlanCount(); i++) {
                tags.add(new JsonLine().put("tpid", hex16(p.vlanTpid(i))).put("vid", p.vlanId(i))
                        .put("pcp", p.vlanTci(i) >>> 13).put("dei", (p.vlanTci(i) >>> 12) & 1));
            }
            json.putObjects("vlan", tags);
        }
        json.put("offsets", offsets(p));
        if (p.has(Layer.ARP)) {
            json.put("arp", arp(frame, p.l3Offset()));
        }
        if (p.outer().key().ipVersion() != 0) {
            json.put("ip", ip(frame, p.outer(), p.layers()));
        }
        if (p.tunnelType() == ParsedPacket.TUNNEL_GTPU) {
            JsonLine g = new JsonLine().put("teid", p.teid() & 0xFFFF_FFFFL).put("message_type", p.gtpMessageType());
            if (p.gtpSequence() >= 0) {
                g.put("sequence", p.gtpSequence());
            }
            if (p.qfi() >= 0) {
                g.put("qfi", p.qfi()).put("pdu_type", p.pduType());
            }
            json.put("gtpu", g);
        }
        if (p.tunnelType() == ParsedPacket.TUNNEL_VXLAN) {
            json.put("vxlan", new JsonLine().put("vni", p.vni()));
        }
        if (p.inner().key().ipVersion() != 0) {
            json.put("inner", ip(frame, p.inner(), p.layers() >>> Layer.INNER_SHIFT));
        }
        if (p.has(Layer.INNER_ARP)) {
            json.put("inner_arp", arp(frame, p.inner().l3Offset()));
        }
        return json;
    }

    private static JsonLine arp(MemorySegment frame, int offset) {
        ArpPacket arp = new ArpPacket().wrap(frame, offset);
        JsonLine a = new JsonLine().put("op", arp.operation());
        if (arp.isEthernetIpv4()) {
            a.put("sender_mac", NetBytes.macToString(arp.senderMac())).put("sender_ip", IpAddresses.ipv4ToString(arp.senderIp()))
                    .put("target_mac", NetBytes.macToString(arp.targetMac())).put("target_ip", IpAddresses.ipv4ToString(arp.targetIp()));
        }
        return a;
    }

    private static JsonLine offsets(ParsedPacket p) {
        JsonLine o = new JsonLine().put("l2", 0);
        putIfPresent(o, "l3", p.outer().l3Offset());
        putIfPresent(o, "l4", p.outer().l4Offset());
        putIfPresent(o, "payload", p.outer().payloadOffset());
        putIfPresent(o, "l3_end", p.outer().l3End());
        putIfPresent(o, "tunnel", p.tunnelOffset());
        putIfPresent(o, "inner_l2", p.innerL2Offset());
        putIfPresent(o, "inner_l3", p.inner().l3Offset());
        putIfPresent(o, "inner_l4", p.inner().l4Offset());
        putIfPresent(o, "inner_payload", p.inner().payloadOffset());
        return o;
    }

    private static void putIfPresent(JsonLine o, String key, int offset) {
        if (offset >= 0) {
            o.put(key, offset);
        }
    }

    /** The IP layers of one packet; {@code layers} are the Layer bits for this packet (inner ones shifted down). */
    private static JsonLine ip(MemorySegment frame, IpLayers ip, int layers) {
        FlowKey k = ip.key();
        JsonLine j = new JsonLine().put("version", k.ipVersion())
                .put("src", k.srcAddressString()).put("dst", k.dstAddressString())
                .put("proto", k.protocol());
        if ((layers & (Layer.TCP | Layer.UDP)) != 0) {
            j.put("sport", k.srcPort()).put("dport", k.dstPort());
        }
        j.put("hop_limit", ip.hopLimit()).put("dscp", ip.dscp()).put("ecn", ip.trafficClass() & 3);
        if ((ip.fragmentFlags() & IpLayers.FRAG_IS_FRAGMENT) != 0) {
            j.put("fragment_offset", ip.fragmentOffset()).put("more_fragments", (ip.fragmentFlags() & IpLayers.FRAG_MORE) != 0);
        }
        if (ip.icmpType() >= 0) {
            j.put("icmp_type", ip.icmpType()).put("icmp_code", ip.icmpCode());
        }
        if ((layers & Layer.TCP) != 0) {
            TcpHeader tcp = new TcpHeader().wrap(frame, ip.l4Offset());
            j.put("tcp_flags", hex16(ip.tcpFlags()));
            if (!tcp.optionsWellFormed()) {
                j.put("tcp_options", "malformed: an option length is under 2 or runs past the header");
            } else {
                JsonLine options = new JsonLine();
                if (tcp.mss() >= 0) {
                    options.put("mss", tcp.mss());
                }
                if (tcp.windowScale() >= 0) {
                    options.put("wscale", tcp.windowScale());
                }
                if (tcp.sackPermitted()) {
                    options.put("sack_permitted", true);
                }
                if (tcp.hasTimestamps()) {
                    options.put("tsval", tcp.timestampValue() & 0xFFFF_FFFFL).put("tsecr", tcp.timestampEcho() & 0xFFFF_FFFFL);
                }
                j.put("tcp_options", options);
            }
        }
        if (k.ipVersion() == 4) {
            j.put("ipv4_checksum", new Ipv4Header().wrap(frame, ip.l3Offset()).checksumValid() ? "ok" : "bad");
        }
        String l4 = transportChecksum(frame, ip, layers);
        if (l4 != null) {
            j.put("l4_checksum", l4);
        }
        return j;
    }

    /** "ok", "bad", "none" (UDP over IPv4 without one), or null when it cannot be checked. */
    private static String transportChecksum(MemorySegment frame, IpLayers ip, int layers) {
        if ((layers & (Layer.TCP | Layer.UDP | Layer.ICMPV4 | Layer.ICMPV6)) == 0 || ip.isLaterFragment()
                || (ip.fragmentFlags() & IpLayers.FRAG_MORE) != 0) {
            return null; // needs the whole datagram
        }
        int field = Checksums.checksumField(ip.key().protocol());
        int stored = NetBytes.u16(frame, ip.l4Offset() + field);
        if ((layers & Layer.UDP) != 0 && ip.key().ipVersion() == 4 && stored == 0) {
            return "none";
        }
        int expected = ip.key().ipVersion() == 4
                ? Checksums.ipv4Transport(frame, ip.l3Offset())
                : Checksums.ipv6Transport(frame, ip.l3Offset(), ip.l4Offset(), ip.key().protocol());
        return (expected == 0xFFFF ? 0 : expected) == (stored == 0xFFFF ? 0 : stored) ? "ok" : "bad";
    }

    private static String hex16(int value) {
        return String.format("0x%04x", value);
    }
}
