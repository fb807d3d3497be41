package io.nfchain.core.os;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class PollSetTest {
    @Test
    void reportsReadinessPerEntry() {
        try (PollSet pollSet = new PollSet(2);
                EventFd quiet = EventFd.create(0, EventFd.EFD_NONBLOCK);
                EventFd signalled = EventFd.create(0, EventFd.EFD_NONBLOCK)) {
            int quietIndex = pollSet.add(quiet.fd(), PollSet.POLLIN);
            int signalledIndex = pollSet.add(signalled.fd(), PollSet.POLLIN);
            assertEquals(0, pollSet.await(0));

            signalled.write(1);
            assertEquals(1, pollSet.await(1000));
            assertEquals(0, pollSet.readyEvents(quietIndex));
            assertEquals(PollSet.POLLIN, pollSet.readyEvents(signalledIndex));
            assertEquals(signalled.fd(), pollSet.fd(signalledIndex));

            signalled.read();
            assertEquals(0, pollSet.await(0));
            assertEquals(0, pollSet.readyEvents(signalledIndex), "results of an earlier call do not linger");
        }
    }

    @Test
    void timesOut() {
        try (PollSet pollSet = new PollSet(1); EventFd quiet = EventFd.create(0, EventFd.EFD_NONBLOCK)) {
            pollSet.add(quiet.fd(), PollSet.POLLIN);
            long start = System.nanoTime();
            assertEquals(0, pollSet.await(20));
            assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) >= 19);
        }
    }

    @Test
    void aDescriptorThatIsNotOpenIsPollnval() {
        try (PollSet pollSet = new PollSet(1)) {
            pollSet.add(1 << 30, PollSet.POLLIN);
            assertEquals(1, pollSet.await(0));
            assertEquals(PollSet.POLLNVAL, pollSet.readyEvents(0));
        }
    }

    @Test
    void capacityIsEnforcedAndClearEmpties() {
        try (PollSet pollSet = new PollSet(1)) {
            pollSet.add(0, PollSet.POLLIN);
            assertThrows(IllegalStateException.class, () -> pollSet.add(1, PollSet.POLLIN));
            pollSet.clear();
            assertEquals(0, pollSet.size());
            assertThrows(IndexOutOfBoundsException.class, () -> pollSet.readyEvents(0));
        }
    }
}
