package io.nfchain.core.dpdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * testpmd's output as DPDK 22.11 prints it, then the same blocks re-rendered with random
 * numbers, spacing, prompts and noise (property: the parse gives back the numbers), then
 * mutated at random (property: a result or a {@link TestPmdException}, nothing else).
 */
class TestPmdOutputTest {
    /** Captured from dpdk-testpmd 22.11 (Debian 12) through stdbuf -oL, prompts included. */
    private static final List<String> REAL = List.of(
            "testpmd> show port stats 0",
            "",
            "  ######################## NIC statistics for port 0  ########################",
            "  RX-packets: 36173856   RX-missed: 0          RX-bytes:  2315126784",
            "  RX-errors: 0",
            "  RX-nombuf:  0         ",
            "  TX-packets: 0          TX-errors: 0          TX-bytes:  0",
            "",
            "  Throughput (since last show)",
            "  Rx-pps:            0          Rx-bps:            0",
            "  Tx-pps:            0          Tx-bps:            0",
            "  ############################################################################",
            "testpmd> stop",
            "Telling cores to stop...",
            "Waiting for lcores to finish...",
            "",
            "  ---------------------- Forward statistics for port 0  ----------------------",
            "  RX-packets: 0              RX-dropped: 0             RX-total: 0",
            "  TX-packets: 44358336       TX-dropped: 1028832       TX-total: 45387168",
            "  ----------------------------------------------------------------------------",
            "",
            "  +++++++++++++++ Accumulated forward statistics for all ports+++++++++++++++",
            "  RX-packets: 0              RX-dropped: 0             RX-total: 0",
            "  TX-packets: 44358336       TX-dropped: 1028832       TX-total: 45387168",
            "  ++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++");

    private static final String[] NIC_KEYS = {"RX-packets", "RX-missed", "RX-bytes", "RX-errors", "RX-nombuf",
        "TX-packets", "TX-errors", "TX-bytes"};
    private static final String[] FORWARD_KEYS = {"RX-packets", "RX-dropped", "TX-packets", "TX-dropped"};

    @Test
    void readsTheCountersOfRealOutput() {
        assertEquals(new PortStats(0, 36173856, 0, 2315126784L, 0, 0, 0, 0, 0), TestPmdOutput.parsePortStats(REAL, 0));
        assertEquals(new ForwardStats(0, 0, 0, 44358336, 1028832), TestPmdOutput.parseForwardStats(REAL, 0));
    }

    @Test
    void recognisesHeadersRulesAndLinkStatus() {
        assertTrue(TestPmdOutput.isNicStatsHeader(REAL.get(2), 0));
        assertFalse(TestPmdOutput.isNicStatsHeader(REAL.get(2), 1));
        assertTrue(TestPmdOutput.isForwardStatsHeader("testpmd> " + REAL.get(16), 0));
        assertTrue(TestPmdOutput.isRule(REAL.get(11), '#'));
        assertTrue(TestPmdOutput.isRule("testpmd>   ----------------------", '-'));
        assertFalse(TestPmdOutput.isRule(REAL.get(16), '-'), "a header is not a rule");
        assertFalse(TestPmdOutput.isRule("  -----", '-'), "too short for a rule");
        assertEquals(Boolean.TRUE, TestPmdOutput.linkUp("Link status: up"));
        assertEquals(Boolean.FALSE, TestPmdOutput.linkUp("testpmd> Link status: down"));
        assertNull(TestPmdOutput.linkUp("Link speed: 100 Gbps"));
        assertThrows(TestPmdException.class, () -> TestPmdOutput.linkUp("Link status: sideways"));
    }

