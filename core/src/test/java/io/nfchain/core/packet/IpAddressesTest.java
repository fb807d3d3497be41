package io.nfchain.core.packet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class IpAddressesTest {
    @Test
    void everyAddressRoundTrips() {
        Random random = new Random(3);
        for (int i = 0; i < 100_000; i++) {
            int address = random.nextInt();
            assertEquals(address, IpAddresses.parseIpv4(IpAddresses.ipv4ToString(address)));
        }
        assertEquals(0, IpAddresses.parseIpv4("0.0.0.0"));
        assertEquals(-1, IpAddresses.parseIpv4("255.255.255.255"));
        assertEquals(0x0A000001, IpAddresses.parseIpv4("010.0.00.001"));
    }

    @Test
    void anythingButFourGroupsOfDigitsIsRefused() {
        for (String bad : new String[] {"", ".", "1.2.3", "1.2.3.4.", ".1.2.3.4", "1..2.3", "1.2.3.4.5", "256.0.0.1",
            "1.2.3.999", "1.2.3.0001", "1.2.3.-4", "1.2.3.4/32", " 1.2.3.4", "1.2.3.4 ", "a.b.c.d", "1.2.3.\u0664",
            "::1"}) {
            assertThrows(IllegalArgumentException.class, () -> IpAddresses.parseIpv4(bad), bad);
        }
    }

    /**
     * Random strings shaped like addresses (groups of digits; now and then too many groups, too
     * long or not digits): the parser agrees with a plain reading of the rule.
     */
    @Test
    void randomTextAgreesWithTheRule() {
        Random random = new Random(5);
        char[] alphabet = "0123456789x".toCharArray();
        int valid = 0;
        for (int i = 0; i < 200_000; i++) {
            StringBuilder text = new StringBuilder();
            int groups = random.nextInt(8) == 0 ? random.nextInt(7) : 4;
            for (int g = 0; g < groups; g++) {
                text.append(g > 0 ? "." : "");
                int length = random.nextInt(8) == 0 ? random.nextInt(6) : 1 + random.nextInt(3);
                for (int k = 0; k < length; k++) {
                    text.append(alphabet[random.nextInt(random.nextInt(16) == 0 ? alphabet.length : 10)]);
                }
            }
            String s = text.toString();
            Integer expected = byTheRule(s);
            if (expected == null) {
                assertThrows(IllegalArgumentException.class, () -> IpAddresses.parseIpv4(s), s);
            } else {
                assertEquals(expected, IpAddresses.parseIpv4(s), s);
                valid++;
            }
        }
        assertTrue(valid > 10_000 && valid < 190_000, valid + " valid");
    }

    private static Integer byTheRule(String s) {
        String[] parts = s.split("\\.", -1);
        if (parts.length != 4) {
            return null;
        }
        int address = 0;
        for (String p : parts) {
            if (!p.matches("[0-9]{1,3}") || Integer.parseInt(p) > 255) {
                return null;
            }
            address = address << 8 | Integer.parseInt(p);
        }
        return address;
    }
}
