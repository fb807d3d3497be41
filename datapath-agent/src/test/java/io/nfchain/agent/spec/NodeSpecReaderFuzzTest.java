package io.nfchain.agent.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Mutated node files: each is read, or refused with a {@link SpecException} that names a field
 * or the document; nothing else escapes (no NullPointerException, no Jackson exception, no hang).
 */
class NodeSpecReaderFuzzTest {
    private static final String[] TOKENS = {"{", "}", "[", "]", ":", ",", "-", "\n", " ", "'", "\"", "&a", "*a",
        "!!binary", "null", "~", "0", "-1", "99999999999999999999", "1.5", "true", "ports", "chains", "hops",
        "type", "gen", "sink", "memif", "pcap", "name", "egressPort", "ingressPort", "10.0.0.0/8", "::/0",
        "fail-open", "vlan", "match", "protocol", "udp", "80-90", "#", "\t", "\u0000", "é"};

    @Test
    void mutatedSpecsAreReadOrRefusedWithAReason() {
        SplittableRandom random = new SplittableRandom(20261127);
        int refused = 0;
        int read = 0;
        for (int round = 0; round < 5_000; round++) {
            StringBuilder doc = new StringBuilder(NodeSpecReaderTest.GOOD);
            int edits = 1 + random.nextInt(4);
            for (int e = 0; e < edits; e++) {
                int at = random.nextInt(doc.length() + 1);
                switch (random.nextInt(3)) {
                    case 0 -> doc.insert(at, TOKENS[random.nextInt(TOKENS.length)]);
                    case 1 -> doc.delete(at, Math.min(doc.length(), at + 1 + random.nextInt(8)));
                    default -> {
                        if (at < doc.length()) {
                            doc.setCharAt(at, (char) (32 + random.nextInt(95)));
                        }
                    }
                }
            }
            try {
                NodeSpecReader.parse(doc.toString(), Path.of("/run/nfchain"));
                read++;
            } catch (SpecException e) {
                refused++;
                if (e.getMessage() == null || e.getMessage().isBlank()) {
                    fail("refusal without a message for:\n" + doc);
                }
            } catch (RuntimeException | StackOverflowError e) {
                fail("'" + e + "' for:\n" + doc, e);
            }
        }
        assertEquals(5_000, read + refused);
        // Both outcomes must occur, or the mutations are not exercising the reader.
        if (read == 0 || refused == 0) {
            fail("read " + read + ", refused " + refused);
        }
    }
}
