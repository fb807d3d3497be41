package io.nfchain.functions.qos;

import static io.nfchain.functions.qos.Policers.GREEN;
import static io.nfchain.functions.qos.Policers.RED;
import static io.nfchain.functions.qos.Policers.YELLOW;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link Policers} against {@link ReferenceMeter} (the RFC text in exact arithmetic) on random
 * profiles, from 1 bit/s to 10 Tbit/s and from empty to 512 MiB bursts, with random packet
 * sizes and time steps (none, ns, hours, backwards); and the RFCs' conformance statements
 * checked on the policers alone.
 */
class PolicersPropertyTest {
    private static final int PROFILES = 3_000;
    private static final int PACKETS = 400;

    private record Profile(boolean twoRate, boolean aware, long cir, long cbs, long pir, long second) {
        void configure(Policers p, int slot) {
            if (twoRate) {
                p.configureTrTcm(slot, cir, cbs, pir, second, aware);
            } else {
                p.configureSrTcm(slot, cir, cbs, second, aware);
            }
        }

        ReferenceMeter reference() {
            return twoRate ? ReferenceMeter.trTcm(cir, cbs, pir, second, aware) : ReferenceMeter.srTcm(cir, cbs, second, aware);
        }

        long greenLimit(long elapsedNs) {
            return cbs * Policers.UNITS_PER_BYTE + cir * elapsedNs;
        }
    }

    @Test
    void colorsAndTokensMatchTheRfcReference() {
        SplittableRandom random = new SplittableRandom(2697_2698);
        Policers policers = new Policers(4);
        int colors[] = new int[3];
        for (int profile = 0; profile < PROFILES; profile++) {
            Profile pr = randomProfile(random);
            int slot = random.nextInt(4);
            pr.configure(policers, slot);
            ReferenceMeter ref = pr.reference();
            long now = random.nextLong(1L << 50);
            long typicalBytes = Math.max(1, Math.min(Math.max(pr.cbs, pr.second), 9_000));
            for (int k = 0; k < PACKETS; k++) {
                now += step(random, pr.cir, typicalBytes);
                int bytes = packetBytes(random, pr, typicalBytes);
                int pre = random.nextInt(3);
                int expected = ref.police(bytes, now, pre);
                int actual = policers.police(slot, bytes, now, pre);
                String where = pr + " packet " + k + " bytes " + bytes + " pre " + pre;
                assertEquals(expected, actual, where);
                colors[actual]++;
                assertEquals(ref.committedTokens(), BigInteger.valueOf(policers.committedTokens(slot)), where);
                if (pr.pir != Policers.UNLIMITED) {
                    assertEquals(ref.secondTokens(), BigInteger.valueOf(policers.secondTokens(slot)), where);
                }
            }
        }
        assertTrue(colors[GREEN] > 1000 && colors[YELLOW] > 1000 && colors[RED] > 1000,
                "every color was produced often: " + java.util.Arrays.toString(colors));
    }

    @Test
    void packetsLargerThanABucketNeverTakeItsColor() {
        SplittableRandom random = new SplittableRandom(11);
        Policers policers = new Policers(1);
        for (int profile = 0; profile < PROFILES; profile++) {
            Profile pr = randomProfile(random);
            pr.configure(policers, 0);
            long now = 0;
            for (int k = 0; k < PACKETS; k++) {
                now += step(random, pr.cir, 1500);
                int bytes = packetBytes(random, pr, 1500);
                int color = policers.police(0, bytes, now, random.nextInt(3));
                if (bytes > pr.cbs) {
                    assertNotEquals(GREEN, color, pr + ": a packet over CBS is never green");
                }
                if (!pr.twoRate && bytes > pr.second) {
                    assertNotEquals(YELLOW, color, pr + ": a packet over EBS is never yellow");
                }
                if (pr.twoRate && pr.pir != Policers.UNLIMITED && bytes > pr.second) {
                    assertEquals(RED, color, pr + ": a packet over PBS is always red");
                }
            }
        }
    }

    @Test
    void colorsStayWithinTheBucketsAndRates() {
        SplittableRandom random = new SplittableRandom(5);
        Policers policers = new Policers(1);
        for (int profile = 0; profile < 500; profile++) {
            Profile pr = randomProfile(random);
            if (pr.pir == Policers.UNLIMITED) {
                continue;
            }
            pr.configure(policers, 0);
            long start = random.nextLong(1L << 40);
            long now = start;
            BigInteger green = BigInteger.ZERO;
            BigInteger passed = BigInteger.ZERO;
            for (int k = 0; k < 2_000; k++) {
                now += random.nextInt(4) == 0 ? 0 : random.nextLong(1 + 8_000_000_000_000L / Math.max(1, pr.cir));
                int bytes = packetBytes(random, pr, Math.max(1, Math.min(pr.cbs + pr.second, 3000)));
                int color = policers.police(0, bytes, now, GREEN);
                BigInteger units = BigInteger.valueOf(bytes).multiply(BigInteger.valueOf(Policers.UNITS_PER_BYTE));
                if (color == GREEN) {
                    green = green.add(units);
                }
                if (color != RED) {
                    passed = passed.add(units);
                }
                BigInteger elapsed = BigInteger.valueOf(now - start);
                BigInteger greenMax = BigInteger.valueOf(pr.cbs * Policers.UNITS_PER_BYTE)
                        .add(BigInteger.valueOf(pr.cir).multiply(elapsed));
                BigInteger passMax = pr.twoRate
                        ? BigInteger.valueOf(pr.second * Policers.UNITS_PER_BYTE).add(BigInteger.valueOf(pr.pir).multiply(elapsed))
                        : greenMax.add(BigInteger.valueOf(pr.second * Policers.UNITS_PER_BYTE));
                assertTrue(green.compareTo(greenMax) <= 0, pr + ": green bytes within CBS + CIR x t");
                assertTrue(passed.compareTo(passMax) <= 0, pr + ": green + yellow within the second bucket's bound");
            }
        }
    }

