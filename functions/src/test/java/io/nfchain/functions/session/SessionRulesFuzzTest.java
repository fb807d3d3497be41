package io.nfchain.functions.session;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.protobuf.InvalidProtocolBufferException;
import io.nfchain.api.session.v1.Session;
import io.nfchain.functions.rules.InvalidRuleException;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Random and corrupted sessions give a model or an error naming a field under the path, never another exception. */
class SessionRulesFuzzTest {
    @Test
    void randomSessionsValidateOrNameAField() {
        Random random = new Random(7);
        RandomSessions sessions = new RandomSessions(random, 0.05);
        int valid = 0;
        int invalid = 0;
        for (int i = 0; i < 20_000; i++) {
            Session s = sessions.session(1 + i, 1000, 0x0A000001, 0x20010DB800010000L);
            if (check(s)) {
                valid++;
            } else {
                invalid++;
            }
        }
        assertTrue(valid > 1000 && invalid > 1000, valid + " valid, " + invalid + " invalid");
    }

    @Test
    void corruptedBytesNeverThrowAnythingElse() {
        Random random = new Random(11);
        RandomSessions sessions = new RandomSessions(random, 0.0);
        int parsed = 0;
        for (int i = 0; i < 20_000; i++) {
            byte[] bytes = sessions.session(1 + i, 1000, 0x0A000001, 0x20010DB800010000L).toByteArray();
            for (int k = 0; k < 1 + random.nextInt(4); k++) {
                bytes[random.nextInt(bytes.length)] = (byte) random.nextInt();
            }
            if (random.nextInt(4) == 0) {
                bytes = java.util.Arrays.copyOf(bytes, random.nextInt(bytes.length));
            }
            Session s;
            try {
                s = Session.parseFrom(bytes);
            } catch (InvalidProtocolBufferException e) {
                continue;
            }
            parsed++;
            check(s);
        }
        assertTrue(parsed > 1000, "parsed " + parsed);
    }

    /** True when valid; a valid one also compiles and installs. */
    private static boolean check(Session s) {
        try {
            SessionModel m = SessionRules.validate(s, "changes[0].create");
            SessionTable table = SessionTable.withCapacity(4, null);
            CompiledSession c = table.create(m, null);
            assertTrue(c.pdrCount() == m.pdrs().size());
            return true;
        } catch (InvalidRuleException e) {
            assertTrue(e.getMessage().startsWith("changes[0].create."), e.getMessage());
            assertTrue(e.field().startsWith("changes[0].create."), e.field());
            return false;
        } catch (RuntimeException e) {
            fail("unexpected " + e + " for " + s, e);
            return false;
        }
    }
}
