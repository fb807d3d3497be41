package io.nfchain.functions.session;

/**
 * Not thread-safe: the table's writer owns it. SEID to session slot, open addressing with linear
 * probing and backward-shift deletion (no tombstones), 12 bytes a cell at most half full.
 */
final class SeidMap {
    private long[] keys = new long[1024];
    private int[] slots = new int[1024];
    private int size;

    int get(long seid) {
        int mask = keys.length - 1;
        for (int i = hash(seid) & mask; ; i = (i + 1) & mask) {
            if (keys[i] == 0) {
                return -1;
            }
            if (keys[i] == seid) {
                return slots[i];
            }
        }
    }

    /** @param seid nonzero (0 marks empty cells) */
    void put(long seid, int slot) {
        if ((size + 1) * 2L > keys.length) {
            grow();
        }
        int mask = keys.length - 1;
        int i = hash(seid) & mask;
        while (keys[i] != 0 && keys[i] != seid) {
            i = (i + 1) & mask;
        }
        if (keys[i] == 0) {
            size++;
        }
        keys[i] = seid;
        slots[i] = slot;
    }

    void remove(long seid) {
        int mask = keys.length - 1;
        int i = hash(seid) & mask;
        while (keys[i] != seid) {
            if (keys[i] == 0) {
                return;
            }
            i = (i + 1) & mask;
        }
        size--;
        // Shift later entries of the probe run back so no lookup stops early at the hole.
        for (int j = (i + 1) & mask; keys[j] != 0; j = (j + 1) & mask) {
            int home = hash(keys[j]) & mask;
            boolean movable = i <= j ? home <= i || home > j : home <= i && home > j;
            if (movable) {
                keys[i] = keys[j];
                slots[i] = slots[j];
                i = j;
            }
        }
        keys[i] = 0;
    }

    int size() {
        return size;
    }

    long sizeBytes() {
        return 32 + 12L * keys.length;
    }

    private void grow() {
        long[] oldKeys = keys;
        int[] oldSlots = slots;
        keys = new long[oldKeys.length * 2];
        slots = new int[oldKeys.length * 2];
        size = 0;
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldKeys[i] != 0) {
                put(oldKeys[i], oldSlots[i]);
            }
        }
    }

    private static int hash(long seid) {
        long h = seid * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 29));
    }
}
