package io.nfchain.functions.upf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.nfchain.api.session.v1.ApplySessionsRequest;
import io.nfchain.api.session.v1.ApplySessionsResponse;
import io.nfchain.api.session.v1.Session;
import io.nfchain.api.session.v1.SessionChange;
import io.nfchain.core.memif.MemifServer;
import io.nfchain.core.memif.PacketBurst;
import io.nfchain.core.memif.ServerQueuePair;
import io.nfchain.core.packet.IpAddresses;
import io.nfchain.core.packet.PacketBuilder;
import io.nfchain.core.packet.PacketParser;
import io.nfchain.core.packet.ParsedPacket;
import io.nfchain.functions.sdk.CounterSet;
import io.nfchain.functions.sdk.PacketVector;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Not thread-safe. A upf with N3 addresses {@link #N3_V4} and {@link #N3_V6} and a burst to run it
 * on: frames in, one {@code process}, frames and counters out. After every run the books must
 * balance: each received packet was forwarded, answered, consumed, buffered or dropped, once.
 */
final class UpfHarness implements AutoCloseable {
    static final String N3_V4 = "192.0.2.10";
    static final String N3_V6 = "2001:db8:ff::10";
    static final String GNB = "192.0.2.1";
    static final long MAC_UPF = 0x02_00_00_00_00_0AL;
    static final long MAC_GNB = 0x02_00_00_00_00_01L;

    final UpfFunction upf;
    final PacketBurst burst = new PacketBurst(256, 2048, 128);
    final CounterSet<UpfCounter> counters = new CounterSet<>(UpfCounter.class);
    final PacketVector<UpfCounter> vector = new PacketVector<>(burst, counters, 1);
    long received;

    UpfHarness() {
        this(UpfSettings.of(N3_V4, N3_V6, 1024));
    }

    UpfHarness(UpfSettings settings) {
        upf = new UpfFunction(settings);
    }

    static int v4(String text) {
        return IpAddresses.parseIpv4(text);
    }

    ApplySessionsResponse apply(SessionChange... changes) {
        ApplySessionsResponse r = upf.sessions().apply(ApplySessionsRequest.newBuilder()
                .addAllChanges(java.util.List.of(changes)).build());
        assertEquals(changes.length, r.getApplied(), r.toString());
        return r;
    }

    UpfHarness create(Session s) {
        apply(SessionChange.newBuilder().setCreate(s).build());
        return this;
    }

    UpfHarness replace(Session s) {
        apply(SessionChange.newBuilder().setReplace(s).build());
        return this;
    }

    /** An uplink G-PDU from the gNB to the upf with a PDU Session Container (QFI {@code qfi}, or none when -1). */
    static MemorySegment uplink(int teid, int qfi, int ue, int remote, int udpDstPort) {
        PacketBuilder b = new PacketBuilder().ethernet(MAC_UPF, MAC_GNB).ipv4(v4(GNB), v4(N3_V4)).udp(2152, 2152).gtpu(teid);
        if (qfi >= 0) {
            b.pduSessionContainer(1, qfi);
        }
        return b.ipv4(ue, remote).udp(40000, udpDstPort).payload(22).build();
    }

    /** The inner packet of {@link #uplink} as a plain frame: what decapsulation must give. */
    /**
     * Plays the node agent for a runner whose link 0 is {@code socket}: waits for it to connect,
     * sends {@code frames} as one burst, and returns the first {@code expected} frames it sends
     * back, parsed (each with its length), within 20 s.
     */
    static List<Returned> exchangeWithRunner(Path socket, List<MemorySegment> frames, int expected)
            throws InterruptedException {
        List<Returned> back = new ArrayList<>();
        try (MemifServer agent = MemifServer.listen(MemifServer.Config.of(socket));
                PacketBurst out = new PacketBurst(32, 2048);
                PacketBurst in = new PacketBurst(32, 2048)) {
            long deadline = System.nanoTime() + 20_000_000_000L;
            while (!agent.isConnected()) {
                agent.doWork();
                if (System.nanoTime() > deadline) {
                    fail("the runner never connected: " + agent.lastError());
                }
                Thread.sleep(1);
            }
            ServerQueuePair queue = agent.queuePair(0);
            for (int i = 0; i < frames.size(); i++) {
                MemorySegment.copy(frames.get(i), 0, out.data(), out.offset(i), frames.get(i).byteSize());
                out.setLength(i, (int) frames.get(i).byteSize());
            }
            out.setCount(frames.size());
            while (queue.txBurst(out) == 0) {
                agent.doWork();
                if (System.nanoTime() > deadline) {
                    fail("the runner never posted receive buffers");
                }
                Thread.sleep(1);
            }
            while (back.size() < expected) {
                int n = queue.rxBurst(in);
                for (int i = 0; i < n; i++) {
                    ParsedPacket p = new ParsedPacket();
                    assertTrue(PacketParser.parse(in.data(), in.offset(i), in.length(i), p), p.status().text());
                    back.add(new Returned(p, in.length(i)));
                }
                agent.doWork();
                if (System.nanoTime() > deadline) {
                    fail("received " + back.size() + " of " + expected);
                }
            }
        }
        return back;
    }

    /** A frame a runner sent back: its parse and its length. */
    record Returned(ParsedPacket parsed, int length) {}

    static MemorySegment plain(int src, int dst, int srcPort, int dstPort) {
        return new PacketBuilder().ethernet(MAC_UPF, MAC_GNB).ipv4(src, dst).udp(srcPort, dstPort).payload(22).build();
    }

    /** Runs the upf once on {@code frames}; returns each packet's output (0 or DROP), appended ones included. */
    int[] run(MemorySegment... frames) {
        burst.setCount(frames.length);
        for (int i = 0; i < frames.length; i++) {
            burst.resetForReceive(i);
            MemorySegment.copy(frames[i], 0, burst.data(), burst.offset(i), frames[i].byteSize());
            burst.setLength(i, (int) frames[i].byteSize());
        }
        vector.begin(0);
        upf.process(vector);
        received += frames.length;
        int[] outputs = new int[burst.count()];
        for (int i = 0; i < outputs.length; i++) {
            outputs[i] = vector.output(i);
        }
        assertEquals(received, accounted(), "every packet received is counted once");
        return outputs;
    }

    private long accounted() {
        long n = 0;
        for (UpfCounter c : UpfCounter.values()) {
            if (c != UpfCounter.UPF_END_MARKER_SENT && c != UpfCounter.UPF_END_MARKER_NOT_SENT
                    && c != UpfCounter.UPF_BUFFER_RELEASED && c != UpfCounter.UPF_BUFFER_DISCARDED) {
                n += counters.get(c);
            }
        }
        // A released packet was counted when buffered and again when it left (or was dropped then).
        return n - counters.get(UpfCounter.UPF_BUFFER_RELEASED);
    }

    /** Packet {@code i}'s bytes after the run. */
    byte[] frame(int i) {
        return burst.data().asSlice(burst.offset(i), burst.length(i)).toArray(ValueLayout.JAVA_BYTE);
    }

    long get(UpfCounter c) {
        return counters.get(c);
    }

    @Override
    public void close() {
        upf.close();
        burst.close();
    }
}
