package io.nfchain.functions.qos;

import java.math.BigInteger;

/**
 * Not thread-safe. The three color markers as RFC 2697 and RFC 2698 state them, written
 * straight from the text with no care for speed or overflow: tokens are exact rationals (bytes,
 * kept as BigInteger numerators over 8 * 10^9 so a bit/s rate times a ns interval is whole),
 * buckets start full, each packet first adds rate x elapsed time (srTCM: to Tc up to CBS, the
 * rest to Te up to EBS; trTCM: to Tc up to CBS and to Tp up to PBS), then the RFC's if/else
 * decides and takes tokens. A time earlier than the last one adds nothing.
 */
final class ReferenceMeter {
    private static final BigInteger PER_BYTE = BigInteger.valueOf(8_000_000_000L);

    private final boolean twoRate;
    private final boolean colorAware;
    private final boolean peakUnlimited;
    private final BigInteger cir;
    private final BigInteger pir;
    private final BigInteger cbs;
    private final BigInteger second;
    private BigInteger tc;
    private BigInteger te;
    private Long lastNs;

    private ReferenceMeter(boolean twoRate, boolean colorAware, long cirBps, long pirBps, long cbsBytes, long secondBytes) {
        this.twoRate = twoRate;
        this.colorAware = colorAware;
        this.peakUnlimited = pirBps == Policers.UNLIMITED;
        this.cir = BigInteger.valueOf(cirBps);
        this.pir = BigInteger.valueOf(pirBps);
        this.cbs = BigInteger.valueOf(cbsBytes).multiply(PER_BYTE);
        this.second = BigInteger.valueOf(secondBytes).multiply(PER_BYTE);
        this.tc = cbs;
        this.te = second;
    }

    static ReferenceMeter srTcm(long cirBps, long cbsBytes, long ebsBytes, boolean colorAware) {
        return new ReferenceMeter(false, colorAware, cirBps, 0, cbsBytes, ebsBytes);
    }

    static ReferenceMeter trTcm(long cirBps, long cbsBytes, long pirBps, long pbsBytes, boolean colorAware) {
        return new ReferenceMeter(true, colorAware, cirBps, pirBps, cbsBytes, pbsBytes);
    }

    int police(long bytes, long nowNs, int precolor) {
        advance(nowNs);
        BigInteger b = BigInteger.valueOf(bytes).multiply(PER_BYTE);
        int pre = colorAware ? precolor : Policers.GREEN;
        return twoRate ? trTcm(b, pre) : srTcm(b, pre);
    }

    private void advance(long nowNs) {
        if (lastNs != null && nowNs > lastNs) {
            BigInteger elapsed = BigInteger.valueOf(nowNs).subtract(BigInteger.valueOf(lastNs));
            if (twoRate) {
                tc = tc.add(cir.multiply(elapsed)).min(cbs);
                te = peakUnlimited ? second : te.add(pir.multiply(elapsed)).min(second);
            } else {
                BigInteger added = cir.multiply(elapsed);
                BigInteger toC = added.min(cbs.subtract(tc));
                tc = tc.add(toC);
                te = te.add(added.subtract(toC)).min(second);
            }
        }
        if (lastNs == null || nowNs > lastNs) {
            lastNs = nowNs;
        }
    }

    // RFC 2697 section 3.2.
    private int srTcm(BigInteger b, int pre) {
        if (pre == Policers.GREEN && tc.compareTo(b) >= 0) {
            tc = tc.subtract(b);
            return Policers.GREEN;
        }
        if ((pre == Policers.GREEN || pre == Policers.YELLOW) && te.compareTo(b) >= 0) {
            te = te.subtract(b);
            return Policers.YELLOW;
        }
        return Policers.RED;
    }

    // RFC 2698 section 3.
    private int trTcm(BigInteger b, int pre) {
        if (pre == Policers.RED || (!peakUnlimited && te.compareTo(b) < 0)) {
            return Policers.RED;
        }
        if (pre == Policers.YELLOW || tc.compareTo(b) < 0) {
            te = te.subtract(b);
            return Policers.YELLOW;
        }
        te = te.subtract(b);
        tc = tc.subtract(b);
        return Policers.GREEN;
    }

    BigInteger committedTokens() {
        return tc;
    }

    BigInteger secondTokens() {
        return te;
    }
}
