package io.nfchain.core.pcap;

/**
 * LINKTYPE_* values of the tcpdump.org link-layer header registry that nfchain meets. A reader
 * reports the file's value as it is, so a record may carry any other number.
 */
public final class LinkType {
    /** IEEE 802.3 Ethernet: the only link type nfchain's datapath parses. */
    public static final int ETHERNET = 1;
    /** Raw IPv4 or IPv6, no link-layer header. */
    public static final int RAW = 101;
    /** Linux "cooked" capture, version 1. */
    public static final int LINUX_SLL = 113;

    private LinkType() {}
}
