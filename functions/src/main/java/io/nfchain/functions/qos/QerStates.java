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
    /**
     * Per slot in {@code sync}, 16 bytes: 0 the writer's
     * sequence, 1 the sequence the worker applied, 2 the worker's bits, 3 the epoch it applied.
     * One line holds all a packet reads of its QER besides the policer.
     */
    private static final int SYNC = 4;
    private static final int S_SEQUENCE = 0;
    private static final int S_APPLIED = 1;
    private static final int S_BITS = 2;
    private static final int S_EPOCH = 3;
    /** Bits of the worker's per-slot word. */
    static final int GATE_CLOSED_UPLINK = 1;
    static final int GATE_CLOSED_DOWNLINK = 2;
    static final int GBR_UPLINK = 4;
    static final int GBR_DOWNLINK = 8;
    /** The direction has a policer (an MBR or a GBR); without one a packet is green and takes nothing. */
    static final int POLICED_UPLINK = 16;
    static final int POLICED_DOWNLINK = 32;

    private final QosBursts bursts;
    /** Both sides: see {@link #SYNC}. */
    private final int[] sync;
    // Writer side.
    /** Per slot: 0 epoch << 2 | gate bits, 1 MBR up, 2 MBR down, 3 GBR up, 4 GBR down (bit/s). */
    private final long[] params;
    private final int[] epochs;
    private final int slots;
    // Reader side.
    private final Policers policers;

    /** @param qerSlots the session table's QER slot capacity */
    QerStates(int qerSlots, QosBursts bursts) {
        this.bursts = bursts;
        this.slots = qerSlots;
        this.sync = new int[qerSlots * SYNC];
        this.params = new long[qerSlots * STRIDE];
        this.epochs = new int[qerSlots];
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
        int seq = sync[slot * SYNC + S_SEQUENCE];
        SEQ.setOpaque(sync, slot * SYNC + S_SEQUENCE, seq + 1);
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
        SEQ.setRelease(sync, slot * SYNC + S_SEQUENCE, seq + 2);
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
        if (qerSlot < 0 || qerSlot >= slots) {
            return 0;
        }
        int at = qerSlot * SYNC;
        int b = sync[at + S_BITS];
        // A policer's line only when it has one: a QER without rates never reads it.
        return sync[at + S_SEQUENCE] + b + ((b & POLICED_UPLINK) != 0 ? policers.touch(policer(qerSlot, 0)) : 0)
                + ((b & POLICED_DOWNLINK) != 0 ? policers.touch(policer(qerSlot, 1)) : 0);
    }

    /** The worker's view of {@code qerSlot} ({@link #GATE_CLOSED_UPLINK}, ...), brought up to date first. */
    int sync(int qerSlot) {
        int at = qerSlot * SYNC;
        int seq = (int) SEQ.getAcquire(sync, at + S_SEQUENCE);
        if (seq != sync[at + S_APPLIED] && (seq & 1) == 0) {
            apply(qerSlot, seq);
        }
        return sync[at + S_BITS];
    }

    /** The worker's view of {@code qerSlot} as the last {@link #sync} left it. */
    int bits(int qerSlot) {
        return sync[qerSlot * SYNC + S_BITS];
    }

    private void apply(int slot, int seq) {
        int at = slot * STRIDE;
        long head = params[at];
        long mbrUp = params[at + 1];
        long mbrDown = params[at + 2];
        long gbrUp = params[at + 3];
        long gbrDown = params[at + 4];
        VarHandle.loadLoadFence();
        if ((int) SEQ.getOpaque(sync, slot * SYNC + S_SEQUENCE) != seq) {
            return; // rewritten meanwhile: the next packet tries again
        }
        int epoch = (int) (head >>> 2);
        int s = slot * SYNC;
        boolean fresh = epoch != sync[s + S_EPOCH];
        configure(policer(slot, 0), mbrUp, gbrUp, fresh);
        configure(policer(slot, 1), mbrDown, gbrDown, fresh);
        sync[s + S_BITS] = (int) (head & 3) | (gbrUp > 0 ? GBR_UPLINK : 0) | (gbrDown > 0 ? GBR_DOWNLINK : 0)
                | (mbrUp > 0 || gbrUp > 0 ? POLICED_UPLINK : 0) | (mbrDown > 0 || gbrDown > 0 ? POLICED_DOWNLINK : 0);
        sync[s + S_EPOCH] = epoch;
        sync[s + S_APPLIED] = seq;
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
