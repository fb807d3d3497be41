package io.nfchain.bench.idle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class ProcStatTest {
    /** A task stat line with utime 1234 and stime 567, fields 3..52 as Linux 6 writes them. */
    private static String statLine(String comm) {
        return "4242 (" + comm + ") S 1 4242 4242 0 -1 4194560 1503 0 0 0 1234 567 0 0 20 0 23 0 1041 "
                + "3929456640 24617 18446744073709551615 1 1 0 0 0 0 4 0 16898 0 0 0 17 1 0 0 0 0 0 0 0 0 0 0 0 0 0";
    }

    @Test
    void utimeAndStimeAreCountedAfterTheLastParenthesis() {
        for (String comm : List.of("java", "idle-rx", "a b", "x) (y", ")", "((", "C2 CompilerThre")) {
            ProcStat.CpuTicks ticks = ProcStat.parseTaskStat(statLine(comm));
            assertEquals(1234, ticks.userTicks(), comm);
            assertEquals(567, ticks.systemTicks(), comm);
            assertEquals(1801, ticks.totalTicks());
        }
    }

    @Test
    void schedstatAndTheCpuLineParse() {
        ProcStat.SchedStat s = ProcStat.parseSchedStat("5424576 3006204 2\n");
        assertEquals(new ProcStat.SchedStat(5424576, 3006204, 2), s);
        assertEquals(new ProcStat.SchedStat(10, 20, 1), new ProcStat.SchedStat(15, 30, 3).minus(new ProcStat.SchedStat(5, 10, 2)));
        ProcStat.MachineTicks m = ProcStat.parseCpuLine("cpu  823946 0 164596 656376 1303 0 4195 7 0 0");
        assertEquals(823946 + 164596 + 656376 + 1303 + 4195 + 7, m.totalTicks());
        assertEquals(656376 + 1303, m.idleTicks());
        assertEquals(7, m.stealTicks());
        assertEquals(823946 + 164596 + 4195, m.busyTicks());
        assertEquals(10, ProcStat.parseCpuLine("cpu 1 2 3 4").totalTicks(), "old kernels write four counters");
    }

    @Test
    void thisThreadsOwnFilesParse() throws Exception {
        Path task = ProcStat.currentTaskDir();
        assertTrue(Files.isDirectory(task), task.toString());
        ProcStat.SchedStat s = ProcStat.readSchedStat(task);
        assertTrue(s.runNs() > 0 && s.waitNs() >= 0 && s.timeslices() > 0, s.toString());
        ProcStat.CpuTicks t = ProcStat.readTaskStat(task);
        assertTrue(t.userTicks() >= 0 && t.systemTicks() >= 0);
        ProcStat.MachineTicks m = ProcStat.readMachine();
        assertTrue(m.totalTicks() > m.idleTicks() && m.busyTicks() > 0, m.toString());
    }

    @Test
    void malformedLinesSayWhatIsWrong() {
        assertRejected(ProcStat::parseTaskStat, "", "no '(comm)'");
        assertRejected(ProcStat::parseTaskStat, "12 java) S", "no '(comm)'");
        assertRejected(ProcStat::parseTaskStat, "x (java) S 1 2", "pid");
        assertRejected(ProcStat::parseTaskStat, "12 (java) S 1 2 3", "fields after the comm");
        assertRejected(ProcStat::parseTaskStat, statLine("j").replace(" 1234 ", " -1234 "), "utime");
        assertRejected(ProcStat::parseTaskStat, statLine("j").replace(" 567 ", " 99999999999999999999 "), "stime");
        assertRejected(ProcStat::parseSchedStat, "1 2", "expected 3 numbers");
        assertRejected(ProcStat::parseSchedStat, "1 2 x", "timeslices");
        assertRejected(ProcStat::parseCpuLine, "cpu0 1 2 3 4", "must start with 'cpu '");
        assertRejected(ProcStat::parseCpuLine, "cpu 1 2", "at least");
        assertRejected(ProcStat::parseCpuLine, "cpu 9223372036854775807 9223372036854775807 1 1", "overflow");
    }

    private static void assertRejected(Function<String, ?> parser, String line, String reason) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> parser.apply(line), line);
        assertTrue(e.getMessage().contains(reason), e.getMessage());
    }

    /** Random damage to good lines: each either parses to non-negative figures or fails with a reason. */
    @Test
    void damagedLinesNeverThrowAnythingElse() {
        SplittableRandom random = new SplittableRandom(23);
        List<String> good = List.of(statLine("java"), statLine("a (b) c"), "5424576 3006204 2",
                "cpu  823946 0 164596 656376 1303 0 4195 0 0 0");
        List<Function<String, ?>> parsers = List.of(ProcStat::parseTaskStat, ProcStat::parseTaskStat,
                ProcStat::parseSchedStat, ProcStat::parseCpuLine);
        String alphabet = "0123456789 ()-+xS\t\n\u00e9";
        int parsed = 0;
        int rejected = 0;
        for (int trial = 0; trial < 200_000; trial++) {
            int which = random.nextInt(good.size());
            StringBuilder line = new StringBuilder(good.get(which));
            for (int m = 1 + random.nextInt(4); m > 0 && !line.isEmpty(); m--) {
                int at = random.nextInt(line.length());
                switch (random.nextInt(5)) {
                    case 0 -> line.setCharAt(at, alphabet.charAt(random.nextInt(alphabet.length())));
                    case 1 -> line.deleteCharAt(at);
                    case 2 -> line.insert(at, alphabet.charAt(random.nextInt(alphabet.length())));
                    case 3 -> line.setLength(at);
                    default -> line.insert(at, "99999999999999999999".substring(random.nextInt(20)));
                }
            }
            try {
                Object result = parsers.get(which).apply(line.toString());
                String text = result.toString();
                assertTrue(!text.contains("=-"), "negative figure from '" + line + "': " + text);
                parsed++;
            } catch (IllegalArgumentException e) {
                assertTrue(e.getMessage().startsWith("bad "), e.getMessage());
                rejected++;
            }
        }
        assertTrue(parsed > 10_000 && rejected > 10_000, "both outcomes exercised: " + parsed + " / " + rejected);
    }
}
