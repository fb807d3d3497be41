package io.nfchain.functions.qos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** {@link QfiDscpMap}: the configuration form, its errors, and random text (parsed or refused, never anything else). */
class QfiDscpMapTest {
    private static final String P = "nfchain.qos.qfi-dscp";

    @Test
    void parsesPairs() {
        QfiDscpMap m = QfiDscpMap.parse(P, " 5=46, 9 = 0,63=63");
        assertEquals(46, m.dscp(5));
        assertEquals(0, m.dscp(9));
        assertEquals(63, m.dscp(63));
        assertEquals(QfiDscpMap.NONE, m.dscp(1));
        assertEquals(QfiDscpMap.NONE, m.dscp(-1));
        assertEquals(QfiDscpMap.NONE, m.dscp(64));
        assertEquals("5=46,9=0,63=63", m.toString());
        assertTrue(QfiDscpMap.parse(P, "").isEmpty());
        assertTrue(QfiDscpMap.EMPTY.isEmpty());
    }

    @Test
    void refusesBadEntriesNamingThem() {
        assertEquals(P + ": '5=64': DSCP must be 0..63", error("5=64"));
        assertEquals(P + ": '64=1': QFI must be 0..63", error("1=2,64=1"));
        assertEquals(P + ": '5': expected QFI=DSCP, e.g. 5=46", error("5"));
        assertEquals(P + ": '': expected QFI=DSCP, e.g. 5=46", error("5=1,"));
        assertEquals(P + ": '5=-1': DSCP must be a number 0..63", error("5=-1"));
        assertEquals(P + ": '5=4': QFI 5 is mapped twice", error("5=46,5=4"));
    }

    @Test
    void randomTextParsesOrIsRefusedWithTheProperty() {
        SplittableRandom random = new SplittableRandom(42);
        String alphabet = "0123456789=, -x6";
        int parsed = 0;
        for (int k = 0; k < 100_000; k++) {
            StringBuilder s = new StringBuilder();
            for (int n = random.nextInt(12); n > 0; n--) {
                s.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            try {
                QfiDscpMap m = QfiDscpMap.parse(P, s.toString());
                assertEquals(m.toString(), QfiDscpMap.parse(P, m.toString()).toString(), "round trip of " + s);
                parsed++;
            } catch (IllegalArgumentException e) {
                assertTrue(e.getMessage().startsWith(P + ": '"), e.getMessage());
            }
        }
        assertTrue(parsed > 100, "some random text parses: " + parsed);
    }

    private static String error(String text) {
        return assertThrows(IllegalArgumentException.class, () -> QfiDscpMap.parse(P, text)).getMessage();
    }
}
