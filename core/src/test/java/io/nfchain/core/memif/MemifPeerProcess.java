package io.nfchain.core.memif;

import io.nfchain.core.os.PollSet;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;

/**
 * One memif end in its own JVM, for {@link TwoProcessTest}, so the busy loops run outside
 * the test JVM (whose JIT state other tests' allocation checks depend on). Modes:
 * <ul>
 *   <li>{@code client-echo SOCKET N}: send N numbered frames, check each comes back
 *       intact, then exit without closing, so the server must notice the process is gone.
 *   <li>{@code client-flood SOCKET}: send numbered frames until killed.
 *   <li>{@code server SOCKET CONNECTIONS ECHO}: serve CONNECTIONS connections one after the
 *       other, checking every frame's sequence and payload, echoing them if ECHO is
 *       {@code true}; prints {@code CONNECTED k}, {@code RECEIVED n} every 1000 frames, and
 *       {@code ENDED reason n} per connection.
 * </ul>
 * Exit codes: 0 success; 2 a frame differed; 3 no connection or a deadline passed.
 */
public final class MemifPeerProcess {
    private static final long DEADLINE_NS = 60_000_000_000L;
    private static final long CONTROL_POLL_MASK = 255;
    private static final long START_NS = System.nanoTime();

    private MemifPeerProcess() {}

    public static void main(String[] args) {
        Path socket = Path.of(args[1]);
        switch (args[0]) {
            case "client-echo" -> client(socket, Long.parseLong(args[2]));
            case "client-flood" -> client(socket, Long.MAX_VALUE);
            case "server" -> server(socket, Integer.parseInt(args[2]), Boolean.parseBoolean(args[3]));
            default -> throw new IllegalArgumentException(args[0]);
        }
    }

    private static void client(Path socket, long frames) {
        MemifClient client = MemifClient.create(MemifClient.Config.of(socket).withRings(1, 10));
        client.connect();
        while (!client.isConnected()) {
            client.doWork();
            if (!client.isActive()) {
                exit(3, "no connection: " + client.lastError() + " " + client.peerDisconnectText());
            }
            checkDeadline();
        }
        ClientQueuePair pair = client.queuePair(0);
        PacketBurst out = new PacketBurst(32, 2048);
        PacketBurst in = new PacketBurst(32, 2048);
        long sent = 0;
        long received = 0;
        for (long turn = 0; received < frames; turn++) {
            int n = (int) Math.min(32, frames - sent);
            for (int i = 0; i < n; i++) {
                MemifLink.putFrame(out, i, sent + i, MemifLink.lengthFor(sent + i));
            }
            out.setCount(n);
            sent += pair.txBurst(out);
            received = check(in, pair.rxBurst(in), received);
            if ((turn & CONTROL_POLL_MASK) == 0) {
                client.doWork();
                checkDeadline();
            }
        }
        exit(0, "sent " + sent + " received " + received); // no close: the server must see the process go
    }

    private static void server(Path socket, int connections, boolean echo) {
        try (MemifServer server = MemifServer.listen(MemifServer.Config.of(socket));
                PacketBurst burst = new PacketBurst(32, 2048)) {
            for (int k = 1; k <= connections; k++) {
                while (!server.isConnected()) {
                    awaitControl(server);
                    checkDeadline();
                }
                System.out.println("CONNECTED " + k);
                long received = 0;
                for (long turn = 0; server.isConnected(); turn++) {
                    ServerQueuePair pair = server.queuePair(0);
                    long before = received;
                    received = check(burst, pair.rxBurst(burst), received);
                    if (echo) {
                        sendAll(pair, burst);
                    }
                    if (received / 1000 != before / 1000) {
                        System.out.println("RECEIVED " + received);
                    }
                    if ((turn & CONTROL_POLL_MASK) == 0) {
                        server.doWork();
                        checkDeadline();
                    }
                }
                System.out.println("ENDED " + server.lastError() + " " + received);
            }
        }
        exit(0, "served " + connections);
    }

    /** Checks the {@code n} frames in {@code burst} continue the sequence at {@code next}. */
    private static long check(PacketBurst burst, int n, long next) {
        for (int i = 0; i < n; i++, next++) {
            try {
                MemifLink.checkFrame(burst, i, next, MemifLink.lengthFor(next));
            } catch (AssertionError e) {
                exit(2, e.getMessage());
            }
        }
        return next;
    }

    /** Sends the whole burst back, moving what did not fit to the front until all went. */
    private static void sendAll(ServerQueuePair pair, PacketBurst burst) {
        while (burst.count() > 0) {
            int sent = pair.txBurst(burst);
            int left = burst.count() - sent;
            MemorySegment data = burst.data();
            for (int i = 0; i < left; i++) {
                MemorySegment.copy(data, burst.offset(sent + i), data, burst.offset(i), burst.length(sent + i));
                burst.setLength(i, burst.length(sent + i));
                burst.setMetadata(i, burst.metadata(sent + i));
            }
            burst.setCount(left);
            checkDeadline();
        }
    }

    /** Waits up to 10 ms for the listener or control socket, then handles what came. */
    private static void awaitControl(MemifServer server) {
        try (PollSet sockets = new PollSet(2)) {
            sockets.add(server.listenerFd(), PollSet.POLLIN);
            if (server.controlFd() >= 0) {
                sockets.add(server.controlFd(), PollSet.POLLIN);
            }
            sockets.await(10);
        }
        server.doWork();
    }

    private static void checkDeadline() {
        if (System.nanoTime() - START_NS > DEADLINE_NS) {
            exit(3, "deadline passed");
        }
    }

    private static void exit(int code, String message) {
        (code == 0 ? System.out : System.err).println(message);
        System.out.flush();
        System.exit(code);
    }
}
