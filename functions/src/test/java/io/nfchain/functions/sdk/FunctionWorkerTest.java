package io.nfchain.functions.sdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.nfchain.core.memif.MemifClient;
import io.nfchain.core.memif.MemifServer;
import io.nfchain.core.memif.PacketBurst;
import io.nfchain.core.memif.ServerQueuePair;
import io.nfchain.core.packet.IpProtocols;
import io.nfchain.core.packet.PacketBuilder;
import io.nfchain.core.packet.PacketParser;
import io.nfchain.core.packet.ParsedPacket;
import io.nfchain.core.runtime.NanoClock;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * A function behind a real memif link, the test playing the agent (the memif server): every
 * packet comes back or is counted as dropped with its reason, none twice.
 */
class FunctionWorkerTest {
    private static final long HOST_A = 0x02_00_00_00_00_01L;
    private static final long HOST_B = 0x02_00_00_00_00_02L;

    @TempDir
    Path dir;

    /** The runner's default: received in place, sent back without a copy; or copied in and out. */
    private static MemifClient link(Path socket, int log2Ring, boolean inPlace) {
        MemifClient.Config config = MemifClient.Config.of(socket).withRings(1, log2Ring);
        return MemifClient.create(inPlace ? config.withInPlace(128, 32) : config);
    }

    @ParameterizedTest(name = "in place: {0}")
    @ValueSource(booleans = {true, false})
    void everyPacketIsForwardedInOrderOrDroppedWithItsReason(boolean inPlace) {
        Path socket = dir.resolve("agent.sock");
        MemifClient link = link(socket, 8, inPlace);
        try (MemifServer agent = MemifServer.listen(MemifServer.Config.of(socket));
                FunctionWorker<DiscardFunction.Counter> worker =
                        new FunctionWorker<>(new DiscardFunction(), List.of(link), NanoClock.SYSTEM, 32, 128);
                PacketBurst out = new PacketBurst(32, 2048);
                PacketBurst in = new PacketBurst(32, 2048)) {
            connect(agent, worker, link);

            Random random = new Random(7);
            List<Integer> expectedPorts = new ArrayList<>();
            long discards = 0;
            long malformed = 0;
            ServerQueuePair queue = agent.queuePair(0);
            List<Integer> receivedPorts = new ArrayList<>();
            for (int round = 0; round < 200; round++) {
                int n = 1 + random.nextInt(32);
                for (int i = 0; i < n; i++) {
                    int kind = random.nextInt(10);
                    if (kind == 0) { // a frame cut inside its IPv4 header
                        write(out, i, new PacketBuilder().ethernet(HOST_B, HOST_A).ipv4(0x0a000001, 0x0a000002)
                                .udp(1000, 53).payload(20).build().asSlice(0, 20));
                        malformed++;
                    } else {
                        int port = kind < 4 ? DiscardFunction.DISCARD : 1024 + random.nextInt(60000);
                        if (port == IpProtocols.GTPU_PORT || port == IpProtocols.VXLAN_PORT) {
                            port++; // UDP to these ports must carry a tunnel to parse well formed
                        }
                        write(out, i, new PacketBuilder().ethernet(HOST_B, HOST_A).ipv4(0x0a000001, 0x0a000002)
                                .udp(40000, port).payload(random.nextInt(1400)).build());
                        if (port == DiscardFunction.DISCARD) {
                            discards++;
                        } else {
                            expectedPorts.add(port);
                        }
                    }
                }
                out.setCount(n);
                assertEquals(n, queue.txBurst(out));
                worker.doWork();
                for (int got = queue.rxBurst(in); got > 0; got = queue.rxBurst(in)) {
                    for (int i = 0; i < got; i++) {
                        receivedPorts.add(portOf(in, i));
                        assertEquals(portOf(in, i), in.metadata(i), "the function's metadata word crossed the link");
                    }
                }
            }
            assertEquals(expectedPorts.size(), receivedPorts.size(), "forwarded packets all arrive");
            for (int i = 0; i < expectedPorts.size(); i++) { // compared one by one: a failure names one packet
                assertEquals(expectedPorts.get(i), receivedPorts.get(i), "forwarded packet " + i + " in order");
            }
            assertEquals(discards, worker.counters().get(DiscardFunction.Counter.DISCARD_PORT));
            assertEquals(malformed, worker.counters().get(DiscardFunction.Counter.MALFORMED));
            assertEquals(expectedPorts.size(), worker.counters().get(DiscardFunction.Counter.FORWARDED));
            assertEquals(discards + malformed, worker.counters().drops());
            assertEquals(0, worker.workerCounters().drops());
            assertEquals(expectedPorts.size(), link.counters(0).txPackets());
        }
    }

