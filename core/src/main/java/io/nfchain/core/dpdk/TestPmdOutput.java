package io.nfchain.core.dpdk;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Stateless, thread-safe: reads what {@code dpdk-testpmd} (DPDK 22.11) prints in interactive
 * mode. Its output is text for people, so the rules are lenient where layout varies and strict
 * where numbers are concerned:
 * <ul>
 *   <li>A block is found by its header line ({@code NIC statistics for port N}, {@code Forward
 *       statistics for port N}) anywhere in a line, since the prompt {@code testpmd> }, written
 *       without a newline, often prefixes the next line; it ends at a rule line of {@code #} or
 *       {@code -} characters.
 *   <li>Fields are {@code KEY: VALUE} pairs in any order and spacing; unknown keys are ignored.
 *   <li>Every field a record needs must appear exactly once, as a decimal count that fits a
 *       signed 64-bit long. Anything else is a {@link TestPmdException} that names the field;
 *       nothing else is ever thrown.
 * </ul>
 *
 * <pre>
 *   ######################## NIC statistics for port 0  ########################
 *   RX-packets: 36173856   RX-missed: 0          RX-bytes:  2315126784
 *   RX-errors: 0
 *   RX-nombuf:  0
 *   TX-packets: 0          TX-errors: 0          TX-bytes:  0
 *   ...
 *   ############################################################################
 *
 *   ---------------------- Forward statistics for port 0  ----------------------
 *   RX-packets: 0              RX-dropped: 0             RX-total: 0
 *   TX-packets: 0              TX-dropped: 0             TX-total: 0
 *   ----------------------------------------------------------------------------
 * </pre>
 */
public final class TestPmdOutput {
    static final String PROMPT = "testpmd> ";
    private static final Pattern NIC_HEADER = Pattern.compile("#+\\s*NIC statistics for port (\\d{1,5})\\s*#+");
    private static final Pattern FORWARD_HEADER = Pattern.compile("-+\\s*Forward statistics for port (\\d{1,5})\\s*-+");
    private static final Pattern FIELD = Pattern.compile("(?<![A-Za-z-])([A-Za-z]+-[A-Za-z]+):\\s*(\\S*)");
    private static final Pattern LINK_STATUS = Pattern.compile("Link status:\\s*(\\S+)");
    private static final int MIN_RULE_CHARS = 10;
    private static final int MAX_COUNT_DIGITS = 19;

    private static final List<String> NIC_FIELDS = List.of("RX-packets", "RX-missed", "RX-bytes", "RX-errors",
            "RX-nombuf", "TX-packets", "TX-errors", "TX-bytes");
    private static final List<String> FORWARD_FIELDS = List.of("RX-packets", "RX-dropped", "TX-packets", "TX-dropped");

    private TestPmdOutput() {}

    /** Whether {@code line} opens the {@code show port stats} block of {@code port}. */
    public static boolean isNicStatsHeader(String line, int port) {
        return headerPort(NIC_HEADER, line) == port;
    }

    /** Whether {@code line} opens the block {@code stop} prints for {@code port}. */
    public static boolean isForwardStatsHeader(String line, int port) {
        return headerPort(FORWARD_HEADER, line) == port;
    }

    /** Whether {@code line} is a rule of {@code c} ({@code '#'} or {@code '-'}) that closes a block. */
    public static boolean isRule(String line, char c) {
        String s = withoutPrompt(line).strip();
        if (s.length() < MIN_RULE_CHARS) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) != c) {
                return false;
            }
        }
        return true;
    }

    /**
     * The counters of the first complete {@code NIC statistics for port N} block in
     * {@code lines} (lines before it are skipped).
     *
     * @throws TestPmdException when there is no such block, it has no closing rule, or a
     *     field is missing, repeated or not a count
     */
    public static PortStats parsePortStats(List<String> lines, int port) {
        Map<String, Long> f = fields(block(lines, NIC_HEADER, port, '#', "NIC statistics"), NIC_FIELDS,
                "NIC statistics for port " + port);
        return new PortStats(port, f.get("RX-packets"), f.get("RX-missed"), f.get("RX-bytes"), f.get("RX-errors"),
                f.get("RX-nombuf"), f.get("TX-packets"), f.get("TX-errors"), f.get("TX-bytes"));
    }

    /**
     * The counters of the first complete {@code Forward statistics for port N} block in
     * {@code lines}.
     *
     * @throws TestPmdException as {@link #parsePortStats}
     */
    public static ForwardStats parseForwardStats(List<String> lines, int port) {
        Map<String, Long> f = fields(block(lines, FORWARD_HEADER, port, '-', "Forward statistics"), FORWARD_FIELDS,
                "Forward statistics for port " + port);
        return new ForwardStats(port, f.get("RX-packets"), f.get("RX-dropped"), f.get("TX-packets"), f.get("TX-dropped"));
    }

    /**
     * Whether the {@code Link status:} line of {@code show port info} says {@code up}, or null
     * when {@code line} is not that line.
     *
     * @throws TestPmdException when it is that line but says neither up nor down
     */
    public static Boolean linkUp(String line) {
        Matcher m = LINK_STATUS.matcher(line);
        if (!m.find()) {
            return null;
        }
        return switch (m.group(1)) {
            case "up" -> Boolean.TRUE;
            case "down" -> Boolean.FALSE;
            default -> throw new TestPmdException("link status neither up nor down: '" + line.strip() + "'");
        };
    }

    static String withoutPrompt(String line) {
        String s = line;
        while (s.startsWith(PROMPT)) {
            s = s.substring(PROMPT.length());
        }
        return s;
    }

    private static int headerPort(Pattern header, String line) {
        Matcher m = header.matcher(line);
        return m.find() ? Integer.parseInt(m.group(1)) : -1; // at most 5 digits: always parses
    }

    /** The lines after the header of {@code port} up to (without) the closing rule. */
    private static List<String> block(List<String> lines, Pattern header, int port, char rule, String what) {
        int start = -1;
        for (int i = 0; i < lines.size() && start < 0; i++) {
            if (headerPort(header, lines.get(i)) == port) {
                start = i + 1;
            }
        }
        if (start < 0) {
            throw new TestPmdException("no '" + what + " for port " + port + "' block in " + lines.size() + " lines");
        }
        for (int i = start; i < lines.size(); i++) {
            if (isRule(lines.get(i), rule)) {
                return lines.subList(start, i);
            }
        }
        throw new TestPmdException("'" + what + " for port " + port + "' block has no closing rule of '" + rule + "'");
    }

    private static Map<String, Long> fields(List<String> body, List<String> wanted, String what) {
        Map<String, Long> found = new HashMap<>();
        for (String line : body) {
            Matcher m = FIELD.matcher(line);
            while (m.find()) {
                String key = m.group(1);
                if (!wanted.contains(key)) {
                    continue;
                }
                long value = count(key, m.group(2), what);
                if (found.putIfAbsent(key, value) != null) {
                    throw new TestPmdException(what + ": " + key + " appears twice");
                }
            }
        }
        List<String> missing = new ArrayList<>();
        for (String key : wanted) {
            if (!found.containsKey(key)) {
                missing.add(key);
            }
        }
        if (!missing.isEmpty()) {
            throw new TestPmdException(what + ": missing " + String.join(", ", missing));
        }
        return found;
    }

    private static long count(String key, String text, String what) {
        boolean digits = !text.isEmpty() && text.length() <= MAX_COUNT_DIGITS;
        for (int i = 0; i < text.length() && digits; i++) {
            digits = text.charAt(i) >= '0' && text.charAt(i) <= '9';
        }
        if (!digits) {
            throw new TestPmdException(what + ": " + key + " is not a count of at most " + MAX_COUNT_DIGITS
                    + " digits: '" + text + "'");
        }
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) { // 19 digits may still exceed 2^63 - 1
            throw new TestPmdException(what + ": " + key + " exceeds 2^63 - 1: '" + text + "'");
        }
    }
}
