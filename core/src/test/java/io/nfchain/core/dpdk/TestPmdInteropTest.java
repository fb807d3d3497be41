package io.nfchain.core.dpdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nfchain.core.dpdk.NfchainPeers.EchoClient;
import io.nfchain.core.dpdk.NfchainPeers.ReceivingServer;
import io.nfchain.core.dpdk.NfchainPeers.SendingClient;
import io.nfchain.core.dpdk.TestPmdConfig.ForwardMode;
import io.nfchain.core.dpdk.TestPmdConfig.Role;
import io.nfchain.core.testing.HostTools;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * nfchain's memif against DPDK's {@code net_memif} in {@code dpdk-testpmd}, in both roles, with
 * testpmd on plain memory ({@code --no-huge -m 1024}) and on hugepages this test reserves and
 * mounts. About a second of traffic each. After every test: testpmd is gone, its runtime
 * directory too, and hugepages are unmounted and given back.
 */
class TestPmdInteropTest {
    private static final Duration STARTUP = Duration.ofSeconds(60);
    private static final long TRAFFIC_NS = TimeUnit.MILLISECONDS.toNanos(1_000);
    private static final long DRAIN_MS = 10_000;
    private static final long SEND_LIMIT_MS = 60_000;
    private static final int HUGE_PAGES = 128;
    /**
     * Traffic lasts a second and at least this many frames (a loaded CI machine may be slow):
     * more than the 65,536 values of memif's 16-bit ring cursors, so they always wrap.
     */
    private static final long MIN_FRAMES = 70_000;

    /** How testpmd gets its memory, and the frame and buffer sizes tried with it. */
    enum Memory {
        /** 64-byte txonly frames, 2048-byte buffers: one buffer per frame. */
        NO_HUGE(64, 2048),
        /** 1500-byte txonly frames in 1024-byte buffers: chained descriptors both ways. */
        HUGEPAGES(1500, 1024);

        final int txOnlyFrameBytes;
        final int bufferBytes;

        Memory(int txOnlyFrameBytes, int bufferBytes) {
            this.txOnlyFrameBytes = txOnlyFrameBytes;
            this.bufferBytes = bufferBytes;
        }
    }

    @TempDir
    Path dir;

    private final List<TestPmd> started = new ArrayList<>();
    private HugePages hugePages;
    private long poolPagesBefore;

    @BeforeEach
    void requireTestPmd() {
        HostTools.requireRoot();
        HostTools.requireProgram(TestPmd.PROGRAM);
        poolPagesBefore = HugePages.poolPages();
    }

    /** testpmd tx-only as memif client -> nfchain server: every frame it counts as sent arrives intact. */
    @ParameterizedTest
    @EnumSource(Memory.class)
    void testPmdTxOnlyClientIntoNfchainServer(Memory memory) throws Exception {
        Path socket = dir.resolve("memif.sock");
        try (ReceivingServer nfchain = new ReceivingServer(socket);
                TestPmd testpmd = start(memory, TestPmdConfig.of(socket, Role.CLIENT, ForwardMode.TXONLY)
                        .withTxPacketBytes(memory.txOnlyFrameBytes).withRing(memory.bufferBytes, 0))) {
            testpmd.awaitLinkUp(STARTUP);
            assertTrue(nfchain.await(() -> nfchain.connected, 5_000), "nfchain sees the connection");
            testpmd.startForwarding();
            TimeUnit.NANOSECONDS.sleep(TRAFFIC_NS);
            nfchain.await(() -> nfchain.packets >= MIN_FRAMES, SEND_LIMIT_MS);
            requireHugePagesInUse(memory, testpmd);
            ForwardStats forward = testpmd.stopForwarding();
            PortStats port = testpmd.portStats();

            assertTrue(nfchain.await(() -> nfchain.packets >= port.txPackets(), DRAIN_MS),
                    "nfchain received " + nfchain.packets + " of " + port.txPackets());
            assertTrue(port.txPackets() >= MIN_FRAMES, "testpmd sent " + port);
            assertEquals(port.txPackets(), nfchain.packets, "frames testpmd counts as sent arrive, no more");
            assertEquals(port.txBytes(), nfchain.bytes, "bytes");
            assertEquals((long) memory.txOnlyFrameBytes * port.txPackets(), port.txBytes(), "every frame --txpkts long");
            assertEquals(port.txPackets(), forward.txPackets(), "forwarding and port counters agree");
            assertNull(nfchain.firstProblem);
            assertEquals(0, nfchain.drops, "nfchain dropped nothing");
        }
    }

