package io.nfchain.core.pcap;

/** The two capture file formats nfchain reads and writes. */
public enum PacketFileFormat {
    /** Classic libpcap format (draft-ietf-opsawg-pcap): one link type, micro- or nanosecond stamps. */
    PCAP,
    /** pcapng (draft-ietf-opsawg-pcapng): sections, interfaces, per-interface timestamp resolution. */
    PCAPNG
}
