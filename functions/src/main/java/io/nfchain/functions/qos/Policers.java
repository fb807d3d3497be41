package io.nfchain.functions.qos;

/**
 * Not thread-safe: one owner (the worker) configures, meters and resets. A fixed number of
 * two-bucket policers, each either a single rate three color marker (srTCM, RFC 2697) or a two
 * rate three color marker (trTCM, RFC 2698), color-blind or color-aware, kept in one flat
 * {@code long[]}: a policer is an int slot, eight longs (one cache line) wide, and metering a
 * packet touches that line and nothing else. Nothing here allocates after construction.
 *
 * <pre>
 * slot * 8 + 0  flags: kind (srTCM / trTCM), color-aware, peak unlimited
 *          + 1  time of the last refill, ns (NEVER after a reset: buckets full)
 *          + 2  committed rate, bit/s (srTCM: CIR, trTCM: CIR)
 *          + 3  peak rate, bit/s (trTCM: PIR; srTCM: unused)
 *          + 4  committed bucket size, token units (CBS)
 *          + 5  second bucket size, token units (srTCM: EBS, trTCM: PBS)
 *          + 6  committed bucket tokens (Tc)
 *          + 7  second bucket tokens (srTCM: Te, trTCM: Tp)
 * </pre>
 *
 * <p>Tokens are counted in units of 10^-9 bit ({@link #UNITS_PER_BYTE} per byte), so a rate in
 * bit/s times an interval in ns is an exact number of units: refills never round, and any
 * number of short intervals add up to exactly what one long interval would (no drift). The
 * buckets are the RFCs' continuous form: RFC 2697's "incremented by one CIR times per second"
 * read as a steady flow. A refill whose product would overflow a long fills the buckets
 * (such an interval is longer than any bucket takes to fill: bursts are at most
 * {@link #MAX_BURST_BYTES}, so two full buckets stay below 2^63 units).
 *
 * <p>Metering is split so a packet under several policers can be decided by all of them before
 * any takes its tokens: {@link #meter} refills and answers a color, {@link #commit} takes the
 * tokens that color takes under the RFC, {@link #charge} takes them from a policer whose color
 * was overruled (into debt if need be). {@link #police} is the RFC's meter in one call.
 */
public final class Policers {
    public static final int GREEN = 0;
    public static final int YELLOW = 1;
    public static final int RED = 2;

    /** Token units per byte: 8 bits of 10^9 units each. */
    public static final long UNITS_PER_BYTE = 8_000_000_000L;
    /** The largest CBS, EBS or PBS: 512 MiB (0.43 s at 10 Gbit/s). */
    public static final long MAX_BURST_BYTES = 1L << 29;
    /** The largest CIR or PIR: 10 Tbit/s. */
    public static final long MAX_RATE_BPS = 10_000_000_000_000L;
    /** A PIR that never colors red: the peak bucket is not kept. */
    public static final long UNLIMITED = Long.MAX_VALUE;

    private static final int STRIDE = 8;
    private static final int FLAGS = 0;
    private static final int LAST = 1;
    private static final int CIR = 2;
    private static final int PIR = 3;
    private static final int C_SIZE = 4;
    private static final int E_SIZE = 5;
    private static final int C_TOKENS = 6;
    private static final int E_TOKENS = 7;

    private static final long KIND_NONE = 0;
    private static final long KIND_SRTCM = 1;
    private static final long KIND_TRTCM = 2;
    private static final long KIND_MASK = 3;
    private static final long COLOR_AWARE = 4;
    private static final long PEAK_UNLIMITED = 8;
    private static final long NEVER = Long.MIN_VALUE;

    private final long[] state;
    private final int capacity;

    /** @param capacity the number of slots, 1 .. 2^28 (64 bytes each) */
    public Policers(int capacity) {
        if (capacity < 1 || capacity > 1 << 28) {
            throw new IllegalArgumentException("policer capacity must be 1..2^28: " + capacity);
        }
        this.capacity = capacity;
        this.state = new long[capacity * STRIDE];
    }

    public int capacity() {
        return capacity;
    }

