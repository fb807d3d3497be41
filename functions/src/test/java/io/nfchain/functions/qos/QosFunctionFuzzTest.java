package io.nfchain.functions.qos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nfchain.api.session.v1.ApplySessionsRequest;
import io.nfchain.api.session.v1.GateStatus;
import io.nfchain.api.session.v1.Session;
import io.nfchain.api.session.v1.SessionChange;
import io.nfchain.core.packet.GtpuHeader;
import io.nfchain.core.packet.PacketBuilder;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Random, mutated and truncated frames (plain IPv4/IPv6 and GTP-U, from and to UE addresses)
 * through qos while sessions are created, replaced and deleted between bursts: nothing throws,
 * and every packet leaves counted by a forward counter or is dropped counted by one reason
 * ({@link QosHarness#run} checks the books after each burst).
 */
class QosFunctionFuzzTest {
    private static final int BURSTS = 3_000;
    private static final int UES = 8;

    @Test
    void neverCrashesAndEveryPacketIsAccountedFor() {
        SplittableRandom random = new SplittableRandom(0x9051);
        try (QosHarness h = new QosHarness(QfiDscpMap.parse("t", "1=10,5=46,9=0"), true, false)) {
            boolean[] exists = new boolean[UES];
            long frames = 0;
            for (int b = 0; b < BURSTS; b++) {
                if (random.nextInt(10) == 0) {
                    change(h, random, exists);
                }
                MemorySegment[] burst = new MemorySegment[1 + random.nextInt(64)];
                for (int i = 0; i < burst.length; i++) {
                    burst[i] = switch (random.nextInt(4)) {
                        case 0 -> noise(random);
                        case 1 -> gtpu(random);
                        default -> plain(random);
                    };
                }
                h.nowNs += random.nextInt(2_000_000);
                h.run(burst);
                frames += burst.length;
            }
            assertEquals(frames, h.received);
            for (QosCounter c : QosCounter.values()) {
                if (c != QosCounter.SESSION_UNKNOWN) { // this function passes packets of no session
                    assertTrue(h.get(c) > 0, c + " happened");
                }
            }
        }
    }

    private static void change(QosHarness h, SplittableRandom random, boolean[] exists) {
        int ue = random.nextInt(UES);
        SessionChange.Builder c = SessionChange.newBuilder();
        if (exists[ue] && random.nextInt(3) == 0) {
            c.setDeleteSeid(ue + 1);
            exists[ue] = false;
        } else if (exists[ue]) {
            c.setReplace(session(random, ue));
        } else {
            c.setCreate(session(random, ue));
            exists[ue] = true;
        }
        assertEquals(1, h.qos.sessions().apply(ApplySessionsRequest.newBuilder().addChanges(c).build()).getApplied());
    }

    private static Session session(SplittableRandom random, int ue) {
        String v4 = "10.45.0." + ue;
        Session.Builder s = QosSessions.session(ue + 1);
        int qers = 1 + random.nextInt(3);
        for (int q = 1; q <= qers; q++) {
            long mbrUp = random.nextInt(3) == 0 ? 0 : 100_000L + random.nextInt(10_000_000);
            long mbrDown = random.nextInt(3) == 0 ? 0 : 100_000L + random.nextInt(10_000_000);
            s.addQers(QosSessions.qer(random.nextInt(4) + q * 10)
                    .setGateUplink(random.nextInt(8) == 0 ? GateStatus.CLOSED : GateStatus.OPEN)
                    .setGateDownlink(random.nextInt(8) == 0 ? GateStatus.CLOSED : GateStatus.OPEN)
                    .setMbrUplinkBps(mbrUp).setMbrDownlinkBps(mbrDown)
                    .setGbrUplinkBps(random.nextBoolean() ? 0 : mbrUp == 0 ? 50_000 : mbrUp / 2)
                    .setGbrDownlinkBps(random.nextBoolean() ? 0 : mbrDown == 0 ? 50_000 : mbrDown / 2)
                    .setQfi(random.nextInt(10)));
        }
        int[] ids = s.getQersList().stream().mapToInt(q -> (int) q.getId()).toArray();
        s.addPdrs(QosSessions.udpPort(QosSessions.uplink(1, 10, ids), 5060));
        s.addPdrs(QosSessions.uplink(2, 20, ids[0]));
        if (random.nextBoolean()) {
            s.addPdrs(QosSessions.downlink(3, 10, ids));
        }
        for (int k = 0; k < s.getPdrsCount(); k++) {
            s.getPdrsBuilder(k).getPdiBuilder().setUeIpv4(v4).setUeIpv6("2001:db8:" + (ue + 1) + "::/64");
        }
        return s.build();
    }

    private static int ue(SplittableRandom random) {
        return 0x0A2D_0000 | random.nextInt(UES + 2);
    }

    private static MemorySegment plain(SplittableRandom random) {
        PacketBuilder b = new PacketBuilder().ethernet(2, 1);
        boolean fromUe = random.nextBoolean();
        if (random.nextInt(4) == 0) {
            long ueHi = 0x2001_0db8_0000_0000L | (long) (1 + random.nextInt(UES + 1)) << 16;
            long serverHi = 0x2001_0db8_00ff_0000L;
            if (fromUe) {
                b.ipv6(ueHi, random.nextLong(), serverHi, 9);
            } else {
                b.ipv6(serverHi, 9, ueHi, random.nextLong());
            }
        } else if (fromUe) {
            b.ipv4(ue(random), QosSessions.SERVER);
        } else {
            b.ipv4(QosSessions.SERVER, ue(random));
        }
        int port = random.nextBoolean() ? 5060 : random.nextInt(65536);
        if (random.nextBoolean()) {
            b.udp(port, port);
        } else {
            b.tcp(port, port);
        }
        return mutate(random, b.payload(random.nextInt(1400)).toBytes());
    }

    private static MemorySegment gtpu(SplittableRandom random) {
        PacketBuilder b = new PacketBuilder().ethernet(2, 1).ipv4(QosSessions.UPF, QosSessions.GNB).udp(2152, 2152)
                .gtpu(random.nextInt());
        if (random.nextBoolean()) {
            b.pduSessionContainer(random.nextBoolean() ? GtpuHeader.PDU_TYPE_DOWNLINK : GtpuHeader.PDU_TYPE_UPLINK,
                    random.nextInt(64));
        }
        if (random.nextBoolean()) {
            b.ipv4(QosSessions.SERVER, ue(random));
        } else {
            b.ipv4(ue(random), QosSessions.SERVER);
        }
        return mutate(random, b.udp(443, 40000).payload(random.nextInt(1400)).toBytes());
    }

    private static MemorySegment mutate(SplittableRandom random, byte[] bytes) {
        if (random.nextInt(4) == 0) {
            for (int f = random.nextInt(4); f > 0; f--) {
                bytes[random.nextInt(bytes.length)] ^= (byte) (1 << random.nextInt(8));
            }
        }
        int length = random.nextInt(5) == 0 ? random.nextInt(bytes.length + 1) : bytes.length;
        return MemorySegment.ofArray(Arrays.copyOf(bytes, length));
    }

    private static MemorySegment noise(SplittableRandom random) {
        byte[] bytes = new byte[random.nextInt(2048)];
        random.nextBytes(bytes);
        if (bytes.length >= 14) {
            int[] types = {0x0800, 0x86DD, 0x0806, 0x8100, random.nextInt(0x10000)};
            int type = types[random.nextInt(types.length)];
            bytes[12] = (byte) (type >>> 8);
            bytes[13] = (byte) type;
        }
        return MemorySegment.ofArray(bytes);
    }
}
