package io.nfchain.controller;

import java.util.ArrayDeque;
import java.util.List;

/**
 * Thread-safe. The last {@value #CAPACITY} rollout steps the controller carried out, in order
 * ({@code pod-created ns/name}, {@code hop-switched node chain#1 old -> new},
 * {@code pod-deleted ns/name}, ...): what a make-before-break test observes and an operator reads
 * in the log.
 */
public final class RolloutJournal {
    public static final int CAPACITY = 4096;
    private final ArrayDeque<String> entries = new ArrayDeque<>();

    public synchronized void record(String entry) {
        if (entries.size() == CAPACITY) {
            entries.removeFirst();
        }
        entries.addLast(entry);
    }

    public synchronized List<String> entries() {
        return List.copyOf(entries);
    }
}