    /**
     * Makes {@code slot} an srTCM (RFC 2697) with full buckets. At least one of the bursts must
     * be nonzero (RFC 2697 section 2); both should be at least the largest packet expected.
     */
    public void configureSrTcm(int slot, long cirBps, long cbsBytes, long ebsBytes, boolean colorAware) {
        checkRate("CIR", cirBps);
        checkBurst("CBS", cbsBytes);
        checkBurst("EBS", ebsBytes);
        if (cbsBytes == 0 && ebsBytes == 0) {
            throw new IllegalArgumentException("srTCM: CBS and EBS cannot both be 0");
        }
        set(slot, KIND_SRTCM | (colorAware ? COLOR_AWARE : 0), cirBps, 0, cbsBytes, ebsBytes);
    }

    /**
     * Makes {@code slot} a trTCM (RFC 2698) with full buckets. PIR must be at least CIR and PBS
     * nonzero; {@code pirBps} may be {@link #UNLIMITED} (nothing is red). Unlike RFC 2698, CBS
     * may be 0 when CIR is 0: a policer with no committed rate, where nothing is green.
     */
    public void configureTrTcm(int slot, long cirBps, long cbsBytes, long pirBps, long pbsBytes, boolean colorAware) {
        checkRate("CIR", cirBps);
        if (pirBps != UNLIMITED) {
            checkRate("PIR", pirBps);
        }
        checkBurst("CBS", cbsBytes);
        checkBurst("PBS", pbsBytes);
        if (pirBps < cirBps) {
            throw new IllegalArgumentException("trTCM: PIR " + pirBps + " is below CIR " + cirBps);
        }
        if (pbsBytes == 0 || (cbsBytes == 0 && cirBps != 0)) {
            throw new IllegalArgumentException("trTCM: PBS must be > 0, and CBS too unless CIR is 0");
        }
        long flags = KIND_TRTCM | (colorAware ? COLOR_AWARE : 0) | (pirBps == UNLIMITED ? PEAK_UNLIMITED : 0);
        set(slot, flags, cirBps, pirBps == UNLIMITED ? 0 : pirBps, cbsBytes, pbsBytes);
    }

    /**
     * Changes the rates and sizes of a configured trTCM and keeps its tokens (capped at the new
     * sizes): a rule modified in place goes on where it was. Configures a fresh one otherwise.
     */
    public void reconfigureTrTcm(int slot, long cirBps, long cbsBytes, long pirBps, long pbsBytes, boolean colorAware) {
        int at = base(slot);
        if ((state[at + FLAGS] & KIND_MASK) != KIND_TRTCM) {
            configureTrTcm(slot, cirBps, cbsBytes, pirBps, pbsBytes, colorAware);
            return;
        }
        long last = state[at + LAST];
        long c = state[at + C_TOKENS];
        long p = state[at + E_TOKENS];
        configureTrTcm(slot, cirBps, cbsBytes, pirBps, pbsBytes, colorAware);
        state[at + LAST] = last;
        state[at + C_TOKENS] = Math.min(c, state[at + C_SIZE]);
        state[at + E_TOKENS] = Math.min(p, state[at + E_SIZE]);
    }

    /** Forgets {@code slot}'s profile: it meters everything green until configured again. */
    public void clear(int slot) {
        int at = base(slot);
        for (int i = 0; i < STRIDE; i++) {
            state[at + i] = 0;
        }
        state[at + LAST] = NEVER;
    }

    /** Fills {@code slot}'s buckets, as when it was configured. */
    public void reset(int slot) {
        int at = base(slot);
        state[at + LAST] = NEVER;
        state[at + C_TOKENS] = state[at + C_SIZE];
        state[at + E_TOKENS] = state[at + E_SIZE];
    }

    public boolean isConfigured(int slot) {
        return (state[base(slot) + FLAGS] & KIND_MASK) != KIND_NONE;
    }

    /** The RFC meter in one call: {@link #meter} then {@link #commit}. Returns the color. */
    public int police(int slot, int bytes, long nowNs, int precolor) {
        int color = meter(slot, bytes, nowNs, precolor);
        commit(slot, bytes, color);
        return color;
    }