    @Test
    void colorAwareNeverImprovesAColorAndColorBlindIgnoresIt() {
        SplittableRandom random = new SplittableRandom(99);
        Policers aware = new Policers(1);
        Policers blindA = new Policers(1);
        Policers blindB = new Policers(1);
        for (int profile = 0; profile < 1_000; profile++) {
            Profile pr = randomProfile(random);
            new Profile(pr.twoRate, true, pr.cir, pr.cbs, pr.pir, pr.second).configure(aware, 0);
            Profile blind = new Profile(pr.twoRate, false, pr.cir, pr.cbs, pr.pir, pr.second);
            blind.configure(blindA, 0);
            blind.configure(blindB, 0);
            long now = 0;
            for (int k = 0; k < PACKETS; k++) {
                now += step(random, pr.cir, 1500);
                int bytes = packetBytes(random, pr, 1500);
                int pre = random.nextInt(3);
                assertTrue(aware.police(0, bytes, now, pre) >= pre, pr + ": aware keeps or worsens the color");
                assertEquals(blindA.police(0, bytes, now, GREEN), blindB.police(0, bytes, now, pre),
                        pr + ": blind ignores the precolor");
            }
        }
    }

    @Test
    void refillsDoNotDriftHoweverTimeIsCut() {
        SplittableRandom random = new SplittableRandom(3);
        for (int profile = 0; profile < 300; profile++) {
            Profile pr = randomProfile(random);
            Policers often = new Policers(1);
            Policers once = new Policers(1);
            pr.configure(often, 0);
            pr.configure(once, 0);
            long now = 1_000;
            often.police(0, (int) Math.min(pr.cbs + pr.second, 100_000), now, GREEN);
            once.police(0, (int) Math.min(pr.cbs + pr.second, 100_000), now, GREEN);
            for (int k = 0; k < 10_000; k++) {
                now += random.nextInt(1_000);
                often.police(0, 0, now, GREEN);
            }
            once.police(0, 0, now, GREEN);
            assertEquals(once.committedTokens(0), often.committedTokens(0), pr + ": Tc after 10,000 small refills");
            assertEquals(once.secondTokens(0), often.secondTokens(0), pr + ": Te/Tp after 10,000 small refills");
        }
    }

    private static Profile randomProfile(SplittableRandom random) {
        boolean twoRate = random.nextBoolean();
        boolean aware = random.nextBoolean();
        long cir = rate(random);
        long cbs = burst(random);
        long second = burst(random);
        if (!twoRate) {
            if (cbs == 0 && second == 0) {
                second = 1500;
            }
            return new Profile(false, aware, cir, cbs, 0, second);
        }
        long pir = random.nextInt(10) == 0 ? Policers.UNLIMITED
                : Math.min(Policers.MAX_RATE_BPS, cir + (random.nextBoolean() ? 0 : rate(random)));
        if (second == 0) {
            second = 1 + random.nextInt(20_000);
        }
        if (cbs == 0 && random.nextBoolean()) {
            cir = 0;
        } else if (cbs == 0) {
            cbs = 64;
        }
        return new Profile(true, aware, cir, cbs, pir, second);
    }

    private static long rate(SplittableRandom random) {
        return switch (random.nextInt(6)) {
            case 0 -> 1 + random.nextInt(10_000);
            case 1 -> Policers.MAX_RATE_BPS - random.nextInt(1_000);
            case 2 -> 10_000_000_000L;
            default -> (long) Math.pow(10, 3 + random.nextDouble() * 8);
        };
    }

    private static long burst(SplittableRandom random) {
        return switch (random.nextInt(8)) {
            case 0 -> 0;
            case 1 -> Policers.MAX_BURST_BYTES - random.nextInt(2);
            case 2 -> 64 + random.nextInt(1500);
            default -> random.nextLong(1, 2_000_000);
        };
    }

    /** A time step: often none or a packet time at the committed rate, sometimes hours, sometimes back. */
    private static long step(SplittableRandom random, long rateBps, long typicalBytes) {
        long packetNs = Math.max(1, typicalBytes * 8_000_000_000L / Math.max(1, rateBps));
        return switch (random.nextInt(10)) {
            case 0 -> 0;
            case 1 -> -random.nextLong(1_000_000);
            case 2 -> random.nextLong(1, 1L << 43);
            case 3 -> 1;
            default -> random.nextLong(Math.min(packetNs * 2, 1L << 40) + 1);
        };
    }

    private static int packetBytes(SplittableRandom random, Profile pr, long typicalBytes) {
        return switch (random.nextInt(12)) {
            case 0 -> 0;
            case 1 -> (int) Math.max(0, pr.cbs + random.nextInt(3) - 1);
            case 2 -> (int) Math.max(0, pr.second + random.nextInt(3) - 1);
            case 3 -> 64 + random.nextInt(1437);
            default -> (int) (1 + random.nextLong(Math.max(1, typicalBytes)));
        };
    }
}
