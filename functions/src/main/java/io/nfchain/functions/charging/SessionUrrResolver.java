package io.nfchain.functions.charging;

import io.nfchain.core.packet.FlowKey;
import io.nfchain.core.packet.ParsedPacket;
import io.nfchain.functions.session.CompiledSession;
import io.nfchain.functions.session.SessionModel;
import io.nfchain.functions.session.SessionTable;
import io.nfchain.functions.session.SessionWarmer;
import io.nfchain.functions.sdk.PacketVector;

/**
 * Not thread-safe: the poll thread's. Finds a packet's URRs the way every function of the chain
 * does (issue 7's shared rule): the inner packet of GTP-U, else the outer; a UE address as
 * source means uplink (PDRs from ACCESS), as destination downlink (from CORE); the session's
 * PDRs in precedence order; each URR slot of the PDR mapped to its usage record.
 */
final class SessionUrrResolver implements UrrResolver {
    private final SessionTable table;
    private final ChargingControl control;
    private final SessionWarmer warmer;

    SessionUrrResolver(SessionTable table, ChargingControl control) {
        this.table = table;
        this.control = control;
        this.warmer = new SessionWarmer(table, 512);
    }

    /** The keys {@link #resolve} looks up, then each session's first URR's record ({@link SessionWarmer}). */
    @Override
    public long warm(PacketVector<ChargingCounter> vector, UsageStore store) {
        SessionWarmer w = warmer;
        w.clear();
        for (int i = 0, n = vector.count(); i < n; i++) {
            ParsedPacket p = vector.packet(i);
            if (!p.isWellFormed()) {
                continue;
            }
            w.ueSourceOrDestination(p.tunnelType() == ParsedPacket.TUNNEL_GTPU ? p.inner().key() : p.outer().key());
        }
        w.run();
        long acc = 0;
        for (int k = 0, keys = w.count(); k < keys; k++) {
            CompiledSession s = w.session(k);
            if (s != null && s.urrCount() > 0) {
                acc += store.touch(control.recordOfSlotForWarming(s.urrSlotAt(0)));
            }
        }
        return acc;
    }

    @Override
    public int resolve(PacketVector<ChargingCounter> vector, int i, int[] recordsOut) {
        ParsedPacket p = vector.packet(i);
        FlowKey key = p.tunnelType() == ParsedPacket.TUNNEL_GTPU ? p.inner().key() : p.outer().key();
        int direction = UPLINK;
        CompiledSession s;
        if (key.ipVersion() == 4) {
            s = table.findUeV4(key.srcIpv4());
            if (s == null) {
                s = table.findUeV4(key.dstIpv4());
                direction = DOWNLINK;
            }
        } else if (key.ipVersion() == 6) {
            s = table.findUeV6(key.srcHi(), key.srcLo());
            if (s == null) {
                s = table.findUeV6(key.dstHi(), key.dstLo());
                direction = DOWNLINK;
            }
        } else {
            return UrrResolver.drop(ChargingCounter.SESSION_UNKNOWN);
        }
        if (s == null) {
            return UrrResolver.drop(ChargingCounter.SESSION_UNKNOWN);
        }
        int h = s.matchPdr(direction == UPLINK ? SessionModel.ACCESS : SessionModel.CORE, CompiledSession.NO_TEID,
                CompiledSession.NO_QFI, key);
        if (h < 0) {
            return UrrResolver.drop(ChargingCounter.SESSION_NO_PDR);
        }
        int count = s.urrSlotCount(h);
        if (count > recordsOut.length) {
            return UrrResolver.drop(ChargingCounter.CHARGING_TOO_MANY_URRS);
        }
        for (int k = 0; k < count; k++) {
            int record = control.recordOfSlot(s.urrSlot(h, k));
            if (record < 0) {
                return UrrResolver.drop(ChargingCounter.CHARGING_URR_UNMAPPED);
            }
            recordsOut[k] = record;
        }
        return UrrResolver.records(count, direction);
    }
}