    /** Reads policer {@code slot}'s line, to warm the cache before a burst; the value means nothing. */
    long touch(int slot) {
        return slot >= 0 && slot < capacity ? state[base(slot) + FLAGS] : 0;
    }

    /**
     * Refills {@code slot}'s buckets up to {@code nowNs} and answers the color a packet of
     * {@code bytes} gets, taking no tokens. {@code precolor} counts only when color-aware. A time
     * before the last refill counts as the last refill (no tokens, no going back). An
     * unconfigured slot answers green.
     */
    public int meter(int slot, int bytes, long nowNs, int precolor) {
        long[] s = state;
        int at = base(slot);
        long flags = s[at + FLAGS];
        long kind = flags & KIND_MASK;
        if (kind == KIND_NONE) {
            return GREEN;
        }
        long last = s[at + LAST];
        if (nowNs > last) {
            long elapsedNs = last == NEVER ? 0 : nowNs - last;
            s[at + LAST] = nowNs;
            if (elapsedNs > 0) {
                refill(s, at, kind, elapsedNs);
            }
        }
        long need = units(bytes);
        int pre = (flags & COLOR_AWARE) != 0 ? precolor : GREEN;
        return kind == KIND_SRTCM ? srTcmColor(s, at, need, pre) : trTcmColor(s, at, need, pre, flags);
    }

    private static void refill(long[] s, int at, long kind, long elapsedNs) {
        long cRate = s[at + CIR];
        long cRoom = s[at + C_SIZE] - s[at + C_TOKENS];
        long cAdd = cRate * elapsedNs;
        boolean cOverflow = Math.multiplyHigh(cRate, elapsedNs) != 0 || cAdd < 0;
        if (kind == KIND_SRTCM) {
            // Tokens beyond CBS flow on into the excess bucket (RFC 2697 section 3.1).
            if (!cOverflow && cAdd <= cRoom) {
                s[at + C_TOKENS] += cAdd;
                return;
            }
            s[at + C_TOKENS] = s[at + C_SIZE];
            long spill = cAdd - cRoom;
            long eRoom = s[at + E_SIZE] - s[at + E_TOKENS];
            s[at + E_TOKENS] = !cOverflow && spill <= eRoom ? s[at + E_TOKENS] + spill : s[at + E_SIZE];
            return;
        }
        s[at + C_TOKENS] = !cOverflow && cAdd <= cRoom ? s[at + C_TOKENS] + cAdd : s[at + C_SIZE];
        long pRate = s[at + PIR];
        long pRoom = s[at + E_SIZE] - s[at + E_TOKENS];
        long pAdd = pRate * elapsedNs;
        boolean pOverflow = Math.multiplyHigh(pRate, elapsedNs) != 0 || pAdd < 0;
        s[at + E_TOKENS] = !pOverflow && pAdd <= pRoom ? s[at + E_TOKENS] + pAdd : s[at + E_SIZE];
    }

    /** RFC 2697 section 3.2, blind and aware: green from Tc, else yellow from Te, else red. */
    private static int srTcmColor(long[] s, int at, long need, int pre) {
        if (pre == GREEN && s[at + C_TOKENS] >= need) {
            return GREEN;
        }
        if (pre != RED && s[at + E_TOKENS] >= need) {
            return YELLOW;
        }
        return RED;
    }

    /** RFC 2698 section 3, blind and aware: red unless Tp holds the packet, yellow unless Tc does too. */
    private static int trTcmColor(long[] s, int at, long need, int pre, long flags) {
        if (pre == RED || ((flags & PEAK_UNLIMITED) == 0 && s[at + E_TOKENS] < need)) {
            return RED;
        }
        if (pre == YELLOW || s[at + C_TOKENS] < need) {
            return YELLOW;
        }
        return GREEN;
    }