    @ParameterizedTest(name = "in place: {0}")
    @ValueSource(booleans = {true, false})
    void aFullTransmitRingStopsTheWorkerTakingPacketsInsteadOfDroppingThem(boolean inPlace) {
        Path socket = dir.resolve("agent.sock");
        MemifClient link = link(socket, 6, inPlace); // 64 slots
        try (MemifServer agent = MemifServer.listen(MemifServer.Config.of(socket));
                FunctionWorker<DiscardFunction.Counter> worker =
                        new FunctionWorker<>(new DiscardFunction(), List.of(link), NanoClock.SYSTEM, 32, 128);
                PacketBurst out = new PacketBurst(32, 2048);
                PacketBurst in = new PacketBurst(32, 2048)) {
            connect(agent, worker, link);
            ServerQueuePair queue = agent.queuePair(0);
            udpFrames(out, 32);
            long offered = 0;
            for (int round = 0; round < 10; round++) { // the agent offers and never reads back
                offered += queue.txBurst(out);
                worker.doWork();
            }
            assertEquals(64, link.counters(0).txPackets(), "the function filled its transmit ring");
            assertEquals(0, worker.workerCounters().get(WorkerCounter.TX_RING_FULL), "and dropped nothing");
            assertEquals(128, offered, "the held packets wait on the receive ring, which then fills too");
            long back = 0;
            for (int round = 0; round < 10; round++) { // the agent drains: everything held comes through
                for (int got = queue.rxBurst(in); got > 0; got = queue.rxBurst(in)) {
                    back += got;
                }
                worker.doWork();
            }
            for (int got = queue.rxBurst(in); got > 0; got = queue.rxBurst(in)) {
                back += got;
            }
            assertEquals(offered, back);
            assertEquals(0, worker.workerCounters().drops());
        }
    }

    /**
     * A function that throws loses the burst it was given, not its link: received in place, the
     * buffers go back to the agent all the same, and the next burst is received and forwarded.
     */
    @ParameterizedTest(name = "in place: {0}")
    @ValueSource(booleans = {true, false})
    void aFunctionThatThrowsLosesItsBurstNotItsLink(boolean inPlace) {
        Path socket = dir.resolve("agent.sock");
        MemifClient link = link(socket, 6, inPlace);
        boolean[] fail = {true};
        DiscardFunction discard = new DiscardFunction();
        NetworkFunction<DiscardFunction.Counter> flaky = new NetworkFunction<>() {
            @Override
            public String name() {
                return "flaky";
            }

            @Override
            public Class<DiscardFunction.Counter> counterType() {
                return DiscardFunction.Counter.class;
            }

            @Override
            public void process(PacketVector<DiscardFunction.Counter> vector) {
                if (fail[0]) {
                    throw new IllegalStateException("a bug in the function");
                }
                discard.process(vector);
            }
        };
        try (MemifServer agent = MemifServer.listen(MemifServer.Config.of(socket));
                FunctionWorker<DiscardFunction.Counter> worker =
                        new FunctionWorker<>(flaky, List.of(link), NanoClock.SYSTEM, 32, 128);
                PacketBurst out = new PacketBurst(32, 2048);
                PacketBurst in = new PacketBurst(32, 2048)) {
            connect(agent, worker, link);
            ServerQueuePair queue = agent.queuePair(0);
            udpFrames(out, 8);
            assertEquals(8, queue.txBurst(out));
            assertThrows(IllegalStateException.class, worker::doWork);
            fail[0] = false;
            for (int round = 0; round < 70; round++) { // more than the 64-slot ring: every buffer came back
                assertEquals(8, queue.txBurst(out), "round " + round);
                worker.doWork();
                assertEquals(8, queue.rxBurst(in), "round " + round);
            }
            assertEquals(0, worker.workerCounters().drops());
        }
    }

    /** Starts the worker and steps both ends until its link has joined the agent. */
    /**
     * Stage 2 of {@link #aPipelineRunsEachStageOnWhatTheStageBeforeSentOn}: drops odd destination
     * ports, cuts the last byte off ports divisible by 3 (so they no longer parse), and appends one
     * UDP frame to port {@value #APPENDED_PORT} per burst.
     */
    static final class OddPortStage implements NetworkFunction<OddPortStage.Counter> {
        static final int APPENDED_PORT = 7778;

