package io.nfchain.bench.idle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ControlLineTest {
    @Test
    void aLineRoundTripsAndReadsNumbers() {
        ControlLine line = ControlLine.of("RESULT").with("frames", 1200).with("rate", 1.5e7).with("empty", "")
                .with("spec", "adaptive:maxSleepNs=1,quietSleepNs=2");
        assertEquals("RESULT frames=1200 rate=1.5E7 empty= spec=adaptive:maxSleepNs=1,quietSleepNs=2", line.format());
        ControlLine back = ControlLine.parse(line.format());
        assertEquals(line, back);
        assertEquals(1200, back.longValue("frames"));
        assertEquals(1.5e7, back.doubleValue("rate"));
        assertEquals("", back.text("empty"));
        assertEquals("adaptive:maxSleepNs=1,quietSleepNs=2", back.text("spec"));
        assertEquals("BEGIN", ControlLine.parse("  BEGIN  ").word());
    }

    @Test
    void malformedLinesAndFieldsAreRejectedWithAReason() {
        assertThrows(IllegalArgumentException.class, () -> ControlLine.parse(""));
        assertThrows(IllegalArgumentException.class, () -> ControlLine.parse("a=b"));
        assertThrows(IllegalArgumentException.class, () -> ControlLine.parse("RUN strategy"));
        assertThrows(IllegalArgumentException.class, () -> ControlLine.parse("RUN =x"));
        assertThrows(IllegalArgumentException.class, () -> ControlLine.parse("RUN a=1 a=2"));
        ControlLine line = ControlLine.parse("COUNT sent=12x");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> line.longValue("sent"));
        assertTrue(e.getMessage().contains("sent"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> line.longValue("missing"));
        assertThrows(IllegalArgumentException.class, () -> line.doubleValue("sent"));
        assertThrows(IllegalArgumentException.class, () -> line.with("a b", 1));
        assertThrows(IllegalArgumentException.class, () -> line.with("a", "x y"));
    }

    @Test
    void randomFieldsRoundTripAndRandomTextNeverThrowsAnythingElse() {
        SplittableRandom random = new SplittableRandom(29);
        String alphabet = "ab=9 _:;,/-";
        for (int trial = 0; trial < 20_000; trial++) {
            Map<String, String> fields = new LinkedHashMap<>();
            for (int i = random.nextInt(6); i > 0; i--) {
                fields.put("k" + random.nextInt(100), Long.toString(random.nextLong()));
            }
            ControlLine line = new ControlLine("W" + random.nextInt(3), fields);
            assertEquals(line, ControlLine.parse(line.format()));

            StringBuilder text = new StringBuilder();
            for (int i = random.nextInt(20); i > 0; i--) {
                text.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            try {
                ControlLine parsed = ControlLine.parse(text.toString());
                assertEquals(parsed, ControlLine.parse(parsed.format()));
            } catch (IllegalArgumentException e) {
                assertTrue(e.getMessage().startsWith("control "), e.getMessage());
            }
        }
    }
}