    @Test
    void saysWhatIsWrongWithABadBlock() {
        assertMessage("no 'NIC statistics for port 1' block", () -> TestPmdOutput.parsePortStats(REAL, 1));
        assertMessage("no closing rule", () -> TestPmdOutput.parsePortStats(REAL.subList(0, 8), 0));
        List<String> missing = new ArrayList<>(REAL);
        missing.set(4, "  RX-oops: 0");
        assertMessage("missing RX-errors", () -> TestPmdOutput.parsePortStats(missing, 0));
        List<String> twice = new ArrayList<>(REAL);
        twice.set(4, "  RX-errors: 0  RX-errors: 1");
        assertMessage("RX-errors appears twice", () -> TestPmdOutput.parsePortStats(twice, 0));
        List<String> notCount = new ArrayList<>(REAL);
        notCount.set(3, "  RX-packets: 36x73856   RX-missed: 0          RX-bytes:  2315126784");
        assertMessage("RX-packets is not a count", () -> TestPmdOutput.parsePortStats(notCount, 0));
        List<String> huge = new ArrayList<>(REAL);
        huge.set(4, "  RX-errors: 9999999999999999999");
        assertMessage("RX-errors exceeds 2^63 - 1", () -> TestPmdOutput.parsePortStats(huge, 0));
        List<String> negative = new ArrayList<>(REAL);
        negative.set(4, "  RX-errors: -1");
        assertMessage("RX-errors is not a count", () -> TestPmdOutput.parsePortStats(negative, 0));
    }

    @Test
    void renderedBlocksWithRandomNumbersSpacingAndNoiseParseBack() {
        SplittableRandom random = new SplittableRandom(0x7e57_9d0L);
        for (int round = 0; round < 5_000; round++) {
            int port = random.nextInt(4);
            long[] nic = randomCounts(random, NIC_KEYS.length);
            long[] fwd = randomCounts(random, FORWARD_KEYS.length);
            List<String> lines = new ArrayList<>();
            noise(random, lines);
            if (random.nextBoolean()) { // another port's blocks first: must not be taken
                render(random, lines, "NIC statistics for port " + (port + 1), '#', NIC_KEYS, randomCounts(random, 8));
                render(random, lines, "Forward statistics for port " + (port + 1), '-', FORWARD_KEYS, randomCounts(random, 4));
            }
            render(random, lines, "NIC statistics for port " + port, '#', NIC_KEYS, nic);
            noise(random, lines);
            render(random, lines, "Forward statistics for port " + port, '-', FORWARD_KEYS, fwd);
            noise(random, lines);
            String context = "round " + round + ": " + String.join("\n", lines);
            assertEquals(new PortStats(port, nic[0], nic[1], nic[2], nic[3], nic[4], nic[5], nic[6], nic[7]),
                    TestPmdOutput.parsePortStats(lines, port), context);
            assertEquals(new ForwardStats(port, fwd[0], fwd[1], fwd[2], fwd[3]),
                    TestPmdOutput.parseForwardStats(lines, port), context);
        }
    }

    @Test
    void mutatedOutputGivesAResultOrTheOneExceptionNeverAnotherThrowable() {
        SplittableRandom random = new SplittableRandom(0xf022_ed0L);
        int parsed = 0;
        int refused = 0;
        for (int round = 0; round < 10_000; round++) {
            List<String> lines = new ArrayList<>(REAL);
            int mutations = 1 + random.nextInt(4);
            for (int m = 0; m < mutations; m++) {
                mutate(random, lines);
            }
            for (int kind = 0; kind < 2; kind++) {
                try {
                    if (kind == 0) {
                        TestPmdOutput.parsePortStats(lines, 0);
                    } else {
                        TestPmdOutput.parseForwardStats(lines, 0);
                    }
                    parsed++;
                } catch (TestPmdException e) {
                    refused++;
                } catch (Throwable t) {
                    fail("round " + round + " threw " + t + " for:\n" + String.join("\n", lines), t);
                }
            }
            for (String line : lines) {
                try {
                    TestPmdOutput.linkUp(line);
                    TestPmdOutput.isRule(line, '#');
                    TestPmdOutput.isNicStatsHeader(line, 0);
                } catch (TestPmdException e) {
                    refused++;
                }
            }
        }
        assertTrue(parsed > 1_000 && refused > 1_000, "both outcomes are exercised: " + parsed + " / " + refused);
    }

