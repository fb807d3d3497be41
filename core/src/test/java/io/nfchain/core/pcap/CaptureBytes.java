package io.nfchain.core.pcap;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Builds capture files byte by byte, in either byte order and with the odd corners real writers
 * rarely produce, independently of the writers under test.
 */
final class CaptureBytes {
    static final int SHB = 0x0A0D0D0A;
    static final int IDB = 1;
    static final int OBSOLETE_PACKET_BLOCK = 2;
    static final int SPB = 3;
    static final int NRB = 4;
    static final int ISB = 5;
    static final int EPB = 6;
    static final int CUSTOM_BLOCK = 0x00000BAD;

    private CaptureBytes() {}

    /** A classic pcap file under construction. */
    static final class Pcap {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private final ByteOrder order;

        Pcap(ByteOrder order, boolean nanosecond, int snapLength, int linkType) {
            this.order = order;
            ByteBuffer header = ByteBuffer.allocate(24).order(order);
            header.putInt(nanosecond ? 0xA1B23C4D : 0xA1B2C3D4).putShort((short) 2).putShort((short) 4)
                    .putInt(0).putInt(0).putInt(snapLength).putInt(linkType);
            out.writeBytes(header.array());
        }

        Pcap record(long seconds, long fraction, byte[] data, long originalLength) {
            return record(seconds, fraction, data.length, originalLength, data);
        }

        /** A record whose captured length field may lie about {@code data}. */
        Pcap record(long seconds, long fraction, long capturedLength, long originalLength, byte[] data) {
            ByteBuffer header = ByteBuffer.allocate(16).order(order);
            header.putInt((int) seconds).putInt((int) fraction).putInt((int) capturedLength).putInt((int) originalLength);
            out.writeBytes(header.array());
            out.writeBytes(data);
            return this;
        }

        byte[] toByteArray() {
            return out.toByteArray();
        }
    }

    /** A pcapng file under construction; every block in the byte order of its section. */
    static final class Pcapng {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private ByteOrder order;

        Pcapng(ByteOrder order) {
            section(order);
        }

        Pcapng section(ByteOrder sectionOrder) {
            this.order = sectionOrder;
            ByteBuffer body = buffer(16);
            body.putInt(0x1A2B3C4D).putShort((short) 1).putShort((short) 0).putLong(-1);
            // a comment option, so that options are skipped
            putOption(body, 1, "section".getBytes(StandardCharsets.UTF_8));
            body.putInt(0);
            return block(SHB, body);
        }

        Pcapng interfaceBlock(int linkType, long snapLength, Integer tsresol, Long tsoffsetSeconds) {
            ByteBuffer body = buffer(8);
            body.putShort((short) linkType).putShort((short) 0).putInt((int) snapLength);
            putOption(body, 2, "if0".getBytes(StandardCharsets.UTF_8));
            if (tsresol != null) {
                putOption(body, 9, new byte[] {(byte) (int) tsresol});
            }
            if (tsoffsetSeconds != null) {
                ByteBuffer value = ByteBuffer.allocate(8).order(order).putLong(tsoffsetSeconds);
                putOption(body, 14, value.array());
            }
            body.putInt(0);
            return block(IDB, body);
        }

        Pcapng enhancedPacket(int interfaceIndex, long timestampUnits, byte[] data, long originalLength) {
            ByteBuffer body = buffer(20 + data.length);
            body.putInt(interfaceIndex).putInt((int) (timestampUnits >>> 32)).putInt((int) timestampUnits)
                    .putInt(data.length).putInt((int) originalLength).put(data);
            pad(body);
            putOption(body, 1, "pkt".getBytes(StandardCharsets.UTF_8));
            body.putInt(0);
            return block(EPB, body);
        }

        Pcapng simplePacket(byte[] data, long originalLength) {
            ByteBuffer body = buffer(4 + data.length);
            body.putInt((int) originalLength).put(data);
            pad(body);
            return block(SPB, body);
        }

        /** A Packet Block (type 2), obsolete but still met: a 16-bit interface id and a drops count. */
        Pcapng obsoletePacket(int interfaceIndex, long timestampUnits, byte[] data, long originalLength) {
            ByteBuffer body = buffer(20 + data.length);
            body.putShort((short) interfaceIndex).putShort((short) 0)
                    .putInt((int) (timestampUnits >>> 32)).putInt((int) timestampUnits)
                    .putInt(data.length).putInt((int) originalLength).put(data);
            pad(body);
            return block(OBSOLETE_PACKET_BLOCK, body);
        }

        /** A Name Resolution Block with one IPv4 record. */
        Pcapng nameResolution() {
            ByteBuffer body = buffer(32);
            byte[] name = "gw.example\0".getBytes(StandardCharsets.US_ASCII);
            body.putShort((short) 1).putShort((short) (4 + name.length)).put(new byte[] {10, 0, 0, 1}).put(name);
            pad(body);
            body.putShort((short) 0).putShort((short) 0); // nrb_record_end
            body.putInt(0); // no options: opt_endofopt
            return block(NRB, body);
        }

        /** An Interface Statistics Block for {@code interfaceIndex}, with isb_ifdrop. */
        Pcapng statistics(int interfaceIndex, long timestampUnits) {
            ByteBuffer body = buffer(32);
            body.putInt(interfaceIndex).putInt((int) (timestampUnits >>> 32)).putInt((int) timestampUnits);
            putOption(body, 5, ByteBuffer.allocate(8).order(order).putLong(3).array());
            body.putInt(0);
            return block(ISB, body);
        }

        /** A Custom Block (type 0x00000BAD) with a private enterprise number and opaque data. */
        Pcapng custom(int privateEnterpriseNumber, int dataLength) {
            ByteBuffer body = buffer(4 + dataLength);
            body.putInt(privateEnterpriseNumber);
            for (int i = 0; i < dataLength; i++) {
                body.put((byte) (i * 13));
            }
            pad(body);
            return block(CUSTOM_BLOCK, body);
        }

        /** Any block: the parser must skip it by its length. */
        Pcapng otherBlock(int type, int bodyLength) {
            ByteBuffer body = buffer(bodyLength);
            for (int i = 0; i < bodyLength; i++) {
                body.put((byte) (i * 7));
            }
            return block(type, body);
        }

        Pcapng raw(byte[] bytes) {
            out.writeBytes(bytes);
            return this;
        }

        byte[] toByteArray() {
            return out.toByteArray();
        }

        /** Room for {@code bodyLength} bytes and a few options; blocks use only what they fill. */
        private ByteBuffer buffer(int bodyLength) {
            return ByteBuffer.allocate(bodyLength + 256).order(order);
        }

        private static void putOption(ByteBuffer body, int code, byte[] value) {
            body.putShort((short) code).putShort((short) value.length).put(value);
            pad(body);
        }

        private static void pad(ByteBuffer body) {
            while ((body.position() & 3) != 0) {
                body.put((byte) 0);
            }
        }

        private Pcapng block(int type, ByteBuffer body) {
            int length = 12 + body.position();
            ByteBuffer block = ByteBuffer.allocate(length).order(order);
            block.putInt(type).putInt(length).put(body.array(), 0, body.position()).putInt(length);
            out.writeBytes(block.array());
            return this;
        }
    }
}
