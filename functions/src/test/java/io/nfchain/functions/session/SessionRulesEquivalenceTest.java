package io.nfchain.functions.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.InvalidProtocolBufferException;
import io.nfchain.api.session.v1.ExhaustionAction;
import io.nfchain.api.session.v1.GateStatus;
import io.nfchain.api.session.v1.Qer;
import io.nfchain.api.session.v1.ReportingTrigger;
import io.nfchain.api.session.v1.Session;
import io.nfchain.api.session.v1.Urr;
import io.nfchain.functions.rules.InvalidRuleException;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The validator, rewritten for install speed (no maps, no streams, field paths spelled out only
 * for an error), says exactly what the one before it said ({@link SessionRulesBefore}): the same
 * model for a good session, the same message for a bad one, over random, mutated and corrupted
 * sessions.
 */
class SessionRulesEquivalenceTest {
    private static final String PATH = "changes[4].replace";

    @Test
    void randomAndMutatedSessionsGetTheSameAnswer() {
        Random random = new Random(17);
        int[] outcomes = new int[2];
        for (int i = 0; i < 30_000; i++) {
            RandomSessions sessions = new RandomSessions(random, i % 3 == 0 ? 0.0 : 0.05);
            Session s = sessions.session(1 + i, 1000, 0x0A000001, 0x20010DB800010000L);
            if (random.nextBoolean()) {
                s = mutate(s, random);
            }
            outcomes[same(s)]++;
        }
        assertTrue(outcomes[0] > 3000 && outcomes[1] > 3000, outcomes[0] + " valid, " + outcomes[1] + " invalid");
    }

    @Test
    void corruptedSessionsGetTheSameAnswer() {
        Random random = new Random(23);
        RandomSessions sessions = new RandomSessions(random, 0.0);
        int parsed = 0;
        for (int i = 0; i < 30_000; i++) {
            byte[] bytes = mutate(sessions.session(1 + i, 1000, 0x0A000001, 0x20010DB800010000L), random).toByteArray();
            for (int k = 0; k < 1 + random.nextInt(3); k++) {
                bytes[random.nextInt(bytes.length)] = (byte) random.nextInt();
            }
            try {
                same(Session.parseFrom(bytes));
                parsed++;
            } catch (InvalidProtocolBufferException e) {
                // not a session: nothing to validate
            }
        }
        assertTrue(parsed > 3000, "parsed " + parsed);
    }

    /** 0 when both accept it with equal models, 1 when both refuse it with one message; fails otherwise. */
    private static int same(Session s) {
        SessionModel expected = null;
        String expectedError = null;
        try {
            expected = SessionRulesBefore.validate(s, PATH);
        } catch (InvalidRuleException e) {
            expectedError = e.getMessage() + " @" + e.field();
        }
        try {
            SessionModel actual = SessionRules.validate(s, PATH);
            assertEquals(expected, actual, () -> "for " + s);
            return 0;
        } catch (InvalidRuleException e) {
            assertEquals(expectedError, e.getMessage() + " @" + e.field(), () -> "for " + s);
            return 1;
        }
    }

    /** One of the changes RandomSessions does not make: duplicates, triggers, redirects, gates, limits. */
    private static Session mutate(Session s, Random random) {
        Session.Builder b = s.toBuilder();
        switch (random.nextInt(10)) {
            case 0 -> b.addFars(b.getFars(random.nextInt(b.getFarsCount())));
            case 1 -> b.addQers(Qer.newBuilder().setId(1 + random.nextInt(3)).setGateUplink(GateStatus.forNumber(random.nextInt(2)))
                    .setMbrDownlinkBps(random.nextInt(3) - 1).setGbrDownlinkBps(random.nextInt(3)));
            case 2 -> b.addUrrs(urr(random));
            case 3 -> b.addPdrs(b.getPdrs(random.nextInt(b.getPdrsCount())));
            case 4 -> {
                for (int i = 0; i < 30 + random.nextInt(5); i++) {
                    b.addPdrs(b.getPdrs(0).toBuilder().setId(100 + i));
                }
            }
            case 5 -> b.setPdrs(0, b.getPdrs(0).toBuilder().addQerIds(random.nextInt(3)).addUrrIds(random.nextInt(3)));
            case 6 -> {
                for (int i = 0; i < 7 + random.nextInt(4); i++) {
                    b.setPdrs(0, b.getPdrs(0).toBuilder().addUrrIds(1));
                }
            }
            case 7 -> b.setPdrs(0, b.getPdrs(0).toBuilder().setPdi(b.getPdrs(0).getPdi().toBuilder()
                    .setUeIpv4(random.nextBoolean() ? "10.0.0.9" : "10.0.0").setUeIpv6(random.nextBoolean() ? "" : "2001:db8::9")));
            case 8 -> b.setFars(0, b.getFars(0).toBuilder().setId(random.nextInt(2)).setTransportDscp(random.nextInt(70)));
            default -> b.setSeid(random.nextInt(2));
        }
        return b.build();
    }

    private static Urr urr(Random random) {
        Urr.Builder u = Urr.newBuilder().setId(1 + random.nextInt(3)).setVolumeThresholdBytes(random.nextInt(3) - 1)
                .setVolumeQuotaBytes(random.nextInt(2)).setTimeQuotaS(random.nextInt(2)).setMeasurementPeriodS(random.nextInt(2));
        for (int k = 0; k < random.nextInt(4); k++) {
            u.addTriggersValue(random.nextInt(8));
        }
        if (random.nextBoolean()) {
            u.setExhaustionAction(ExhaustionAction.REDIRECT);
        }
        if (random.nextBoolean()) {
            u.setRedirectAddress(random.nextBoolean() ? "192.0.2.80" : "192.0.2.0/24");
        }
        return u.build();
    }
}