    /** nfchain client -> testpmd rx-only server: testpmd receives exactly what nfchain sent. */
    @ParameterizedTest
    @EnumSource(Memory.class)
    void nfchainClientIntoTestPmdRxOnlyServer(Memory memory) throws Exception {
        Path socket = dir.resolve("memif.sock");
        try (TestPmd testpmd = start(memory, TestPmdConfig.of(socket, Role.SERVER, ForwardMode.RXONLY)
                .withRing(memory.bufferBytes, 0))) {
            testpmd.awaitSocket(STARTUP);
            testpmd.startForwarding();
            try (SendingClient nfchain = new SendingClient(socket, memory.bufferBytes, TRAFFIC_NS, MIN_FRAMES)) {
                testpmd.awaitLinkUp(STARTUP);
                assertTrue(nfchain.await(() -> nfchain.doneSending, SEND_LIMIT_MS),
                        "nfchain finished sending");
                requireHugePagesInUse(memory, testpmd);
                PortStats port = awaitReceived(testpmd, nfchain.sent);

                assertTrue(nfchain.sent >= MIN_FRAMES, "nfchain sent " + nfchain.sent);
                assertEquals(nfchain.sent, port.rxPackets(), "testpmd received what nfchain sent: " + port);
                assertEquals(nfchain.sentBytes, port.rxBytes(), "bytes");
                assertEquals(0, port.rxErrors() + port.rxMissed() + port.rxNoMbuf(), "no receive errors: " + port);
                assertEquals(0, nfchain.drops);
                ForwardStats forward = testpmd.stopForwarding();
                assertEquals(nfchain.sent, forward.rxPackets(), "testpmd's forwarding engine saw every frame");
            }
        }
    }

    /**
     * nfchain -> testpmd io forward (one port, back on itself) -> nfchain: in order, intact, none
     * lost. Also with nfchain receiving in place, as the NF runner does: testpmd must then fill each
     * buffer at the offset and within the length nfchain posted (128 bytes in), or the frames would
     * come by the copy path. With 2048-byte buffers every frame is lent; with 1024-byte ones the
     * frames over 896 bytes come chained, by copy, with the rest of their burst.
     */
    @ParameterizedTest(name = "{0}, in place: {1}")
    @MethodSource("memoriesAndReceiveModes")
    void nfchainThroughTestPmdIoForwardAndBack(Memory memory, boolean inPlace) throws Exception {
        Path socket = dir.resolve("memif.sock");
        try (TestPmd testpmd = start(memory, TestPmdConfig.of(socket, Role.SERVER, ForwardMode.IO)
                .withRing(memory.bufferBytes, 0))) {
            testpmd.awaitSocket(STARTUP);
            testpmd.startForwarding();
            try (EchoClient nfchain = new EchoClient(socket, memory.bufferBytes, TRAFFIC_NS, MIN_FRAMES, inPlace)) {
                testpmd.awaitLinkUp(STARTUP);
                assertTrue(nfchain.await(() -> nfchain.doneSending, SEND_LIMIT_MS),
                        "nfchain finished sending");
                requireHugePagesInUse(memory, testpmd);
                nfchain.await(() -> nfchain.received == nfchain.sent, DRAIN_MS);

                assertNull(nfchain.firstProblem, "every frame back in order with its checksums and payload");
                assertTrue(nfchain.sent >= MIN_FRAMES, "nfchain sent " + nfchain.sent);
                assertEquals(nfchain.sent, nfchain.received, "lost on the way: " + (nfchain.sent - nfchain.received));
                assertEquals(0, nfchain.drops);
                if (inPlace && memory == Memory.NO_HUGE) {
                    assertEquals(nfchain.received, nfchain.lent, "every frame lent where testpmd wrote it");
                } else if (inPlace) { // a chained frame at the head sends the rest of that burst by the copy path
                    assertTrue(nfchain.lent > 0, "frames lent: " + nfchain.lent + " of " + nfchain.received);
                } else {
                    assertEquals(0, nfchain.lent);
                }
                ForwardStats forward = testpmd.stopForwarding();
                assertEquals(new ForwardStats(0, nfchain.sent, 0, nfchain.sent, 0), forward, "testpmd forwarded all, dropped none");
            }
        }
    }

