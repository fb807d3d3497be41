package io.nfchain.controller.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nfchain.api.v1alpha1.Patterns;
import java.util.Random;
import org.junit.jupiter.api.Test;

class NamesTest {
    private static final String LABEL = "[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?";
    private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789-";

    private static String dnsLabel(Random rnd, int maxLength) {
        int n = 1 + rnd.nextInt(maxLength);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            char c = ALPHABET.charAt(rnd.nextInt(ALPHABET.length()));
            sb.append(i == 0 || i == n - 1 ? (c == '-' ? 'x' : c) : c);
        }
        return sb.toString();
    }

    @Test
    void instanceAndEntryNamesAreDnsLabelsAndSpecNamesWhateverTheInputs() {
        Random rnd = new Random(7);
        for (int i = 0; i < 5_000; i++) {
            String ns = dnsLabel(rnd, 63);
            String chain = dnsLabel(rnd, 63);
            String fn = dnsLabel(rnd, 63);
            int hop = rnd.nextInt(16);
            String hash = Names.hash5(ns + chain + fn + hop);
            String instance = Names.instance(chain, hop, fn, hash);
            assertTrue(instance.length() <= 63 && instance.matches(LABEL), instance);
            assertTrue(instance.matches(Patterns.SPEC_NAME), instance);
            assertTrue(instance.endsWith("-" + hash));
            assertEquals(instance, Names.instance(chain, hop, fn, hash));
            String entry = Names.chainEntry(ns, chain);
            assertTrue(entry.length() <= 63 && entry.matches(Patterns.SPEC_NAME), entry);
        }
    }

    @Test
    void shortNamesStayReadable() {
        assertEquals("web-0-acl-abcde", Names.instance("web", 0, "acl", "abcde"));
        assertEquals("tenant-a.web", Names.chainEntry("tenant-a", "web"));
        assertEquals(5, Names.hash5("x").length());
        assertNotEquals(Names.hash5("a"), Names.hash5("b"));
    }
}
