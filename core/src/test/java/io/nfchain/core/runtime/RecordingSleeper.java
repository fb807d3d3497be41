package io.nfchain.core.runtime;

import java.util.ArrayList;
import java.util.List;

/** Records every park and yield; a park moves the manual clock by its duration, as a real sleep would. */
final class RecordingSleeper implements Sleeper {
    private final ManualClock clock;
    final List<Long> parksNs = new ArrayList<>();
    int yields;
    /** How much longer than asked each park lasts, as a loaded kernel makes it. */
    long oversleepNs;

    RecordingSleeper(ManualClock clock) {
        this.clock = clock;
    }

    @Override
    public void parkNanos(long durationNs) {
        parksNs.add(durationNs);
        clock.advance(durationNs + oversleepNs);
    }

    @Override
    public void yieldThread() {
        yields++;
    }

    /** The parks since the last call, then forgets them. */
    List<Long> takeParks() {
        List<Long> parks = List.copyOf(parksNs);
        parksNs.clear();
        return parks;
    }
}
