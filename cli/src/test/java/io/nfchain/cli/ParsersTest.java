package io.nfchain.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The CLI's two small parsers: agent addresses and durations. Fixed cases, round trips, and random text. */
class ParsersTest {
    @Test
    void addresses() {
        assertEquals(new AgentAddress("localhost", 9190), AgentAddress.parse("localhost:9190"));
        assertEquals(new AgentAddress("node-1.example", 9190), AgentAddress.parse("node-1.example"));
        assertEquals(new AgentAddress("10.0.0.1", 1), AgentAddress.parse("10.0.0.1:1"));
        assertEquals(new AgentAddress("::1", 65535), AgentAddress.parse("[::1]:65535"));
        assertEquals(new AgentAddress("fe80::1%eth0", 9190), AgentAddress.parse("[fe80::1%eth0]"));
        assertEquals("[::1]:7", AgentAddress.parse("[::1]:7").toString());
        for (String bad : new String[] {"", " ", ":9190", "host:", "host:0", "host:65536", "host:12345678", "host:x",
                "::1", "[::1", "[::1]x", "[]:1", "ho st:1", "host:-1", "host/x:1"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AgentAddress.parse(bad), bad);
            assertTrue(e.getMessage() != null && !e.getMessage().isBlank());
        }
    }

    @Test
    void addressesRoundTripAndRandomTextOnlyEverGetsARefusal() {
        Random random = new Random(11);
        String alphabet = "ab0:[]%.-_ /9x\u00e9";
        for (int i = 0; i < 50_000; i++) {
            AgentAddress a = new AgentAddress(random.nextBoolean() ? "h" + random.nextInt(1000) + ".local"
                    : "fd00::" + Integer.toHexString(random.nextInt(0xffff)), 1 + random.nextInt(65535));
            assertEquals(a, AgentAddress.parse(a.toString()));
            StringBuilder text = new StringBuilder();
            for (int n = random.nextInt(12); n > 0; n--) {
                text.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            try {
                AgentAddress parsed = AgentAddress.parse(text.toString());
                assertTrue(parsed.port() >= 1 && parsed.port() <= 65535 && !parsed.host().isEmpty(), text.toString());
            } catch (IllegalArgumentException expected) {
                assertTrue(expected.getMessage().length() > 5);
            }
        }
    }

    @Test
    void durations() {
        assertEquals(Duration.ofMillis(500), Durations.parse("500ms"));
        assertEquals(Duration.ofSeconds(1), Durations.parse("1s"));
        assertEquals(Duration.ofMinutes(2), Durations.parse("2m"));
        assertEquals(Duration.ofHours(24), Durations.parse("24h"));
        for (String bad : new String[] {"", "s", "1", "1.5s", "-1s", "0s", "25h", "1 s", "1sec", "9999999999ms", "1S"}) {
            assertThrows(IllegalArgumentException.class, () -> Durations.parse(bad), bad);
        }
        assertEquals("1s", Durations.format(Duration.ofSeconds(1)));
        assertEquals("1500ms", Durations.format(Duration.ofMillis(1500)));
        assertEquals("2m", Durations.format(Duration.ofMinutes(2)));
    }

    @Test
    void durationsRoundTripAndRandomTextOnlyEverGetsARefusal() {
        Random random = new Random(13);
        String alphabet = "0123456789msh -.";
        for (int i = 0; i < 50_000; i++) {
            Duration d = Duration.ofMillis(1 + random.nextLong(Durations.MAX.toMillis()));
            assertEquals(d, Durations.parse(Durations.format(d)));
            StringBuilder text = new StringBuilder();
            for (int n = random.nextInt(8); n > 0; n--) {
                text.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            try {
                Duration parsed = Durations.parse(text.toString());
                assertTrue(!parsed.isNegative() && !parsed.isZero() && parsed.compareTo(Durations.MAX) <= 0);
            } catch (IllegalArgumentException expected) {
                assertTrue(expected.getMessage().contains("'" + text + "'"), expected.getMessage());
            }
        }
    }
}
