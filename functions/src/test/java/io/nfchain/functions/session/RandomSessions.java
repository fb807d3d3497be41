package io.nfchain.functions.session;

import io.nfchain.api.session.v1.ApplyAction;
import io.nfchain.api.session.v1.Far;
import io.nfchain.api.session.v1.Interface;
import io.nfchain.api.session.v1.OuterHeaderCreation;
import io.nfchain.api.session.v1.Pdi;
import io.nfchain.api.session.v1.Pdr;
import io.nfchain.api.session.v1.PortRange;
import io.nfchain.api.session.v1.Qer;
import io.nfchain.api.session.v1.SdfFilter;
import io.nfchain.api.session.v1.Session;
import io.nfchain.api.session.v1.Urr;
import java.util.Random;

/**
 * Not thread-safe. Random sessions over small pools of values so that random packets match
 * often; with {@code badness} > 0 some fields go out of range, for fuzzing the validator.
 */
final class RandomSessions {
    static final String[] REMOTES = {"", "198.51.100.0/24", "198.51.100.7", "0.0.0.0/0", "203.0.113.0/25",
        "2001:db8::/32", "2001:db8:5::/48", "2001:db8:5::9"};
    private final Random random;
    private final double badness;

    RandomSessions(Random random, double badness) {
        this.random = random;
        this.badness = badness;
    }

    private boolean bad() {
        return random.nextDouble() < badness;
    }

    private int small(int bound) {
        return bad() ? random.nextInt() : random.nextInt(bound);
    }

    Session session(long seid, int teidBase, int ueV4, long ueV6Hi) {
        Session.Builder b = Session.newBuilder().setSeid(bad() ? 0 : seid);
        int fars = 1 + random.nextInt(4);
        for (int i = 1; i <= fars; i++) {
            b.addFars(far(i));
        }
        int qers = random.nextInt(3);
        for (int i = 1; i <= qers; i++) {
            Qer.Builder q = Qer.newBuilder().setId(bad() ? 0 : i).setMbrUplinkBps(random.nextInt(1000))
                    .setGbrUplinkBps(random.nextInt(500));
            if (random.nextBoolean()) {
                q.setQfi(small(64));
            }
            b.addQers(q);
        }
        int urrs = random.nextInt(3);
        for (int i = 1; i <= urrs; i++) {
            b.addUrrs(Urr.newBuilder().setId(bad() ? 1 : i).setMeasureVolume(random.nextBoolean()));
        }
        int pdrs = 1 + random.nextInt(6);
        String ue4 = io.nfchain.core.packet.IpAddresses.ipv4ToString(ueV4);
        String ue6 = io.nfchain.core.packet.IpAddresses.ipv6ToString(ueV6Hi, 0) + "/64";
        for (int i = 0; i < pdrs; i++) {
            boolean up = random.nextBoolean();
            Pdi.Builder pdi = Pdi.newBuilder().setSourceInterface(up ? Interface.ACCESS : Interface.CORE);
            if (up && random.nextInt(3) > 0) {
                pdi.setLocalTeid(teidBase + random.nextInt(2));
            }
            if (random.nextInt(3) == 0) {
                pdi.setUeIpv4(bad() ? "10.0.0.300" : ue4);
            }
            if (random.nextInt(3) == 0) {
                pdi.setUeIpv6(ue6);
            }
            if (random.nextInt(3) == 0) {
                pdi.setQfi(small(3));
            }
            int sdfs = random.nextInt(3);
            for (int k = 0; k < sdfs; k++) {
                pdi.addSdfFilters(sdf());
            }
            Pdr.Builder p = Pdr.newBuilder().setId(bad() ? 70000 : i + 1).setPrecedence(random.nextInt(5)).setPdi(pdi)
                    .setFarId(bad() ? 99 : 1 + random.nextInt(fars)).setRemoveOuterHeader(up);
            if (qers > 0 && random.nextBoolean()) {
                p.addQerIds(1 + random.nextInt(qers));
            }
            if (urrs > 0 && random.nextBoolean()) {
                p.addUrrIds(1 + random.nextInt(urrs));
            }
            b.addPdrs(p);
        }
        return b.build();
    }

    private Far far(int id) {
        Far.Builder f = Far.newBuilder().setId(id);
        switch (random.nextInt(4)) {
            case 0 -> f.setAction(ApplyAction.FORWARD).setDestinationInterface(Interface.CORE);
            case 1 -> f.setAction(ApplyAction.DROP);
            case 2 -> f.setAction(ApplyAction.BUFFER).setDestinationInterface(Interface.ACCESS);
            default -> f.setAction(ApplyAction.FORWARD).setDestinationInterface(Interface.ACCESS)
                    .setOuterHeaderCreation(OuterHeaderCreation.newBuilder().setTeid(bad() ? 0 : 1 + random.nextInt(1000))
                            .setPeerAddress(random.nextBoolean() ? "192.0.2.1" : "2001:db8:ff::1").setPort(small(3) * 1000));
        }
        if (bad()) {
            f.setTransportDscp(random.nextInt(100));
        }
        return f.build();
    }

    private SdfFilter sdf() {
        SdfFilter.Builder s = SdfFilter.newBuilder().setRemotePrefix(REMOTES[random.nextInt(REMOTES.length)]);
        if (random.nextBoolean()) {
            int[] protocols = {6, 17, 1, 132};
            s.setProtocol(bad() ? 300 : protocols[random.nextInt(protocols.length)]);
            boolean ports = s.getProtocol() != 1 || bad();
            if (ports && random.nextBoolean()) {
                int first = random.nextInt(8);
                s.setRemotePorts(PortRange.newBuilder().setFirst(first).setLast(bad() ? first - 1 : first + random.nextInt(4)));
            }
            if (ports && random.nextBoolean()) {
                int first = random.nextInt(8);
                s.setUePorts(PortRange.newBuilder().setFirst(first).setLast(first + random.nextInt(4)));
            }
        }
        return s.build();
    }
}