    /**
     * Takes the tokens a packet of {@code bytes} colored {@code color} by {@link #meter} (with no
     * other metering of this slot between) takes: srTCM green from Tc, yellow from Te; trTCM
     * green from Tc and Tp, yellow from Tp; red nothing.
     */
    public void commit(int slot, int bytes, int color) {
        long[] s = state;
        int at = base(slot);
        long kind = s[at + FLAGS] & KIND_MASK;
        long need = units(bytes);
        if (color == RED || kind == KIND_NONE) {
            return;
        }
        if (kind == KIND_SRTCM) {
            s[at + (color == GREEN ? C_TOKENS : E_TOKENS)] -= need;
            return;
        }
        long flags = s[at + FLAGS];
        if ((flags & PEAK_UNLIMITED) == 0) {
            s[at + E_TOKENS] -= need;
        }
        if (color == GREEN) {
            s[at + C_TOKENS] -= need;
        }
    }

    /**
     * Takes a packet's bytes from every bucket {@code slot} would take them from had the packet
     * been green, for a packet forwarded although this policer (metered with {@link #meter} just
     * before) colored it yellow or red: its bytes still count against this policer's rates. A
     * bucket may go into debt, down to minus its size, which later refills pay back first, so
     * what passes the policer in all stays within its rates.
     */
    public void charge(int slot, int bytes) {
        long[] s = state;
        int at = base(slot);
        long kind = s[at + FLAGS] & KIND_MASK;
        long need = units(bytes);
        if (kind == KIND_NONE) {
            return;
        }
        s[at + C_TOKENS] = Math.max(-s[at + C_SIZE], s[at + C_TOKENS] - need);
        if (kind == KIND_TRTCM && (s[at + FLAGS] & PEAK_UNLIMITED) == 0) {
            s[at + E_TOKENS] = Math.max(-s[at + E_SIZE], s[at + E_TOKENS] - need);
        }
    }

    /** Tc in bytes, rounded down (for tests and listings). */
    public long committedTokensBytes(int slot) {
        return state[base(slot) + C_TOKENS] / UNITS_PER_BYTE;
    }

    /** Te (srTCM) or Tp (trTCM) in bytes, rounded down. */
    public long secondTokensBytes(int slot) {
        return state[base(slot) + E_TOKENS] / UNITS_PER_BYTE;
    }

    /** Tc in token units (10^-9 bit), exact. */
    long committedTokens(int slot) {
        return state[base(slot) + C_TOKENS];
    }

    /** Te or Tp in token units, exact. */
    long secondTokens(int slot) {
        return state[base(slot) + E_TOKENS];
    }

    private void set(int slot, long flags, long cirBps, long pirBps, long cbsBytes, long secondBytes) {
        int at = base(slot);
        long[] s = state;
        s[at + FLAGS] = flags;
        s[at + LAST] = NEVER;
        s[at + CIR] = cirBps;
        s[at + PIR] = pirBps;
        s[at + C_SIZE] = cbsBytes * UNITS_PER_BYTE;
        s[at + E_SIZE] = secondBytes * UNITS_PER_BYTE;
        s[at + C_TOKENS] = s[at + C_SIZE];
        s[at + E_TOKENS] = s[at + E_SIZE];
    }

    /** A packet's size in token units; sizes past any bucket are cut to one byte more (still too big). */
    private static long units(int bytes) {
        return Math.min(Math.max(bytes, 0), MAX_BURST_BYTES + 1) * UNITS_PER_BYTE;
    }

    private int base(int slot) {
        if (slot < 0 || slot >= capacity) {
            throw new IndexOutOfBoundsException("policer slot " + slot + " of " + capacity);
        }
        return slot * STRIDE;
    }

    private static void checkRate(String name, long bps) {
        if (bps < 0 || bps > MAX_RATE_BPS) {
            throw new IllegalArgumentException(name + " must be 0.." + MAX_RATE_BPS + " bit/s: " + bps);
        }
    }

    private static void checkBurst(String name, long bytes) {
        if (bytes < 0 || bytes > MAX_BURST_BYTES) {
            throw new IllegalArgumentException(name + " must be 0.." + MAX_BURST_BYTES + " bytes: " + bytes);
        }
    }
}
