package io.nfchain.core.os;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class EpollTest {
    @Test
    void timesOutWithNothingReady() {
        try (Epoll epoll = Epoll.create(4); EventFd eventFd = EventFd.create(0, EventFd.EFD_NONBLOCK)) {
            epoll.add(eventFd.fd(), Epoll.EPOLLIN, 1);
            long start = System.nanoTime();
            assertEquals(0, epoll.await(20));
            long waitedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(waitedMs >= 19, "epoll_wait returned after " + waitedMs + " ms, before its timeout");
            assertEquals(0, epoll.await(0));
        }
    }

    @Test
    void reportsAReadyEventFdWithItsData() {
        try (Epoll epoll = Epoll.create(4); EventFd eventFd = EventFd.create(0, EventFd.EFD_NONBLOCK)) {
            epoll.add(eventFd.fd(), Epoll.EPOLLIN, 0x1_0000_0042L);
            eventFd.write(1);
            assertEquals(1, epoll.await(1000));
            assertEquals(Epoll.EPOLLIN, epoll.readyEvents(0));
            assertEquals(0x1_0000_0042L, epoll.readyData(0), "all 64 bits of data survive the packed struct");

            assertEquals(1, epoll.await(0), "level-triggered: still ready until read");
            eventFd.read();
            assertEquals(0, epoll.await(0));
        }
    }

    @Test
    void wakesABlockedWaiterWhenAnotherThreadSignals() throws Exception {
        try (Epoll epoll = Epoll.create(1); EventFd eventFd = EventFd.create(0, EventFd.EFD_NONBLOCK)) {
            epoll.add(eventFd.fd(), Epoll.EPOLLIN, 7);
            CompletableFuture<Integer> waiter = CompletableFuture.supplyAsync(() -> epoll.await(10_000),
                    r -> Thread.ofPlatform().start(r));
            eventFd.write(1);
            assertEquals(1, waiter.get(10, TimeUnit.SECONDS));
            assertEquals(7, epoll.readyData(0));
        }
    }

    @Test
    void modifyAndDeleteChangeWhatIsReported() {
        try (Epoll epoll = Epoll.create(4); EventFd eventFd = EventFd.create(0, EventFd.EFD_NONBLOCK)) {
            epoll.add(eventFd.fd(), Epoll.EPOLLIN, 1);
            assertEquals(0, epoll.await(0));
            epoll.modify(eventFd.fd(), Epoll.EPOLLOUT, 2);
            assertEquals(1, epoll.await(0), "an eventfd below its maximum is writable");
            assertEquals(Epoll.EPOLLOUT, epoll.readyEvents(0));
            assertEquals(2, epoll.readyData(0));
            epoll.delete(eventFd.fd());
            assertEquals(0, epoll.await(0));
        }
    }

    @Test
    void reportsAtMostMaxEvents() {
        try (Epoll epoll = Epoll.create(1);
                EventFd first = EventFd.create(1, EventFd.EFD_NONBLOCK);
                EventFd second = EventFd.create(1, EventFd.EFD_NONBLOCK)) {
            epoll.add(first.fd(), Epoll.EPOLLIN, 1);
            epoll.add(second.fd(), Epoll.EPOLLIN, 2);
            assertEquals(1, epoll.await(0));
            assertThrows(IndexOutOfBoundsException.class, () -> epoll.readyData(1));
        }
    }

    @Test
    void controlErrorsNameEpollCtlAndTheErrno() {
        try (Epoll epoll = Epoll.create(4); EventFd eventFd = EventFd.create(0, EventFd.EFD_NONBLOCK)) {
            epoll.add(eventFd.fd(), Epoll.EPOLLIN, 1);
            NativeCallException twice = assertThrows(NativeCallException.class,
                    () -> epoll.add(eventFd.fd(), Epoll.EPOLLIN, 1));
            assertEquals("epoll_ctl: EEXIST (fd " + eventFd.fd() + ")", twice.getMessage());
            epoll.delete(eventFd.fd());
            NativeCallException notWatched = assertThrows(NativeCallException.class,
                    () -> epoll.modify(eventFd.fd(), Epoll.EPOLLIN, 1));
            assertEquals(Errno.ENOENT, notWatched.errno());
        }
    }
}
