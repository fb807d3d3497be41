package io.nfchain.core.os;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class EventFdTest {
    @Test
    void readReturnsTheSumOfWritesAndResetsTheCounter() {
        try (EventFd eventFd = EventFd.create(0, EventFd.EFD_NONBLOCK)) {
            assertTrue(eventFd.write(3));
            assertTrue(eventFd.write(4));
            assertEquals(7, eventFd.read());
            assertEquals(0, eventFd.read(), "counter was reset: nothing there");
        }
    }

    @Test
    void emptyNonBlockingReadIsZeroNotAnException() {
        try (EventFd eventFd = EventFd.create(0, EventFd.EFD_NONBLOCK)) {
            assertTrue(FileDescriptors.isNonBlocking(eventFd.fd()));
            assertEquals(0, eventFd.read());
        }
    }

    @Test
    void initialValueIsReadable() {
        try (EventFd eventFd = EventFd.create(5, EventFd.EFD_NONBLOCK)) {
            assertEquals(5, eventFd.read());
        }
    }

    @Test
    void semaphoreModeHandsOutOneAtATime() {
        try (EventFd eventFd = EventFd.create(0, EventFd.EFD_NONBLOCK | EventFd.EFD_SEMAPHORE)) {
            eventFd.write(2);
            assertEquals(1, eventFd.read());
            assertEquals(1, eventFd.read());
            assertEquals(0, eventFd.read());
        }
    }

    @Test
    void blockingReadWakesWhenAnotherThreadWrites() throws Exception {
        try (EventFd eventFd = EventFd.create(0, 0)) {
            assertFalse(FileDescriptors.isNonBlocking(eventFd.fd()));
            CompletableFuture<Long> reader = CompletableFuture.supplyAsync(eventFd::read, Thread::startVirtualThread);
            eventFd.write(9);
            assertEquals(9L, reader.get(10, TimeUnit.SECONDS));
        }
    }

    @Test
    void counterIsUnsigned64BitAndAFullCounterRefusesMore() {
        try (EventFd eventFd = EventFd.create(0, EventFd.EFD_NONBLOCK)) {
            assertTrue(eventFd.write(0xffff_ffff_ffff_fffeL));
            assertFalse(eventFd.write(1), "non-blocking write that would overflow is refused, not thrown");
            assertEquals(0xffff_ffff_ffff_fffeL, eventFd.read());
        }
    }

    @Test
    void minusOneIsNotAValidIncrement() {
        try (EventFd eventFd = EventFd.create(0, EventFd.EFD_NONBLOCK)) {
            NativeCallException e = assertThrows(NativeCallException.class, () -> eventFd.write(-1));
            assertEquals("write: EINVAL", e.getMessage());
        }
    }

    @Test
    void closeIsIdempotentAndFreesTheBuffers() {
        EventFd eventFd = EventFd.create(0, EventFd.EFD_NONBLOCK);
        eventFd.close();
        eventFd.close();
        assertThrows(IllegalStateException.class, eventFd::read, "a closed EventFd must not touch freed memory");
    }
}
