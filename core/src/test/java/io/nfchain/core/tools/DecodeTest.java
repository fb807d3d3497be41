package io.nfchain.core.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nfchain.core.packet.GtpuHeader;
import io.nfchain.core.packet.IpAddresses;
import io.nfchain.core.packet.PacketBuilder;
import io.nfchain.core.pcap.PacketFileFormat;
import io.nfchain.core.pcap.PacketFileWriter;
import io.nfchain.core.pcap.PacketWriterOptions;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DecodeTest {
    @TempDir
    Path dir;

    private static final int A = IpAddresses.parseIpv4("192.0.2.1");
    private static final int B = IpAddresses.parseIpv4("198.51.100.2");

    private List<String> decode(Path file, int expectedExit) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = Decode.run(new String[] {file.toString()}, new PrintStream(out), new PrintStream(err));
        assertEquals(expectedExit, exit, err::toString);
        return out.toString(StandardCharsets.UTF_8).lines().toList();
    }

    @Test
    void oneLinePerPacketWithTupleOffsetsAndReasons() throws IOException {
        byte[] gtpu = new PacketBuilder().ethernet(2, 1).vlan(100).ipv4(A, B).udp(2152, 2152)
                .gtpu(0xCAFE).pduSessionContainer(GtpuHeader.PDU_TYPE_UPLINK, 5)
                .ipv4(IpAddresses.parseIpv4("10.45.0.3"), IpAddresses.parseIpv4("1.1.1.1")).tcp(33000, 443).toBytes();
        byte[] truncated = Arrays.copyOf(new PacketBuilder().ethernet(2, 1).ipv4(A, B).udp(1, 2).payload(10).toBytes(), 40);
        Path file = dir.resolve("mixed.pcapng");
        try (PacketFileWriter w = PacketFileWriter.create(file, PacketFileFormat.PCAPNG, PacketWriterOptions.DEFAULT)) {
            w.write(1_700_000_000_123_456_789L, MemorySegment.ofArray(gtpu));
            w.write(1_700_000_001_000_000_000L, MemorySegment.ofArray(truncated));
        }
        List<String> lines = decode(file, 0);
        assertEquals(2, lines.size());
        String first = lines.get(0);
        assertTrue(first.startsWith("{\"n\":1,\"ts_ns\":1700000000123456789,\"caplen\":" + gtpu.length), first);
        assertTrue(first.contains("\"status\":\"OK\""), first);
        assertTrue(first.contains("\"layers\":[\"eth\",\"vlan\",\"ipv4\",\"udp\",\"gtpu\",\"inner_ipv4\",\"inner_tcp\"]"), first);
        assertTrue(first.contains("\"vlan\":[{\"tpid\":\"0x8100\",\"vid\":100"), first);
        assertTrue(first.contains("\"offsets\":{\"l2\":0,\"l3\":18,\"l4\":38,\"payload\":46"), first);
        assertTrue(first.contains("\"gtpu\":{\"teid\":51966,\"message_type\":255,\"qfi\":5,\"pdu_type\":1}"), first);
        assertTrue(first.contains("\"inner\":{\"version\":4,\"src\":\"10.45.0.3\",\"dst\":\"1.1.1.1\",\"proto\":6,\"sport\":33000,\"dport\":443"), first);
        assertTrue(first.contains("\"l4_checksum\":\"ok\""), first);
        assertTrue(first.contains("\"tcp_options\":{\"mss\":1460,\"wscale\":7,\"sack_permitted\":true"), first);
        String second = lines.get(1);
        assertTrue(second.contains("\"status\":\"IPV4_TOTAL_LENGTH_BEYOND_PACKET\",\"reason\":\"IPv4 total length beyond the packet\",\"reason_offset\":14"), second);
    }

    @Test
    void badFilesAreReportedNotThrown() throws IOException {
        Path junk = dir.resolve("junk.pcap");
        Files.write(junk, new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = Decode.run(new String[] {junk.toString(), dir.resolve("missing.pcap").toString()},
                new PrintStream(new ByteArrayOutputStream()), new PrintStream(err));
        assertEquals(1, exit);
        String text = err.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("junk.pcap: at file offset 0"), text);
        assertTrue(text.contains("missing.pcap: no such file"), text);
    }
}
