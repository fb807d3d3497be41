package io.nfchain.bench.router;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.nfchain.bench.router.ReturnCheck.Expect;
import io.nfchain.bench.router.ReturnCheck.Verdict;
import io.nfchain.core.packet.Checksums;
import io.nfchain.core.packet.NetBytes;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ReturnCheckTest {
    private static final int IP = 14;
    private final FlowSet flows = new FlowSet(new int[] {0x0A00_0001, 0x5DB8_D822, 0xC633_6407},
            new long[] {FlowSet.gatewayMac(0), FlowSet.gatewayMac(7), FlowSet.gatewayMac(63)});

    /** What the router does: next hop's MAC, its own MAC as source, TTL - 1 with the checksum updated. */
    static void route(MemorySegment s, long expectedMac) {
        int oldWord = NetBytes.u16(s, IP + 8);
        NetBytes.put16(s, IP + 8, oldWord - 0x100);
        NetBytes.put16(s, IP + 10, Checksums.update16(NetBytes.u16(s, IP + 10), oldWord, oldWord - 0x100));
        NetBytes.put48(s, 0, expectedMac);
        NetBytes.put48(s, 6, FlowSet.ROUTER_MAC);
    }

    static void swap(MemorySegment s) {
        long dst = NetBytes.u48(s, 0);
        NetBytes.put48(s, 0, NetBytes.u48(s, 6));
        NetBytes.put48(s, 6, dst);
    }

    private MemorySegment frame(int flow) {
        return flows.frame(flow).build();
    }

    @Test
    void routedAndSwappedFramesPass() {
        ReturnCheck routed = new ReturnCheck(flows, Expect.ROUTED);
        ReturnCheck swapped = new ReturnCheck(flows, Expect.SWAPPED);
        for (int f = 0; f < flows.size(); f++) {
            MemorySegment r = frame(f);
            route(r, flows.expectedMac(f));
            assertEquals(Verdict.OK, routed.check(r, 0, (int) r.byteSize()));
            assertEquals(Verdict.WRONG_TTL, swapped.check(r, 0, (int) r.byteSize()));
            MemorySegment s = frame(f);
            swap(s);
            assertEquals(Verdict.OK, swapped.check(s, 0, (int) s.byteSize()));
            assertEquals(Verdict.WRONG_TTL, routed.check(s, 0, (int) s.byteSize()));
        }
    }

    @Test
    void aFrameSentBackUntouchedFailsBothChecks() {
        MemorySegment s = frame(1);
        assertEquals(Verdict.WRONG_TTL, new ReturnCheck(flows, Expect.ROUTED).check(s, 0, (int) s.byteSize()));
        assertEquals(Verdict.WRONG_DESTINATION_MAC, new ReturnCheck(flows, Expect.SWAPPED).check(s, 0, (int) s.byteSize()));
    }

    @Test
    void eachDamageHasItsVerdict() {
        ReturnCheck check = new ReturnCheck(flows, Expect.ROUTED);
        MemorySegment wrongMac = frame(1);
        route(wrongMac, flows.expectedMac(2));
        assertEquals(Verdict.WRONG_DESTINATION_MAC, check.check(wrongMac, 0, 64));
        MemorySegment wrongSource = frame(1);
        route(wrongSource, flows.expectedMac(1));
        NetBytes.put48(wrongSource, 6, FlowSet.GENERATOR_MAC);
        assertEquals(Verdict.WRONG_SOURCE_MAC, check.check(wrongSource, 0, 64));
        MemorySegment noChecksumUpdate = frame(1);
        NetBytes.put8(noChecksumUpdate, IP + 8, FlowSet.TTL - 1);
        assertEquals(Verdict.BAD_CHECKSUM, check.check(noChecksumUpdate, 0, 64));
        MemorySegment unknownFlow = frame(1);
        NetBytes.put16(unknownFlow, IP + 20, FlowSet.SOURCE_PORT_BASE + 3);
        assertEquals(Verdict.UNKNOWN_FLOW, check.check(unknownFlow, 0, 64));
        MemorySegment otherFlowsAddress = frame(1);
        NetBytes.put16(otherFlowsAddress, IP + 20, FlowSet.SOURCE_PORT_BASE + 2);
        assertEquals(Verdict.WRONG_ADDRESSES, check.check(otherFlowsAddress, 0, 64));
        MemorySegment arp = frame(0);
        NetBytes.put16(arp, 12, 0x0806);
        assertEquals(Verdict.NOT_IPV4, check.check(arp, 0, 64));
        assertEquals(Verdict.SHORT, check.check(frame(0), 0, 41));
    }

    /** Bytes whose value the check compares: MACs, EtherType, version/IHL, TTL, addresses, UDP source port. */
    private static boolean compared(int at) {
        return at <= IP || at == IP + 8 || (at >= IP + 12 && at < IP + 22);
    }

    @Test
    void randomDamageToWhatIsCheckedNeverPasses() {
        ReturnCheck check = new ReturnCheck(flows, Expect.ROUTED);
        SplittableRandom random = new SplittableRandom(3);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment s = arena.allocate(64);
            MemorySegment good = arena.allocate(64);
            for (int i = 0; i < 100_000; i++) {
                int f = random.nextInt(flows.size());
                good.copyFrom(frame(f));
                route(good, flows.expectedMac(f));
                s.copyFrom(good);
                for (int n = 1 + random.nextInt(3); n > 0; n--) {
                    int at = random.nextInt(42);
                    NetBytes.put8(s, at, NetBytes.u8(s, at) ^ (1 + random.nextInt(255)));
                }
                boolean comparedDamaged = false;
                for (int at = 0; at < 42; at++) {
                    comparedDamaged |= compared(at) && NetBytes.u8(s, at) != NetBytes.u8(good, at);
                }
                // other header bytes are covered by the checksum, unless two changes cancel out in it
                boolean checksumBroken = Checksums.fold(Checksums.sum(s, IP, 20, 0)) != 0xFFFF;
                int length = random.nextInt(8) == 0 ? random.nextInt(65) : 64;
                Verdict v = check.check(s, 0, length);
                assertNotNull(v);
                boolean shouldFail = comparedDamaged || checksumBroken || length < 42;
                assertEquals(shouldFail, v != Verdict.OK, "iteration " + i + ": " + v);
            }
        }
    }
}
