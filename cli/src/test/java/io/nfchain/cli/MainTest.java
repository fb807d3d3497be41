package io.nfchain.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

/** Quarkus's own main (the path the jar takes) reaches the same command line: help, usage and exit codes. */
@QuarkusMainTest
class MainTest {
    @Test
    void helpListsTheCommands(QuarkusMainLauncher launcher) {
        LaunchResult r = launcher.launch("--help");
        assertEquals(0, r.exitCode());
        for (String command : new String[] {"show", "apply", "get", "switch", "watch"}) {
            assertTrue(r.getOutput().contains("  " + command + " "), r.getOutput());
        }
    }

    @Test
    void anUnreachableAgentExits5(QuarkusMainLauncher launcher) throws Exception {
        int closed;
        try (ServerSocket probe = new ServerSocket(0)) {
            closed = probe.getLocalPort();
        }
        LaunchResult r = launcher.launch("show", "ports", "--agent", "127.0.0.1:" + closed, "--timeout", "5s");
        assertEquals(5, r.exitCode(), r.getErrorOutput());
        assertTrue(r.getErrorOutput().contains("nfchainctl: UNAVAILABLE: cannot reach the agent at 127.0.0.1:" + closed),
                r.getErrorOutput());
    }

    @Test
    void usageErrorsExit2(QuarkusMainLauncher launcher) {
        LaunchResult r = launcher.launch("show", "everything");
        assertEquals(2, r.exitCode());
        assertTrue(r.getErrorOutput().startsWith("nfchainctl: "), r.getErrorOutput());
    }
}
