package io.nfchain.functions.qos;

import io.nfchain.functions.session.CompiledSession;
import io.nfchain.functions.session.SessionListener;
import io.nfchain.functions.session.SessionModel;
import io.nfchain.functions.session.SessionModel.QerRule;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * One writer (the session table's, through {@link SessionListener}) and one reader (the worker,
 * through {@link #sync} and the accessors). The QoS state of every QER slot: what the control
 * plane asked for (gates, MBR, GBR, per direction) and the two policers the worker meters with
 * (slot {@code 2 * qerSlot + direction}, see {@link #policer}).
 *
 * <p>The listener writes a QER's parameters into flat arrays under a per-slot sequence number
 * (odd while writing) before the table publishes the session that names the slot, so a worker
 * that finds the session sees them. The worker compares the sequence with the one it applied
 * last; when it moved it copies the parameters (retrying on a later packet if a write is under
 * way) and sets the policers up: from full buckets when the slot is fresh (a new rule: the
 * epoch moved), keeping their tokens when a replace kept the rule. Nothing the worker does
 * allocates, locks or throws.
 *
 * <p>Per QER and direction: an MBR makes a trTCM with PIR = MBR and CIR = the GBR (0 without
 * one); a GBR alone a trTCM whose peak is unlimited (green within the GBR, never red); neither,
 * no policer. Rates above {@link Policers#MAX_RATE_BPS} are enforced as that rate.
 */
final class QerStates implements SessionListener {
    private static final VarHandle SEQ = MethodHandles.arrayElementVarHandle(int[].class);
    private static final int STRIDE = 5;
    /** Bits of the worker's per-slot word. */
    static final int GATE_CLOSED_UPLINK = 1;
    static final int GATE_CLOSED_DOWNLINK = 2;
    static final int GBR_UPLINK = 4;
    static final int GBR_DOWNLINK = 8;

    private final QosBursts bursts;
    // Writer side.
    private final int[] sequence;
    /** Per slot: 0 epoch << 2 | gate bits, 1 MBR up, 2 MBR down, 3 GBR up, 4 GBR down (bit/s). */
    private final long[] params;
    private final int[] epochs;
    // Reader side.
    private final int[] appliedSequence;
    private final int[] appliedEpoch;
    private final int[] bits;
    private final Policers policers;

    /** @param qerSlots the session table's QER slot capacity */
    QerStates(int qerSlots, QosBursts bursts) {
        this.bursts = bursts;
        this.sequence = new int[qerSlots];
        this.params = new long[qerSlots * STRIDE];
        this.epochs = new int[qerSlots];
        this.appliedSequence = new int[qerSlots];
        this.appliedEpoch = new int[qerSlots];
        this.bits = new int[qerSlots];
        this.policers = new Policers(Math.max(1, 2 * qerSlots));
    }

    // ---- writer (the table's listener, on the control thread) ----

    @Override
    public void created(SessionModel model, CompiledSession session) {
        for (int i = 0; i < session.qerCount(); i++) {
            write(session.qerSlotAt(i), model.qers().get(i), true);
        }
    }

    @Override
    public void replaced(CompiledSession before, SessionModel model, CompiledSession after) {
        for (int i = 0; i < after.qerCount(); i++) {
            int slot = after.qerSlotAt(i);
            write(slot, model.qers().get(i), !holds(before, slot));
        }
    }

    private static boolean holds(CompiledSession s, int qerSlot) {
        for (int i = 0; i < s.qerCount(); i++) {
            if (s.qerSlotAt(i) == qerSlot) {
                return true;
            }
        }
        return false;
    }

    private void write(int slot, QerRule q, boolean fresh) {
        int seq = sequence[slot];
        SEQ.setOpaque(sequence, slot, seq + 1);
        VarHandle.storeStoreFence();
        if (fresh) {
            epochs[slot]++;
        }
        int at = slot * STRIDE;
        params[at] = (long) epochs[slot] << 2 | (q.uplinkOpen() ? 0 : GATE_CLOSED_UPLINK)
                | (q.downlinkOpen() ? 0 : GATE_CLOSED_DOWNLINK);
        params[at + 1] = q.mbrUplinkBps();
        params[at + 2] = q.mbrDownlinkBps();
        params[at + 3] = q.gbrUplinkBps();
        params[at + 4] = q.gbrDownlinkBps();
        SEQ.setRelease(sequence, slot, seq + 2);
    }

    // ---- reader (the worker) ----

    /** The policers; a QER's are {@link #policer}. */
    Policers policers() {
        return policers;
    }

    /** The policer of {@code qerSlot} for a direction: 0 uplink, 1 downlink. */
    static int policer(int qerSlot, int direction) {
        return 2 * qerSlot + direction;
    }

    /**
     * Loads what {@link #sync} and the two policers of {@code qerSlot} will read, to warm the cache
     * before a burst ({@link io.nfchain.functions.session.SessionWarmer}); the value means nothing.
     */
    long warm(int qerSlot) {
        if (qerSlot < 0 || qerSlot >= bits.length) {
            return 0;
        }
        return sequence[qerSlot] + appliedSequence[qerSlot] + bits[qerSlot] + policers.touch(policer(qerSlot, 0))
                + policers.touch(policer(qerSlot, 1));
    }

    /** The worker's view of {@code qerSlot} ({@link #GATE_CLOSED_UPLINK}, ...), brought up to date first. */
    int sync(int qerSlot) {
        int seq = (int) SEQ.getAcquire(sequence, qerSlot);
        if (seq != appliedSequence[qerSlot] && (seq & 1) == 0) {
            apply(qerSlot, seq);
        }
        return bits[qerSlot];
    }

    private void apply(int slot, int seq) {
        int at = slot * STRIDE;
        long head = params[at];
        long mbrUp = params[at + 1];
        long mbrDown = params[at + 2];
        long gbrUp = params[at + 3];
        long gbrDown = params[at + 4];
        VarHandle.loadLoadFence();
        if ((int) SEQ.getOpaque(sequence, slot) != seq) {
            return; // rewritten meanwhile: the next packet tries again
        }
        int epoch = (int) (head >>> 2);
        boolean fresh = epoch != appliedEpoch[slot];
        configure(policer(slot, 0), mbrUp, gbrUp, fresh);
        configure(policer(slot, 1), mbrDown, gbrDown, fresh);
        bits[slot] = (int) (head & 3) | (gbrUp > 0 ? GBR_UPLINK : 0) | (gbrDown > 0 ? GBR_DOWNLINK : 0);
        appliedEpoch[slot] = epoch;
        appliedSequence[slot] = seq;
    }

    private void configure(int policer, long mbrBps, long gbrBps, boolean fresh) {
        if (mbrBps <= 0 && gbrBps <= 0) {
            policers.clear(policer);
            return;
        }
        long pir = mbrBps > 0 ? Math.min(mbrBps, Policers.MAX_RATE_BPS) : Policers.UNLIMITED;
        long cir = Math.min(Math.min(gbrBps, Policers.MAX_RATE_BPS), pir);
        long pbs = pir == Policers.UNLIMITED ? 1 : bursts.bytes(pir);
        long cbs = cir == 0 ? 0 : bursts.bytes(cir);
        if (fresh) {
            policers.configureTrTcm(policer, cir, cbs, pir, pbs, false);
        } else {
            policers.reconfigureTrTcm(policer, cir, cbs, pir, pbs, false);
        }
    }
}
