package io.nfchain.core.runtime;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class EventFdWakeupSourceTest {
    private static final long MS = 1_000_000;
    private final AtomicBoolean pending = new AtomicBoolean();

    @Test
    void armReportsWorkAlreadyPending() {
        try (EventFdWakeupSource source = new EventFdWakeupSource(pending::get)) {
            assertFalse(source.arm());
            pending.set(true);
            assertTrue(source.arm());
        }
    }

    @Test
    void producersSignalOnlyAnArmedConsumer() {
        try (EventFdWakeupSource source = new EventFdWakeupSource(pending::get)) {
            source.signalIfArmed();
            assertFalse(source.await(1 * MS), "not armed: no signal, the wait times out");

            source.arm();
            assertTrue(source.isArmed());
            source.signalIfArmed();
            assertTrue(source.await(1 * MS));
            assertFalse(source.await(1 * MS), "the signal was consumed");
            source.disarm();
            assertFalse(source.isArmed());
        }
    }

    @Test
    void wakeEndsAWaitOnAnotherThreadArmedOrNot() throws Exception {
        try (EventFdWakeupSource source = new EventFdWakeupSource(pending::get)) {
            AtomicBoolean woken = new AtomicBoolean();
            Thread waiter = Thread.ofPlatform().start(() -> woken.set(source.await(30_000 * MS)));
            // Whether wake comes before or during the wait, the wait ends: the eventfd keeps the signal.
            source.wake();
            waiter.join(5_000);
            assertFalse(waiter.isAlive(), "the 30 s wait ended");
            assertTrue(woken.get());
        }
    }
}
