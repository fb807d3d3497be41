package io.nfchain.core.memif;

import java.nio.file.Path;

/**
 * A memif client in its own JVM, for {@link TwoProcessTest}. Arguments: socket path, mode
 * ({@code echo N}: send N numbered frames and check each comes back intact, then exit
 * without closing, so the server must notice the process is gone; {@code flood}: send
 * numbered frames until killed).
 *
 * <p>Exit codes: 0 every frame came back intact; 2 a frame differed; 3 no connection.
 */
public final class MemifPeerProcess {
    private static final long DEADLINE_NS = 30_000_000_000L;

    private MemifPeerProcess() {}

    public static void main(String[] args) {
        Path socket = Path.of(args[0]);
        boolean flood = args[1].equals("flood");
        long frames = flood ? Long.MAX_VALUE : Long.parseLong(args[2]);
        long start = System.nanoTime();
        MemifClient client = MemifClient.create(MemifClient.Config.of(socket).withRings(1, 10));
        client.connect();
        while (!client.isConnected()) {
            client.doWork();
            if (!client.isActive() || System.nanoTime() - start > DEADLINE_NS) {
                System.err.println("no connection: " + client.lastError() + " " + client.peerDisconnectText());
                System.exit(3);
            }
            Thread.onSpinWait();
        }
        ClientQueuePair pair = client.queuePair(0);
        PacketBurst out = new PacketBurst(32, 2048);
        PacketBurst in = new PacketBurst(32, 2048);
        long sent = 0;
        long received = 0;
        while (received < frames && System.nanoTime() - start < DEADLINE_NS) {
            int n = (int) Math.min(32, frames - sent);
            for (int i = 0; i < n; i++) {
                MemifLink.putFrame(out, i, sent + i, MemifLink.lengthFor(sent + i));
            }
            out.setCount(n);
            sent += pair.txBurst(out);
            int got = pair.rxBurst(in);
            for (int i = 0; i < got; i++, received++) {
                try {
                    MemifLink.checkFrame(in, i, received, MemifLink.lengthFor(received));
                } catch (AssertionError e) {
                    System.err.println(e.getMessage());
                    System.exit(2);
                }
            }
            client.doWork();
        }
        System.out.println("sent " + sent + " received " + received);
        System.exit(received == frames ? 0 : 2); // no close: the server must see the process go
    }
}
