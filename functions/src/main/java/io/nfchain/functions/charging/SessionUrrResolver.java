package io.nfchain.functions.charging;

import io.nfchain.core.memif.PacketBurst;
import io.nfchain.core.packet.ParsedPacket;
import io.nfchain.functions.session.CompiledSession;
import io.nfchain.functions.session.SessionAnswers;
import io.nfchain.functions.session.SessionMatch;
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
    /** Keys a burst warms at most: two per packet (source and destination) of a 256-packet burst. */
    private static final int WARM_KEYS = 512;
    private final ChargingControl control;
    private final SessionWarmer warmer;
    private final SessionMatch match;
    /** The first stage's answers when charging shares its sessions in a pipeline, else null. */
    private final SessionAnswers answers;
    private final int[] warmRecords = new int[2 * WARM_KEYS + PacketBurst.MAX_CAPACITY];

    SessionUrrResolver(SessionTable table, ChargingControl control) {
        this(table, control, null);
    }

    /** @param answers the first stage's answers when charging shares {@code table} in a pipeline, else null */
    SessionUrrResolver(SessionTable table, ChargingControl control, SessionAnswers answers) {
        this.control = control;
        this.warmer = new SessionWarmer(table, WARM_KEYS);
        this.match = new SessionMatch(table);
        this.answers = answers;
    }

    /** The keys {@link #resolve} looks up, then each session's first URR's record ({@link SessionWarmer}). */
    @Override
    public long warm(PacketVector<ChargingCounter> vector, UsageStore store) {
        SessionWarmer w = warmer;
        w.clear();
        SessionAnswers a = answers;
        int[] r = warmRecords;
        int m = 0;
        for (int i = 0, n = vector.count(); i < n; i++) {
            ParsedPacket p = vector.packet(i);
            if (!p.isWellFormed()) {
                continue;
            }
            SessionMatch answer = a == null ? null : a.answer(vector.position(i));
            if (answer != null) {
                if (answer.urrSlotCount() > 0) {
                    r[m++] = control.recordOfSlotForWarming(answer.urrSlot(0));
                }
                continue;
            }
            w.ueSourceOrDestination(p.tunnelType() == ParsedPacket.TUNNEL_GTPU ? p.inner().key() : p.outer().key());
        }
        w.run();
        long acc = 0;
        // In two stages, as the warmer's: every key's slot -> record entry, then every record.
        for (int k = 0, keys = w.count(); k < keys; k++) {
            int first = w.urrSlot(k, 0);
            int second = w.urrSlot(k, 1);
            r[m++] = control.recordOfSlotForWarming(first);
            if (second != first) {
                r[m++] = control.recordOfSlotForWarming(second);
            }
        }
        for (int j = 0; j < m; j++) {
            acc += store.touch(r[j]);
        }
        return acc;
    }

    @Override
    public int resolve(PacketVector<ChargingCounter> vector, int i, int[] recordsOut) {
        SessionMatch s = answers == null ? null : answers.answer(vector.position(i));
        int result = SessionMatch.MATCHED;
        if (s == null) {
            ParsedPacket p = vector.packet(i);
            s = match;
            result = s.ue(p.tunnelType() == ParsedPacket.TUNNEL_GTPU ? p.inner().key() : p.outer().key(),
                    CompiledSession.NO_TEID, CompiledSession.NO_QFI);
        }
        if (result != SessionMatch.MATCHED) {
            return UrrResolver.drop(result == SessionMatch.NO_PDR ? ChargingCounter.SESSION_NO_PDR
                    : ChargingCounter.SESSION_UNKNOWN);
        }
        int direction = s.uplink() ? UPLINK : DOWNLINK;
        int count = s.urrSlotCount();
        if (count > recordsOut.length) {
            return UrrResolver.drop(ChargingCounter.CHARGING_TOO_MANY_URRS);
        }
        for (int k = 0; k < count; k++) {
            int record = control.recordOfSlot(s.urrSlot(k));
            if (record < 0) {
                return UrrResolver.drop(ChargingCounter.CHARGING_URR_UNMAPPED);
            }
            recordsOut[k] = record;
        }
        return UrrResolver.records(count, direction);
    }
}