        enum Counter implements FunctionCounter {
            SEEN("packets seen", false),
            ODD_PORT("odd destination port", true);

            private final String text;
            private final boolean drop;

            Counter(String text, boolean drop) {
                this.text = text;
                this.drop = drop;
            }

            @Override
            public String text() {
                return text;
            }

            @Override
            public boolean isDrop() {
                return drop;
            }
        }

        private final MemorySegment appended = new PacketBuilder().ethernet(HOST_B, HOST_A).ipv4(0x0a000001, 0x0a000002)
                .udp(40000, APPENDED_PORT).payload(100).build();

        @Override
        public String name() {
            return "odd";
        }

        @Override
        public Class<Counter> counterType() {
            return Counter.class;
        }

        @Override
        public void process(PacketVector<Counter> vector) {
            int n = vector.count();
            for (int i = 0; i < n; i++) {
                vector.counters().increment(Counter.SEEN);
                assertTrue(vector.packet(i).isWellFormed(), "the stage before dropped every malformed frame");
                int port = vector.packet(i).outer().key().dstPort();
                assertEquals(port, vector.metadata(i), "the stage before tagged this very packet");
                if (port % 2 == 1) {
                    vector.drop(i, Counter.ODD_PORT);
                } else if (port % 3 == 0) {
                    vector.setLength(i, vector.length(i) - 1);
                }
            }
            int i = vector.append((int) appended.byteSize());
            if (i >= 0) {
                MemorySegment.copy(appended, 0, vector.data(), vector.offset(i), appended.byteSize());
                vector.reparse(i);
            }
        }
    }

    /**
     * discard -> odd -> discard in one worker: each stage sees only what the stage before sent on
     * (a packet it dropped never reaches the next), in order, appended packets included; a packet
     * whose length a stage changed is parsed again for the next (the cut ones are malformed to the
     * third stage); each stage counts in its own counters, and the burst goes out once. A stage
     * that gets no packet is not run.
     */
    @ParameterizedTest(name = "in place: {0}")
    @ValueSource(booleans = {true, false})
    void aPipelineRunsEachStageOnWhatTheStageBeforeSentOn(boolean inPlace) {
        Path socket = dir.resolve("agent.sock");
        MemifClient link = link(socket, 8, inPlace);
        try (MemifServer agent = MemifServer.listen(MemifServer.Config.of(socket));
                FunctionWorker<DiscardFunction.Counter> worker = new FunctionWorker<>(new DiscardFunction(),
                        List.of(new OddPortStage(), new DiscardFunction()), List.of(link), NanoClock.SYSTEM, 32, 128);
                PacketBurst out = new PacketBurst(32, 2048);
                PacketBurst in = new PacketBurst(64, 2048)) {
            connect(agent, worker, link);
            Random random = new Random(11);
            ServerQueuePair queue = agent.queuePair(0);
            List<Integer> expected = new ArrayList<>();
            List<Integer> received = new ArrayList<>();
            long malformed = 0;
            long discards = 0;
            long seen = 0;
            long odd = 0;
            long cut = 0;
            long appended = 0;
            for (int round = 0; round < 300; round++) {
                int n = 1 + random.nextInt(31); // room for the appended frame
                long seenBefore = seen;
                for (int i = 0; i < n; i++) {
                    int kind = random.nextInt(10);
                    if (kind == 0) {
                        write(out, i, new PacketBuilder().ethernet(HOST_B, HOST_A).ipv4(0x0a000001, 0x0a000002)
                                .udp(1000, 53).payload(20).build().asSlice(0, 20));
                        malformed++;
                        continue;
                    }
                    int port = kind == 1 ? DiscardFunction.DISCARD : 1024 + random.nextInt(60000);
                    if (port == IpProtocols.GTPU_PORT || port == IpProtocols.VXLAN_PORT) {
                        port++;
                    }
                    write(out, i, new PacketBuilder().ethernet(HOST_B, HOST_A).ipv4(0x0a000001, 0x0a000002)
                            .udp(40000, port).payload(100 + random.nextInt(1300)).build());
                    if (port == DiscardFunction.DISCARD) {
                        discards++;
                    } else if (port % 2 == 1) {
                        seen++;
                        odd++;
                    } else if (port % 3 == 0) {
                        seen++;
                        cut++;
                    } else {
                        seen++;
                        expected.add(port);
                    }
                }
                if (seen > seenBefore) { // a stage that gets no packet is not run, so it appends nothing
                    appended++;
                    expected.add(OddPortStage.APPENDED_PORT);
                }
                out.setCount(n);
                assertEquals(n, queue.txBurst(out));
                worker.doWork();
                for (int got = queue.rxBurst(in); got > 0; got = queue.rxBurst(in)) {
                    for (int i = 0; i < got; i++) {
                        received.add(portOf(in, i));
                    }
                }
            }
            assertEquals(expected.size(), received.size(), "forwarded packets all arrive");
            for (int i = 0; i < expected.size(); i++) {
                assertEquals(expected.get(i), received.get(i), "forwarded packet " + i + " in order");
            }
            assertEquals(List.of("discard", "odd", "discard"), worker.stages().stream().map(NetworkFunction::name).toList());
            assertEquals(malformed, worker.counters().get(DiscardFunction.Counter.MALFORMED));
            assertEquals(discards, worker.counters().get(DiscardFunction.Counter.DISCARD_PORT));
            assertTrue(appended > 250, "most rounds reached the second stage: " + appended);
            assertEquals(seen, worker.counters().get(DiscardFunction.Counter.FORWARDED));
            @SuppressWarnings("unchecked")
            CounterSet<OddPortStage.Counter> second = (CounterSet<OddPortStage.Counter>) worker.counters(1);
            assertEquals(seen, second.get(OddPortStage.Counter.SEEN));
            assertEquals(odd, second.get(OddPortStage.Counter.ODD_PORT));
            @SuppressWarnings("unchecked")
            CounterSet<DiscardFunction.Counter> third = (CounterSet<DiscardFunction.Counter>) worker.counters(2);
            assertEquals(cut, third.get(DiscardFunction.Counter.MALFORMED), "cut packets were parsed again");
            assertEquals(expected.size(), third.get(DiscardFunction.Counter.FORWARDED));
            assertEquals(0, worker.workerCounters().drops());
            assertEquals(expected.size(), link.counters(0).txPackets(), "the burst went out once");
        }
    }

