package io.nfchain.core.os;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.management.ThreadMXBean;
import io.nfchain.core.testing.HostTools;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.management.ManagementFactory;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

/**
 * The calls a poll loop makes on every turn must not allocate (DESIGN.md 3.2), measured with
 * the JVM's per-thread allocation counter.
 *
 * <p>Only compiled code reaches zero: interpreted and C1-compiled downcalls allocate about 40
 * bytes each. So the test runs batches until one allocates nothing, and fails if C2 never
 * gets there; the exact numbers a benchmark asserts live in bench/.
 */
class HotPathAllocationTest {
    private static final int ROUNDS_PER_BATCH = 10_000;
    /** Enough for C2 on a loaded 2-core machine; a steady allocation never reaches zero anyway. */
    private static final int MAX_BATCHES = 200;

    private final ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();

    @Test
    void eventFdEpollAndPollDoNotAllocate() {
        assumeTrue(threads.isThreadAllocatedMemorySupported(), "skipped: no per-thread allocation counter");
        try (EventFd eventFd = EventFd.create(0, EventFd.EFD_NONBLOCK);
                Epoll epoll = Epoll.create(4);
                PollSet pollSet = new PollSet(1)) {
            epoll.add(eventFd.fd(), Epoll.EPOLLIN, 1);
            pollSet.add(eventFd.fd(), PollSet.POLLIN);
            Runnable round = () -> {
                eventFd.write(1);
                epoll.await(0);
                epoll.readyData(0);
                pollSet.await(0);
                pollSet.readyEvents(0);
                eventFd.read();
                eventFd.read(); // empty: EAGAIN must not allocate either
            };
            assertEquals(0, fewestBytesAllocatedByABatch(round), "bytes allocated by " + ROUNDS_PER_BATCH + " rounds");
        }
    }

    @Test
    void seqpacketSendAndReceiveDoNotAllocate() {
        assumeTrue(threads.isThreadAllocatedMemorySupported(), "skipped: no per-thread allocation counter");
        UnixSeqpacketSocket[] pair = UnixSeqpacketSocket.pair();
        try (Arena arena = Arena.ofConfined(); UnixSeqpacketSocket a = pair[0]; UnixSeqpacketSocket b = pair[1]) {
            b.setNonBlocking(true);
            MemorySegment message = arena.allocate(128);
            MemorySegment received = arena.allocate(128);
            Runnable round = () -> {
                a.send(message);
                b.receive(received);
                b.receive(received); // empty: EAGAIN must not allocate either
            };
            assertEquals(0, fewestBytesAllocatedByABatch(round), "bytes allocated by " + ROUNDS_PER_BATCH + " rounds");
        }
    }

    @Test
    void packetSendAndReceiveDoNotAllocate() {
        HostTools.requireRoot();
        assumeTrue(threads.isThreadAllocatedMemorySupported(), "skipped: no per-thread allocation counter");
        try (Arena arena = Arena.ofConfined(); PacketSocket socket = PacketSocket.open(0x88B5)) {
            socket.bind(PacketSocket.interfaceIndex("lo"));
            socket.setNonBlocking(true);
            MemorySegment frame = arena.allocate(60);
            frame.set(ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN), 12, (short) 0x88B5);
            MemorySegment received = arena.allocate(2048);
            Runnable round = () -> {
                socket.send(frame);
                while (socket.receive(received) >= 0) {
                    // drain, ending with the EAGAIN that must not allocate either
                }
            };
            assertEquals(0, fewestBytesAllocatedByABatch(round), "bytes allocated by " + ROUNDS_PER_BATCH + " rounds");
        }
    }

    private long fewestBytesAllocatedByABatch(Runnable round) {
        long fewest = Long.MAX_VALUE;
        for (int batch = 0; batch < MAX_BATCHES && fewest > 0; batch++) {
            long before = threads.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < ROUNDS_PER_BATCH; i++) {
                round.run();
            }
            fewest = Math.min(fewest, threads.getCurrentThreadAllocatedBytes() - before);
        }
        return fewest;
    }
}
