package io.nfchain.core.pcap;

import java.nio.charset.StandardCharsets;

/**
 * What a {@link PacketFileWriter} declares in its file header.
 *
 * @param snapLength most bytes kept per packet, at least 1; longer packets are cut to it and keep
 *     their original length, as a capture would
 * @param linkType LINKTYPE_* of every packet, 0 to 65535; see {@link LinkType}
 * @param interfaceName pcapng {@code if_name} of the one interface, or null for none; at most
 *     {@value #MAX_INTERFACE_NAME_BYTES} bytes of UTF-8. Classic pcap has nowhere to put it.
 */
public record PacketWriterOptions(int snapLength, int linkType, String interfaceName) {
    public static final int DEFAULT_SNAP_LENGTH = 262_144;
    public static final int MAX_INTERFACE_NAME_BYTES = 1024;
    public static final PacketWriterOptions DEFAULT = new PacketWriterOptions(DEFAULT_SNAP_LENGTH, LinkType.ETHERNET, null);

    public PacketWriterOptions {
        if (snapLength < 1) {
            throw new IllegalArgumentException("snapLength " + snapLength + " is not positive");
        }
        if (linkType < 0 || linkType > 0xFFFF) {
            throw new IllegalArgumentException("linkType " + linkType + " is not in 0..65535");
        }
        if (interfaceName != null && interfaceName.getBytes(StandardCharsets.UTF_8).length > MAX_INTERFACE_NAME_BYTES) {
            throw new IllegalArgumentException("interfaceName is longer than " + MAX_INTERFACE_NAME_BYTES + " bytes");
        }
    }

    public PacketWriterOptions withSnapLength(int bytes) {
        return new PacketWriterOptions(bytes, linkType, interfaceName);
    }

    public PacketWriterOptions withLinkType(int type) {
        return new PacketWriterOptions(snapLength, type, interfaceName);
    }

    public PacketWriterOptions withInterfaceName(String name) {
        return new PacketWriterOptions(snapLength, linkType, name);
    }
}
