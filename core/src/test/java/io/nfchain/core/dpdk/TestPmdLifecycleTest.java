package io.nfchain.core.dpdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nfchain.core.dpdk.TestPmdConfig.ForwardMode;
import io.nfchain.core.dpdk.TestPmdConfig.Role;
import io.nfchain.core.testing.HostTools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** testpmd never outlives its driver: not when a test throws, not when it was killed, not when it fails to start. */
class TestPmdLifecycleTest {
    private static final Duration STARTUP = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    @BeforeEach
    void requireTestPmd() {
        HostTools.requireRoot();
        HostTools.requireProgram(TestPmd.PROGRAM);
    }

    @Test
    void anExceptionInsideTheBlockStillEndsTestPmdAndRemovesItsFiles() throws Exception {
        Path socket = dir.resolve("memif.sock");
        TestPmd[] holder = new TestPmd[1];
        IllegalStateException thrown = assertThrows(IllegalStateException.class, () -> {
            try (TestPmd testpmd = TestPmd.start(TestPmdConfig.of(socket, Role.SERVER, ForwardMode.RXONLY))) {
                holder[0] = testpmd;
                testpmd.awaitSocket(STARTUP);
                assertTrue(Files.isDirectory(testpmd.runtimeDir()), "EAL made " + testpmd.runtimeDir());
                throw new IllegalStateException("the test failed here");
            }
        });
        assertEquals("the test failed here", thrown.getMessage());
        assertGone(holder[0]);
        assertFalse(Files.exists(socket), "the server socket is removed");
    }

    @Test
    void aKilledTestPmdIsNoticedAndItsFilesAreRemovedOnClose() throws Exception {
        Path socket = dir.resolve("memif.sock");
        TestPmd testpmd = TestPmd.start(TestPmdConfig.of(socket, Role.SERVER, ForwardMode.RXONLY));
        try {
            testpmd.awaitSocket(STARTUP);
            ProcessHandle.of(testpmd.pid()).orElseThrow().destroyForcibly();
            assertTrue(ProcessHandle.of(testpmd.pid()).map(p -> p.onExit().orTimeout(10, TimeUnit.SECONDS).join())
                    .map(p -> !p.isAlive()).orElse(true));
            TestPmdException e = assertThrows(TestPmdException.class, testpmd::portStats);
            assertTrue(e.getMessage().contains("exited") || e.getMessage().contains("ended"), e.getMessage());
            assertTrue(Files.exists(testpmd.runtimeDir()), "SIGKILL leaves DPDK's runtime directory");
            assertTrue(Files.exists(socket), "and the socket");
        } finally {
            testpmd.close();
        }
        assertGone(testpmd);
        assertFalse(Files.exists(socket));
    }

    @Test
    void aTestPmdThatCannotStartSaysWhyAndLeavesNothing() {
        // a client with no server to connect to: net_memif fails the port start and testpmd exits
        TestPmd testpmd = TestPmd.start(TestPmdConfig.of(dir.resolve("nobody.sock"), Role.CLIENT, ForwardMode.TXONLY));
        try {
            TestPmdException e = assertThrows(TestPmdException.class, () -> testpmd.awaitLinkUp(STARTUP));
            assertTrue(e.getMessage().contains("Fail to start port 0"), e.getMessage());
            assertTrue(e.getMessage().contains("Failed to connect socket"), "the driver's reason: " + e.getMessage());
        } finally {
            testpmd.close();
        }
        assertGone(testpmd);
    }

    @Test
    void quitEndsTestPmdAndCpuTimeIsReadable() {
        Path socket = dir.resolve("memif.sock");
        TestPmd testpmd = TestPmd.start(TestPmdConfig.of(socket, Role.SERVER, ForwardMode.RXONLY));
        try {
            testpmd.awaitSocket(STARTUP);
            testpmd.startForwarding();
            assertEquals(new PortStats(0, 0, 0, 0, 0, 0, 0, 0, 0), testpmd.portStats(), "nobody connected");
            assertTrue(testpmd.cpuNanos() >= 0);
        } finally {
            testpmd.close();
        }
        assertEquals(0, testpmd.exitCode(), "quit, not a signal, ended it");
        assertGone(testpmd);
        assertThrows(IllegalStateException.class, testpmd::cpuNanos, "the process is gone");
    }

    private static void assertGone(TestPmd testpmd) {
        assertFalse(testpmd.isAlive());
        assertFalse(ProcessHandle.of(testpmd.pid()).map(ProcessHandle::isAlive).orElse(false));
        assertFalse(Files.exists(testpmd.runtimeDir()), testpmd.runtimeDir() + " left behind");
    }
}
