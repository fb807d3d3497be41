package io.nfchain.core.packet;

/**
 * The result of one {@link PacketParser} pass: which layers a frame has, where each starts,
 * its 5-tuple (and, for GTP-U and VXLAN, the inner packet's), and why parsing stopped.
 *
 * <p>One instance per worker, reused for every packet: nothing here allocates. Not thread-safe.
 * Offsets are from the start of the frame; -1 means not present. When {@link #status()} is not
 * {@link ParseStatus#OK}, the fields found before the problem stay filled in, and
 * {@link #statusOffset()} says where the problem was seen.
 */
public final class ParsedPacket {
    /** No tunnel, or the type of the tunnel header found (its fields read "absent" until it validates). */
    public static final int TUNNEL_NONE = 0;
    public static final int TUNNEL_GTPU = 1;
    public static final int TUNNEL_VXLAN = 2;

    final IpLayers outer = new IpLayers();
    final IpLayers inner = new IpLayers();
    int length;
    int layers;
    ParseStatus status = ParseStatus.OK;
    int statusOffset;
    int vlanCount;
    int vlanTpid0;
    int vlanTci0;
    int vlanTpid1;
    int vlanTci1;
    int etherType;
    int tunnelType;
    int tunnelOffset;
    int gtpMessageType;
    int gtpFlags;
    int teid;
    int gtpSequence;
    int pduType;
    int qfi;
    int vni;
    int innerL2Offset;
    /** EtherType of a tunnel's inner packet still to parse, or 0; with its extent. */
    int innerPending;
    int innerStart;
    int innerEnd;
    /** Whether the last packet touched {@link #inner}: only then does reset need to clear it. */
    boolean innerUsed = true;

    /**
     * Forgets the last packet. Fields that belong to a layer (VLAN tags, tunnel fields) are not
     * cleared here but when their layer is entered, and their accessors check the layer: most
     * packets have no tunnel, and every store saved is time saved per packet.
     */
    void reset(int frameLength) {
        length = frameLength;
        layers = 0;
        status = ParseStatus.OK;
        vlanCount = 0;
        etherType = -1;
        tunnelType = TUNNEL_NONE;
        innerPending = 0;
        outer.clear();
        if (innerUsed) {
            inner.clear();
            innerUsed = false;
        }
    }

    /**
     * Entering a tunnel header at {@code offset}. Fields the header always carries read "absent"
     * until its layer bit is set; the optional ones (GTP-U sequence, PDU Session Container) start
     * at -1 here.
     */
    void beginTunnel(int type, int offset) {
        tunnelType = type;
        tunnelOffset = offset;
        gtpSequence = pduType = qfi = -1;
        innerUsed = true;
    }

    /** Frame length in bytes, as given to the parser. */
    public int length() {
        return length;
    }

    /** {@link Layer} bits of every header found. */
    public int layers() {
        return layers;
    }

    public boolean has(int layer) {
        return (layers & layer) != 0;
    }

    public ParseStatus status() {
        return status;
    }

    public boolean isWellFormed() {
        return status == ParseStatus.OK;
    }

    /** Offset of the header where the problem was found, or -1 when well-formed. */
    public int statusOffset() {
        return status == ParseStatus.OK ? -1 : statusOffset;
    }

    /** The packet's own IP layers. */
    public IpLayers outer() {
        return outer;
    }

    /** The tunnelled packet's IP layers (GTP-U G-PDU or VXLAN); l3Offset -1 when there is none. */
    public IpLayers inner() {
        return inner;
    }

    /** 0, 1 (802.1Q) or 2 (QinQ). */
    public int vlanCount() {
        return vlanCount;
    }

    /** TPID of tag {@code i} (0 outermost): 0x8100, 0x88A8 or 0x9100. */
    public int vlanTpid(int i) {
        return i >= vlanCount ? 0 : i == 0 ? vlanTpid0 : vlanTpid1;
    }

    /** Tag control information of tag {@code i} (0 outermost): PCP(3) DEI(1) VID(12). */
    public int vlanTci(int i) {
        return i >= vlanCount ? 0 : i == 0 ? vlanTci0 : vlanTci1;
    }

    public int vlanId(int i) {
        return vlanTci(i) & 0x0FFF;
    }

    /** EtherType after any VLAN tags, or -1 when the Ethernet header was truncated. */
    public int etherType() {
        return etherType;
    }

    /** Offset of the network header (IP or ARP), or -1. */
    public int l3Offset() {
        return outer.l3Offset;
    }

    public int tunnelType() {
        return tunnelType;
    }

    /** Offset of the GTP-U or VXLAN header, or -1. */
    public int tunnelOffset() {
        return tunnelType == TUNNEL_NONE ? -1 : tunnelOffset;
    }

    /** GTP-U message type (255 = G-PDU), or -1. */
    public int gtpMessageType() {
        return has(Layer.GTPU) ? gtpMessageType : -1;
    }

    /**
     * Whether this is a GTP-U message other than a G-PDU (echo, end marker, error indication):
     * tunnel signalling, which carries no user's packet.
     */
    public boolean isGtpuSignalling() {
        return has(Layer.GTPU) && gtpMessageType != GtpuHeader.G_PDU;
    }

    /** GTP-U first octet: version(3) PT(1) spare(1) E(1) S(1) PN(1), or -1. */
    public int gtpFlags() {
        return has(Layer.GTPU) ? gtpFlags : -1;
    }

    /** GTP-U tunnel endpoint identifier (unsigned 32 bits in an int). */
    public int teid() {
        return has(Layer.GTPU) ? teid : 0;
    }

    /** GTP-U sequence number when the S flag is set, else -1. */
    public int gtpSequence() {
        return tunnelType == TUNNEL_GTPU ? gtpSequence : -1;
    }

    /** PDU Session Container PDU type (0 downlink, 1 uplink), or -1. */
    public int pduType() {
        return tunnelType == TUNNEL_GTPU ? pduType : -1;
    }

    /** QoS flow identifier from the PDU Session Container, or -1. */
    public int qfi() {
        return tunnelType == TUNNEL_GTPU ? qfi : -1;
    }

    /** VXLAN network identifier, or -1. */
    public int vni() {
        return has(Layer.VXLAN) ? vni : -1;
    }

    /** Offset of VXLAN's inner Ethernet header, or -1. */
    public int innerL2Offset() {
        return has(Layer.VXLAN) ? innerL2Offset : -1;
    }
}
