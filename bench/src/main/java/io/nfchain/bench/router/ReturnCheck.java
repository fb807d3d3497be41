package io.nfchain.bench.router;

import io.nfchain.core.packet.Checksums;
import io.nfchain.core.packet.NetBytes;
import java.lang.foreign.MemorySegment;

/**
 * Not thread-safe: the traffic process's receive loop owns one. Checks that a frame that came
 * back was handled as the device under test claims: {@link Expect#ROUTED} (the router: the
 * flow's next-hop MAC as destination, the router's MAC as source, TTL one less, a valid IPv4
 * header checksum) or {@link Expect#SWAPPED} (testpmd macswap: the MACs exchanged, TTL as sent).
 * Either way the frame must be one of the flows sent, unchanged in its addresses and ports.
 */
final class ReturnCheck {
    private static final int IP = 14;

    /** What the device under test does to a frame. */
    enum Expect {
        ROUTED, SWAPPED
    }

    /** Why a returned frame is not what was expected; {@link #OK} when it is. */
    enum Verdict {
        OK("as expected"),
        SHORT("shorter than 42 bytes"),
        NOT_IPV4("not an IPv4 frame with a 20-byte header"),
        BAD_CHECKSUM("IPv4 header checksum does not verify"),
        UNKNOWN_FLOW("UDP source port names no flow sent"),
        WRONG_ADDRESSES("IPv4 source or destination differs from the flow's"),
        WRONG_TTL("TTL is not the expected one"),
        WRONG_DESTINATION_MAC("destination MAC is not the expected next hop's"),
        WRONG_SOURCE_MAC("source MAC is not the expected one");

        final String text;

        Verdict(String text) {
            this.text = text;
        }
    }

    private final FlowSet flows;
    private final Expect expect;

    ReturnCheck(FlowSet flows, Expect expect) {
        this.flows = flows;
        this.expect = expect;
    }

    Verdict check(MemorySegment data, long frame, int lengthBytes) {
        if (lengthBytes < IP + 20 + 8) {
            return Verdict.SHORT;
        }
        if (NetBytes.u16(data, frame + 12) != 0x0800 || NetBytes.u8(data, frame + IP) != 0x45) {
            return Verdict.NOT_IPV4;
        }
        if (Checksums.fold(Checksums.sum(data, frame + IP, 20, 0)) != 0xFFFF) {
            return Verdict.BAD_CHECKSUM;
        }
        int flow = NetBytes.u16(data, frame + IP + 20) - FlowSet.SOURCE_PORT_BASE;
        if (flow < 0 || flow >= flows.size()) {
            return Verdict.UNKNOWN_FLOW;
        }
        if (NetBytes.u32(data, frame + IP + 12) != FlowSet.SOURCE_BASE + flow
                || NetBytes.u32(data, frame + IP + 16) != flows.destination(flow)) {
            return Verdict.WRONG_ADDRESSES;
        }
        boolean routed = expect == Expect.ROUTED;
        if (NetBytes.u8(data, frame + IP + 8) != (routed ? FlowSet.TTL - 1 : FlowSet.TTL)) {
            return Verdict.WRONG_TTL;
        }
        if (NetBytes.u48(data, frame) != (routed ? flows.expectedMac(flow) : FlowSet.GENERATOR_MAC)) {
            return Verdict.WRONG_DESTINATION_MAC;
        }
        // the router sends from its interface's MAC; macswap's source is what was our destination
        if (NetBytes.u48(data, frame + 6) != FlowSet.ROUTER_MAC) {
            return Verdict.WRONG_SOURCE_MAC;
        }
        return Verdict.OK;
    }
}
