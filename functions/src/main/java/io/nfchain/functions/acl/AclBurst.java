package io.nfchain.functions.acl;

/**
 * The packets of one burst as the classifier sees them, and its per-packet results. Mutable and
 * reused: one per worker thread, never shared.
 *
 * <p>Classifying a burst at once ({@link AclClassifier#classify(AclBurst)}) walks every packet's
 * tree one level at a time, so the cache misses of different packets overlap instead of being
 * paid one after the other: the same reason DPDK's ACL and LPM libraries look up several packets
 * together.
 */
public final class AclBurst {
    private final AclKey[] keys;
    final int[] results;
    // Scratch for the level-by-level walk: which packet, and where in its tree it is.
    final int[] walking;
    final int[] refs;
    private int size;

    /** A burst of at most {@code capacity} packets. */
    public AclBurst(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity " + capacity + " is below 1");
        }
        keys = new AclKey[capacity];
        for (int i = 0; i < capacity; i++) {
            keys[i] = new AclKey();
        }
        results = new int[capacity];
        walking = new int[capacity];
        refs = new int[capacity];
    }

    /** Empties the burst. */
    public void clear() {
        size = 0;
    }

    /** The key of the next packet, to be filled; the burst must not be full. */
    public AclKey add() {
        return keys[size++];
    }

    public AclKey key(int i) {
        return keys[i];
    }

    AclKey[] keys() {
        return keys;
    }

    public int size() {
        return size;
    }

    public int capacity() {
        return keys.length;
    }

    /** Packet {@code i}'s first terminal rule after {@link AclClassifier#classify(AclBurst)}, or {@link AclClassifier#NO_MATCH}. */
    public int result(int i) {
        return results[i];
    }
}