    @org.junit.jupiter.api.Test
    void aPipelineRefusesAStageBeforeTheLastWithMoreThanOneOutputOrObservingTransmits() {
        MemifClient link = MemifClient.create(MemifClient.Config.of(dir.resolve("none.sock")));
        NetworkFunction<DiscardFunction.Counter> twoOutputs = new NetworkFunction<>() {
            @Override
            public String name() {
                return "two";
            }

            @Override
            public Class<DiscardFunction.Counter> counterType() {
                return DiscardFunction.Counter.class;
            }

            @Override
            public List<String> outputs() {
                return List.of("a", "b");
            }

            @Override
            public void process(PacketVector<DiscardFunction.Counter> vector) {}
        };
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new FunctionWorker<>(twoOutputs,
                List.of(new DiscardFunction()), List.of(link), NanoClock.SYSTEM, 32, 128));
        assertTrue(e.getMessage().contains("one output"), e.getMessage());
        link.close();
    }

    private static void connect(MemifServer agent, FunctionWorker<?> worker, MemifClient link) {
        worker.onStart();
        for (int i = 0; i < 1_000 && !(agent.isConnected() && link.isConnected()); i++) {
            agent.doWork();
            worker.doWork();
        }
        assertTrue(link.isConnected(), "the worker's link joined the agent");
    }

    /** {@code n} 64-byte UDP frames, destination ports 5000 up, as the burst's whole content. */
    private static void udpFrames(PacketBurst out, int n) {
        for (int i = 0; i < n; i++) {
            write(out, i, new PacketBuilder().ethernet(HOST_B, HOST_A).ipv4(0x0a000001, 0x0a000002)
                    .udp(40000, 5000 + i).payload(18).build());
        }
        out.setCount(n);
    }

    private static void write(PacketBurst burst, int index, MemorySegment frame) {
        MemorySegment.copy(frame, 0, burst.data(), burst.offset(index), frame.byteSize());
        burst.setLength(index, (int) frame.byteSize());
        burst.setMetadata(index, 0);
    }

    private static int portOf(PacketBurst burst, int index) {
        ParsedPacket parsed = new ParsedPacket();
        if (!PacketParser.parse(burst.data(), burst.offset(index), burst.length(index), parsed)) {
            fail("a forwarded frame no longer parses: " + parsed.status());
        }
        return parsed.outer().key().dstPort();
    }
}
