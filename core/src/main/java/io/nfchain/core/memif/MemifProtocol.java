package io.nfchain.core.memif;

/**
 * Constants of the memif protocol, version 2.0, as DPDK's {@code net_memif} and FD.io VPP
 * define them (see docs/memif.md for the sources checked).
 *
 * <p>Directions use the current names: C2S is client to server (called S2M, "slave to
 * master", in older sources), S2C is server to client (M2S).
 */
public final class MemifProtocol {
    /** Major 2, minor 0, as {@code (major << 8) | minor}. */
    public static final int VERSION = 0x0200;
    /** The first word of every ring; a ring without it is refused at CONNECT. */
    public static final int RING_COOKIE = 0x3E31F20;
    /** Bytes in every interface, application and socket name field, including the NUL. */
    public static final int NAME_BYTES = 32;
    /** Bytes in the INIT secret field, including the NUL. */
    public static final int SECRET_BYTES = 24;
    /** Bytes in the DISCONNECT reason field, including the NUL. */
    public static final int DISCONNECT_TEXT_BYTES = 96;

    /** Ring size, as log2 of the slot count: DPDK's default (1024 slots). */
    public static final int DEFAULT_LOG2_RING_SIZE = 10;
    /** The largest ring, as log2 of the slot count (16384 slots), as DPDK and VPP accept. */
    public static final int MAX_LOG2_RING_SIZE = 14;
    /** Bytes per packet buffer: DPDK's default. */
    public static final int DEFAULT_BUFFER_BYTES = 2048;

    /** INIT {@code mode}: Ethernet frames, the only mode nfchain speaks. */
    public static final int MODE_ETHERNET = 0;
    /** ADD_RING {@code flags} bit 0: the ring carries packets client to server. */
    public static final int ADD_RING_FLAG_C2S = 1;

    private MemifProtocol() {}
}
