package io.nfchain.core.packet;

import java.lang.foreign.MemorySegment;

/**
 * IPv4 header (RFC 791), 20 bytes plus options.
 *
 * <pre>
 *  0       4       8              16    19                 31
 * +-------+-------+--------------+-----+-------------------+
 * |version|  IHL  |   TOS/DSCP   |      total length       |  0
 * +-------+-------+--------------+-----+-------------------+
 * |        identification        |flags| fragment offset   |  4
 * +---------------+--------------+-----+-------------------+
 * |      TTL      |   protocol   |    header checksum      |  8
 * +---------------+--------------+-------------------------+
 * |                    source address                      | 12
 * |                  destination address                   | 16
 * |                 options (IHL > 5) ...                  | 20
 * +--------------------------------------------------------+
 * </pre>
 */
public final class Ipv4Header extends HeaderView {
    public static final int MIN_LENGTH = 20;
    public static final int TTL = 8;
    public static final int CHECKSUM = 10;
    public static final int SRC = 12;
    public static final int DST = 16;
    public static final int FLAG_DONT_FRAGMENT = 0x4000;
    public static final int FLAG_MORE_FRAGMENTS = 0x2000;

    public Ipv4Header wrap(MemorySegment segment, long offset) {
        bind(segment, offset);
        return this;
    }

    public int version() {
        return u8(0) >>> 4;
    }

    /** Header length in bytes (IHL x 4). */
    public int headerLength() {
        return (u8(0) & 0xF) << 2;
    }

    /** Sets version 4 and the IHL for a header of {@code bytes} bytes (a multiple of 4, 20..60). */
    public Ipv4Header headerLength(int bytes) {
        put8(0, 0x40 | (bytes >>> 2));
        return this;
    }

    public int tos() {
        return u8(1);
    }

    public Ipv4Header tos(int tos) {
        put8(1, tos);
        return this;
    }

    public int dscp() {
        return u8(1) >>> 2;
    }

    public int ecn() {
        return u8(1) & 3;
    }

    /**
     * Sets the DSCP (0..63), keeping the ECN bits, and patches the header checksum incrementally
     * (RFC 1624), as a marker does per packet: no pass over the header.
     */
    public Ipv4Header markDscp(int dscp) {
        int oldWord = u16(0);
        int newWord = (oldWord & 0xFF03) | (dscp & 0x3F) << 2;
        put16(0, newWord);
        put16(CHECKSUM, Checksums.update16(u16(CHECKSUM), oldWord, newWord));
        return this;
    }

    public int totalLength() {
        return u16(2);
    }

    public Ipv4Header totalLength(int bytes) {
        put16(2, bytes);
        return this;
    }

    public int identification() {
        return u16(4);
    }

    public Ipv4Header identification(int id) {
        put16(4, id);
        return this;
    }

    /** The 16-bit flags and fragment offset word. */
    public int fragmentWord() {
        return u16(6);
    }

    public Ipv4Header fragmentWord(int word) {
        put16(6, word);
        return this;
    }

    public boolean dontFragment() {
        return (u16(6) & FLAG_DONT_FRAGMENT) != 0;
    }

    public boolean moreFragments() {
        return (u16(6) & FLAG_MORE_FRAGMENTS) != 0;
    }

    /** Fragment offset in bytes. */
    public int fragmentOffset() {
        return (u16(6) & 0x1FFF) << 3;
    }

    public int ttl() {
        return u8(TTL);
    }

    public Ipv4Header ttl(int ttl) {
        put8(TTL, ttl);
        return this;
    }

    public int protocol() {
        return u8(9);
    }

    public Ipv4Header protocol(int protocol) {
        put8(9, protocol);
        return this;
    }

    public int checksum() {
        return u16(CHECKSUM);
    }

    public Ipv4Header checksum(int checksum) {
        put16(CHECKSUM, checksum);
        return this;
    }

    public int src() {
        return u32(SRC);
    }

    public Ipv4Header src(int address) {
        put32(SRC, address);
        return this;
    }

    public int dst() {
        return u32(DST);
    }

    public Ipv4Header dst(int address) {
        put32(DST, address);
        return this;
    }

    /** Recomputes and stores the header checksum over {@link #headerLength()} bytes. */
    public Ipv4Header updateChecksum() {
        put16(CHECKSUM, 0);
        put16(CHECKSUM, Checksums.ipv4Header(segment, offset));
        return this;
    }

    /** True when the stored header checksum is right. */
    public boolean checksumValid() {
        return Checksums.fold(Checksums.sum(segment, offset, headerLength(), 0)) == 0xFFFF;
    }

    /**
     * Decrements the TTL and patches the header checksum incrementally (RFC 1624), as a
     * router does per packet: no pass over the header.
     */
    public Ipv4Header decrementTtl() {
        int oldWord = u16(TTL);
        int newWord = oldWord - 0x100;
        put16(TTL, newWord);
        put16(CHECKSUM, Checksums.update16(u16(CHECKSUM), oldWord, newWord));
        return this;
    }

    /** Walks the options: their count (a no-operation counts), or -1 when an option length is bad. */
    public int optionCount() {
        int n = 0;
        int end = headerLength();
        for (int at = MIN_LENGTH; at < end; ) {
            int type = u8(at);
            if (type == 0) {
                break;
            }
            if (type == 1) {
                at++;
                n++;
                continue;
            }
            if (end - at < 2 || u8(at + 1) < 2 || u8(at + 1) > end - at) {
                return -1;
            }
            at += u8(at + 1);
            n++;
        }
        return n;
    }
}
