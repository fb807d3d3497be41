package io.nfchain.core.afpacket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nfchain.core.testing.HostTools;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * af_packet bursts (transmit with its kick, receive) and an empty receive poll allocate nothing
 * once compiled (DESIGN.md 3.2). Measured in a fresh JVM ({@link AfPacketAllocationCheck}),
 * for the reason memif's BurstAllocationTest gives: other loops in this JVM change what C2
 * inlines around FFM downcalls.
 */
class AfPacketAllocationTest {
    @Test
    void burstsAndAnEmptyPollDoNotAllocate() throws Exception {
        HostTools.requireRoot();
        HostTools.requireProgram("ip");
        try (VethLink link = VethLink.createInOneNamespace(1500)) {
            Process check = new ProcessBuilder(List.of("ip", "netns", "exec", link.nsA,
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "--enable-native-access=ALL-UNNAMED", "-Xms16m", "-Xmx128m", "-XX:+UseSerialGC",
                    "-cp", System.getProperty("java.class.path"), AfPacketAllocationCheck.class.getName(),
                    VethLink.DEV_A, VethLink.DEV_B)).redirectErrorStream(true).start();
            try {
                assertTrue(check.waitFor(120, TimeUnit.SECONDS), "allocation check finished");
                String output = new String(check.getInputStream().readAllBytes()).strip();
                assertEquals(0, check.exitValue(), output);
                assertEquals("bursts=0 idle=0", output);
            } finally {
                check.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }
}
