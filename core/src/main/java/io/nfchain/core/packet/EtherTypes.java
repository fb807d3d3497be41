package io.nfchain.core.packet;

/** EtherType values nfchain understands (IEEE registry). */
public final class EtherTypes {
    public static final int IPV4 = 0x0800;
    public static final int ARP = 0x0806;
    /** 802.1Q customer VLAN tag. */
    public static final int VLAN = 0x8100;
    public static final int IPV6 = 0x86DD;
    /** 802.1ad service VLAN tag (the outer tag of QinQ). */
    public static final int QINQ = 0x88A8;
    /** Pre-standard QinQ outer tag still seen on some switches. */
    public static final int QINQ_LEGACY = 0x9100;

    private EtherTypes() {}

    public static boolean isVlanTpid(int etherType) {
        return etherType == VLAN || etherType == QINQ || etherType == QINQ_LEGACY;
    }
}