    private static long[] randomCounts(SplittableRandom random, int n) {
        long[] counts = new long[n];
        for (int i = 0; i < n; i++) {
            counts[i] = switch (random.nextInt(4)) {
                case 0 -> 0;
                case 1 -> Long.MAX_VALUE - random.nextInt(3);
                case 2 -> random.nextLong(1_000);
                default -> random.nextLong(Long.MAX_VALUE);
            };
        }
        return counts;
    }

    /** One block as testpmd lays it out, with random spacing, line breaks and prompt prefixes. */
    private static void render(SplittableRandom random, List<String> lines, String title, char rule, String[] keys,
            long[] counts) {
        String bar = String.valueOf(rule).repeat(5 + random.nextInt(25));
        lines.add(prompt(random) + "  " + bar + " " + title + " ".repeat(1 + random.nextInt(3)) + bar);
        StringBuilder line = new StringBuilder(prompt(random) + " ".repeat(random.nextInt(4)));
        for (int i = 0; i < keys.length; i++) {
            line.append(keys[i]).append(':').append(" ".repeat(1 + random.nextInt(10))).append(counts[i]);
            if (random.nextInt(3) == 0) {
                lines.add(line.append(" ".repeat(random.nextInt(12))).toString());
                line = new StringBuilder(prompt(random) + "  ");
            } else {
                line.append(" ".repeat(1 + random.nextInt(12)));
            }
        }
        lines.add(line.toString());
        if (random.nextBoolean()) {
            lines.add("  Rx-pps:  " + random.nextInt(1 << 20) + "   Rx-bps:  " + random.nextLong(1L << 40));
        }
        lines.add(prompt(random) + "  " + String.valueOf(rule).repeat(10 + random.nextInt(70)));
    }

    private static String prompt(SplittableRandom random) {
        return random.nextInt(5) == 0 ? TestPmdOutput.PROMPT : "";
    }

    private static void noise(SplittableRandom random, List<String> lines) {
        String[] samples = {"", "Telling cores to stop...", "testpmd> ", "Port 0: link state change event",
            "  RX-packets: 12 RX-dropped: 3", "  ++++++++++++++++++++++++++++++", "Checking link statuses...",
            "Link status: up", "  ########"};
        for (int i = random.nextInt(4); i > 0; i--) {
            lines.add(samples[random.nextInt(samples.length)]);
        }
    }

    private static void mutate(SplittableRandom random, List<String> lines) {
        if (lines.isEmpty()) {
            lines.add("");
        }
        int at = random.nextInt(lines.size());
        String line = lines.get(at);
        switch (random.nextInt(7)) {
            case 0 -> lines.remove(at);
            case 1 -> lines.add(at, line);
            case 2 -> lines.subList(at, lines.size()).clear();
            case 3 -> lines.set(at, line.isEmpty() ? line : line.substring(0, random.nextInt(line.length())));
            case 4 -> { // replace a character, often a digit by a letter or a sign
                if (!line.isEmpty()) {
                    char[] chars = line.toCharArray();
                    String replacements = "x-9:# \u00e9\t0";
                    chars[random.nextInt(chars.length)] = replacements.charAt(random.nextInt(replacements.length()));
                    lines.set(at, new String(chars));
                }
            }
            case 5 -> { // insert digits: counts that grow past 2^63
                int pos = line.isEmpty() ? 0 : random.nextInt(line.length());
                lines.set(at, line.substring(0, pos) + "9".repeat(1 + random.nextInt(20)) + line.substring(pos));
            }
            default -> {
                char[] chars = new char[random.nextInt(40)];
                for (int i = 0; i < chars.length; i++) {
                    chars[i] = (char) random.nextInt(0x20, 0x7f);
                }
                lines.add(at, new String(chars));
            }
        }
    }

    private static void assertMessage(String expected, org.junit.jupiter.api.function.Executable call) {
        TestPmdException e = assertThrows(TestPmdException.class, call);
        assertTrue(e.getMessage().contains(expected), "'" + e.getMessage() + "' should say '" + expected + "'");
    }
}
