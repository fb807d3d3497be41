package io.nfchain.core.packet;

import java.lang.foreign.MemorySegment;

/**
 * TCP header (RFC 9293), 20 bytes plus options.
 *
 * <pre>
 * +-----------------+-----------------+
 * |   source port   | destination port|  0
 * +-----------------+-----------------+
 * |          sequence number          |  4
 * |       acknowledgment number       |  8
 * +----+---+--------+-----------------+
 * |doff|res| flags  |     window      | 12    flags: NS CWR ECE URG ACK PSH RST SYN FIN
 * +----+---+--------+-----------------+
 * |    checksum     | urgent pointer  | 16
 * +-----------------+-----------------+
 * | options: kind(1) [length(1) data] | 20    kind 0 end, 1 no-op; others carry a length
 * +-----------------------------------+
 * </pre>
 */
public final class TcpHeader extends HeaderView {
    public static final int MIN_LENGTH = 20;
    public static final int CHECKSUM = 16;
    public static final int FIN = 0x01;
    public static final int SYN = 0x02;
    public static final int RST = 0x04;
    public static final int PSH = 0x08;
    public static final int ACK = 0x10;
    public static final int URG = 0x20;
    public static final int ECE = 0x40;
    public static final int CWR = 0x80;
    public static final int OPTION_END = 0;
    public static final int OPTION_NOP = 1;
    public static final int OPTION_MSS = 2;
    public static final int OPTION_WINDOW_SCALE = 3;
    public static final int OPTION_SACK_PERMITTED = 4;
    public static final int OPTION_SACK = 5;
    public static final int OPTION_TIMESTAMPS = 8;

    public TcpHeader wrap(MemorySegment segment, long offset) {
        bind(segment, offset);
        return this;
    }

    public int srcPort() {
        return u16(0);
    }

    public TcpHeader srcPort(int port) {
        put16(0, port);
        return this;
    }

    public int dstPort() {
        return u16(2);
    }

    public TcpHeader dstPort(int port) {
        put16(2, port);
        return this;
    }

    public int sequence() {
        return u32(4);
    }

    public TcpHeader sequence(int seq) {
        put32(4, seq);
        return this;
    }

    public int acknowledgment() {
        return u32(8);
    }

    public TcpHeader acknowledgment(int ack) {
        put32(8, ack);
        return this;
    }

    /** Header length in bytes (data offset x 4). */
    public int headerLength() {
        return (u8(12) >>> 4) << 2;
    }

    /** Flags, 9 bits (NS is bit 8). */
    public int flags() {
        return u16(12) & 0x1FF;
    }

    /** Writes the data offset for a {@code headerBytes} header and the 9 flag bits. */
    public TcpHeader headerLengthAndFlags(int headerBytes, int flags) {
        put16(12, (headerBytes >>> 2) << 12 | (flags & 0x1FF));
        return this;
    }

    public int window() {
        return u16(14);
    }

    public TcpHeader window(int window) {
        put16(14, window);
        return this;
    }

    public int checksum() {
        return u16(CHECKSUM);
    }

    public TcpHeader checksum(int checksum) {
        put16(CHECKSUM, checksum);
        return this;
    }

    public int urgentPointer() {
        return u16(18);
    }

    public TcpHeader urgentPointer(int pointer) {
        put16(18, pointer);
        return this;
    }

    /**
     * Offset (from this header) of the first option of {@code kind}, -1 when absent, or
     * {@link #MALFORMED_OPTIONS} when an option length is under 2 or runs past the header.
     */
    public int findOption(int kind) {
        int end = headerLength();
        for (int at = MIN_LENGTH; at < end; ) {
            int k = u8(at);
            if (k == OPTION_END) {
                return -1;
            }
            if (k == OPTION_NOP) {
                at++;
                continue;
            }
            if (end - at < 2 || u8(at + 1) < 2 || u8(at + 1) > end - at) {
                return MALFORMED_OPTIONS;
            }
            if (k == kind) {
                return at;
            }
            at += u8(at + 1);
        }
        return -1;
    }

    /** Returned by {@link #findOption} when the options cannot be walked. */
    public static final int MALFORMED_OPTIONS = -2;

    /** True when every option has a length of at least 2 that stays inside the header. */
    public boolean optionsWellFormed() {
        return findOption(256) != MALFORMED_OPTIONS; // kind 256 never matches: walks them all
    }

    /** Maximum segment size option, or -1. */
    public int mss() {
        int at = findOption(OPTION_MSS);
        return at >= 0 && u8(at + 1) == 4 ? u16(at + 2) : -1;
    }

    /** Window scale shift count, or -1. */
    public int windowScale() {
        int at = findOption(OPTION_WINDOW_SCALE);
        return at >= 0 && u8(at + 1) == 3 ? u8(at + 2) : -1;
    }

    public boolean sackPermitted() {
        return findOption(OPTION_SACK_PERMITTED) >= 0;
    }

    /** Timestamp value (TSval) as an unsigned 32-bit int, or 0 when absent; see {@link #hasTimestamps()}. */
    public int timestampValue() {
        int at = findOption(OPTION_TIMESTAMPS);
        return at >= 0 && u8(at + 1) == 10 ? u32(at + 2) : 0;
    }

    /** Timestamp echo reply (TSecr), or 0 when absent. */
    public int timestampEcho() {
        int at = findOption(OPTION_TIMESTAMPS);
        return at >= 0 && u8(at + 1) == 10 ? u32(at + 6) : 0;
    }

    public boolean hasTimestamps() {
        int at = findOption(OPTION_TIMESTAMPS);
        return at >= 0 && u8(at + 1) == 10;
    }

    /**
     * Writes the options a Linux SYN carries, in its order (MSS, SACK-permitted, timestamps, NOP,
     * window scale): 20 bytes at offset 20. Set the header length to 40.
     */
    public TcpHeader synOptions(int mss, int tsVal, int tsEcr, int windowShift) {
        put8(20, OPTION_MSS);
        put8(21, 4);
        put16(22, mss);
        put8(24, OPTION_SACK_PERMITTED);
        put8(25, 2);
        put8(26, OPTION_TIMESTAMPS);
        put8(27, 10);
        put32(28, tsVal);
        put32(32, tsEcr);
        put8(36, OPTION_NOP);
        put8(37, OPTION_WINDOW_SCALE);
        put8(38, 3);
        put8(39, windowShift);
        return this;
    }
}
