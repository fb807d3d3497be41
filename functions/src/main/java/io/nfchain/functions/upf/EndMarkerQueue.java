package io.nfchain.functions.upf;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * One producer (the control thread, under the session control's lock), one consumer (the worker).
 * End markers to send after a handover: the old peer, port and TEID. A bounded ring whose tail is
 * published with a release store after the entry is written; {@link #offer} refuses when full.
 */
final class EndMarkerQueue {
    private static final VarHandle HEAD;
    private static final VarHandle TAIL;

    static {
        try {
            HEAD = MethodHandles.lookup().findVarHandle(EndMarkerQueue.class, "head", long.class);
            TAIL = MethodHandles.lookup().findVarHandle(EndMarkerQueue.class, "tail", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final boolean[] ipv6;
    private final long[] hi;
    private final long[] lo;
    private final int[] port;
    private final int[] teid;
    private final int mask;
    @SuppressWarnings("unused")
    private long head;
    @SuppressWarnings("unused")
    private long tail;

    /** @param capacity a power of two */
    EndMarkerQueue(int capacity) {
        if (Integer.bitCount(capacity) != 1) {
            throw new IllegalArgumentException("capacity must be a power of two: " + capacity);
        }
        ipv6 = new boolean[capacity];
        hi = new long[capacity];
        lo = new long[capacity];
        port = new int[capacity];
        teid = new int[capacity];
        mask = capacity - 1;
    }

    /** Producer. False when full. */
    boolean offer(boolean peerIpv6, long peerHi, long peerLo, int peerPort, int peerTeid) {
        long t = (long) TAIL.getOpaque(this);
        if (t - (long) HEAD.getAcquire(this) > mask) {
            return false;
        }
        int i = (int) t & mask;
        ipv6[i] = peerIpv6;
        hi[i] = peerHi;
        lo[i] = peerLo;
        port[i] = peerPort;
        teid[i] = peerTeid;
        TAIL.setRelease(this, t + 1);
        return true;
    }

    /** Consumer: entries waiting. */
    int size() {
        return (int) ((long) TAIL.getAcquire(this) - (long) HEAD.getOpaque(this));
    }

    /** Consumer: copies the oldest entry into {@code peer} and returns its TEID; {@link #size()} must be nonzero. */
    int peek(GtpuFrames.Peer peer) {
        int i = (int) (long) HEAD.getOpaque(this) & mask;
        peer.ipv6 = ipv6[i];
        peer.hi = hi[i];
        peer.lo = lo[i];
        peer.port = port[i];
        return teid[i];
    }

    /** Consumer: drops the oldest entry. */
    void poll() {
        HEAD.setRelease(this, (long) HEAD.getOpaque(this) + 1);
    }
}