    static Stream<Arguments> memoriesAndReceiveModes() {
        return Stream.of(Memory.values()).flatMap(m -> Stream.of(Arguments.of(m, false), Arguments.of(m, true)));
    }

    /** Every testpmd gone with its files; hugepages unmounted, their directory removed, the pool as before. */
    @AfterEach
    void everythingIsCleanedUp() {
        try {
            if (hugePages != null) {
                hugePages.close();
            }
        } finally {
            for (TestPmd testpmd : started) {
                testpmd.close(); // a no-op after the test's own close; a safety net when the test failed early
                assertFalse(ProcessHandle.of(testpmd.pid()).map(ProcessHandle::isAlive).orElse(false),
                        "testpmd " + testpmd.pid() + " still runs");
                assertFalse(Files.exists(testpmd.runtimeDir()), testpmd.runtimeDir() + " left behind");
            }
            if (hugePages != null) {
                assertFalse(HugePages.isMounted(hugePages.mountDir()), "hugetlbfs still mounted");
                assertFalse(Files.exists(hugePages.mountDir()), "mount directory left behind");
            }
            assertEquals(poolPagesBefore, HugePages.poolPages(), "nr_hugepages restored");
        }
    }

    @AfterAll
    static void noTestPmdOfThisJvmRuns() throws IOException {
        assertEquals(List.of(), processesWithPrefix("--file-prefix=nfc" + ProcessHandle.current().pid() + "x"));
    }

    private TestPmd start(Memory memory, TestPmdConfig config) {
        if (memory == Memory.HUGEPAGES) {
            hugePages = HugePages.reserve(HUGE_PAGES, dir.resolve("hugetlbfs"));
            config = config.withHugeDir(hugePages.mountDir());
        }
        TestPmd testpmd = TestPmd.start(config);
        started.add(testpmd);
        return testpmd;
    }

    /** With hugepages, testpmd's page files must be in our mount: otherwise the variant tested nothing. */
    private void requireHugePagesInUse(Memory memory, TestPmd testpmd) throws IOException {
        if (memory != Memory.HUGEPAGES) {
            return;
        }
        try (Stream<Path> files = Files.list(hugePages.mountDir())) {
            long pageFiles = files.filter(p -> p.getFileName().toString().startsWith(testpmd.filePrefix())).count();
            assertTrue(pageFiles > 0, "testpmd mapped no hugepage files in " + hugePages.mountDir());
        }
        assertTrue(HugePages.freePages() < HugePages.poolPages(), "hugepages in use");
    }

    private static PortStats awaitReceived(TestPmd testpmd, long expected) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(DRAIN_MS);
        PortStats stats = testpmd.portStats();
        while (stats.rxPackets() < expected && System.nanoTime() < end) {
            Thread.sleep(20);
            stats = testpmd.portStats();
        }
        return stats;
    }

    /** Processes whose command line contains {@code marker}, as "pid: command". */
    static List<String> processesWithPrefix(String marker) throws IOException {
        List<String> found = new ArrayList<>();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path p : procs.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
                try {
                    String cmdline = Files.readString(p.resolve("cmdline")).replace('\0', ' ');
                    if (cmdline.contains(marker)) {
                        found.add(p.getFileName() + ": " + cmdline);
                    }
                } catch (IOException gone) {
                    // exited while we looked
                }
            }
        }
        return found;
    }
}
