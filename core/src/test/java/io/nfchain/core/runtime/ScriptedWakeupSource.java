package io.nfchain.core.runtime;

import java.util.ArrayList;
import java.util.List;

/** A wake-up source whose answers a test scripts, recording each call in order. */
final class ScriptedWakeupSource implements WakeupSource {
    final List<String> calls = new ArrayList<>();
    boolean pendingOnArm;
    boolean signalOnAwait;
    ManualClock clock;
    long awaitTakesNs;
    int wakes;

    @Override
    public boolean arm() {
        calls.add("arm");
        return pendingOnArm;
    }

    @Override
    public boolean await(long timeoutNs) {
        calls.add("await " + timeoutNs);
        if (clock != null) {
            clock.advance(signalOnAwait ? awaitTakesNs : timeoutNs);
        }
        return signalOnAwait;
    }

    @Override
    public void disarm() {
        calls.add("disarm");
    }

    @Override
    public void wake() {
        wakes++;
    }
}
