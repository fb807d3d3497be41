package io.nfchain.core.memif;

/**
 * The memif control message: 128 bytes, a 16-bit type then one packed body, in host byte
 * order (little-endian on x86_64), sent as one {@code SOCK_SEQPACKET} message.
 *
 * <pre>
 *  0      2                                                                         128
 *  +------+--------------------------------------------------------------------------+
 *  | type | body (packed, no padding), zero-filled to 128 bytes                      |
 *  +------+--------------------------------------------------------------------------+
 *
 *  HELLO (server -> client), body 43 bytes
 *   2         34          36          38          40           42           44   45
 *   | name[32] | min_ver u16| max_ver u16| max_region | max_c2s_ring| max_s2c_ring| max_log2 u8 |
 *
 *  INIT (client -> server), body 63 bytes
 *   2           4        8        9            33         65
 *   | version u16| id u32 | mode u8| secret[24] | name[32] |
 *
 *  ADD_REGION (client -> server, memfd in SCM_RIGHTS), body 10 bytes
 *   2          4          12
 *   | index u16| size u64 |
 *
 *  ADD_RING (client -> server, eventfd in SCM_RIGHTS), body 13 bytes
 *   2          4          6           8           12          13                15
 *   | flags u16| index u16| region u16| offset u32| log2 u8    | private_hdr u16 |
 *
 *  CONNECT (client -> server) and CONNECTED (server -> client), body 32 bytes
 *   2             34
 *   | if_name[32] |
 *
 *  DISCONNECT (either way), body 100 bytes
 *   2         6            102
 *   | code u32| text[96]   |
 * </pre>
 *
 * <p>Every name and text field is NUL-terminated inside its width. The maxima in HELLO are
 * highest indexes, not counts. Offsets below are from the start of the message.
 */
public final class MemifMessageLayout {
    /** Every message is exactly this long; anything else is refused. */
    public static final int MESSAGE_BYTES = 128;
    public static final long TYPE_OFFSET = 0;
    public static final long BODY_OFFSET = 2;

    /** Message types. */
    public static final int TYPE_ACK = 1;
    public static final int TYPE_HELLO = 2;
    public static final int TYPE_INIT = 3;
    public static final int TYPE_ADD_REGION = 4;
    public static final int TYPE_ADD_RING = 5;
    public static final int TYPE_CONNECT = 6;
    public static final int TYPE_CONNECTED = 7;
    public static final int TYPE_DISCONNECT = 8;

    public static final long HELLO_NAME_OFFSET = 2;
    public static final long HELLO_MIN_VERSION_OFFSET = 34;
    public static final long HELLO_MAX_VERSION_OFFSET = 36;
    public static final long HELLO_MAX_REGION_OFFSET = 38;
    public static final long HELLO_MAX_C2S_RING_OFFSET = 40;
    public static final long HELLO_MAX_S2C_RING_OFFSET = 42;
    public static final long HELLO_MAX_LOG2_RING_SIZE_OFFSET = 44;
    public static final int HELLO_BODY_BYTES = 43;

    public static final long INIT_VERSION_OFFSET = 2;
    public static final long INIT_ID_OFFSET = 4;
    public static final long INIT_MODE_OFFSET = 8;
    public static final long INIT_SECRET_OFFSET = 9;
    public static final long INIT_NAME_OFFSET = 33;
    public static final int INIT_BODY_BYTES = 63;

    public static final long ADD_REGION_INDEX_OFFSET = 2;
    public static final long ADD_REGION_SIZE_OFFSET = 4;
    public static final int ADD_REGION_BODY_BYTES = 10;

    public static final long ADD_RING_FLAGS_OFFSET = 2;
    public static final long ADD_RING_INDEX_OFFSET = 4;
    public static final long ADD_RING_REGION_OFFSET = 6;
    public static final long ADD_RING_OFFSET_OFFSET = 8;
    public static final long ADD_RING_LOG2_SIZE_OFFSET = 12;
    public static final long ADD_RING_PRIVATE_HDR_SIZE_OFFSET = 13;
    public static final int ADD_RING_BODY_BYTES = 13;

    /** CONNECT and CONNECTED share this layout. */
    public static final long CONNECT_IF_NAME_OFFSET = 2;
    public static final int CONNECT_BODY_BYTES = 32;

    public static final long DISCONNECT_CODE_OFFSET = 2;
    public static final long DISCONNECT_TEXT_OFFSET = 6;
    public static final int DISCONNECT_BODY_BYTES = 100;

    private MemifMessageLayout() {}

    /** The human name of message {@code type}, such as {@code "ADD_RING"}; {@code "type <n>"} if unknown. */
    public static String typeName(int type) {
        return switch (type) {
            case TYPE_ACK -> "ACK";
            case TYPE_HELLO -> "HELLO";
            case TYPE_INIT -> "INIT";
            case TYPE_ADD_REGION -> "ADD_REGION";
            case TYPE_ADD_RING -> "ADD_RING";
            case TYPE_CONNECT -> "CONNECT";
            case TYPE_CONNECTED -> "CONNECTED";
            case TYPE_DISCONNECT -> "DISCONNECT";
            default -> "type " + type;
        };
    }
}
