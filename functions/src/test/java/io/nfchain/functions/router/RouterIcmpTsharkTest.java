package io.nfchain.functions.router;

import static io.nfchain.functions.router.RouterHarness.MAC_HOST;
import static io.nfchain.functions.router.RouterHarness.MAC_IF0;
import static io.nfchain.functions.router.RouterHarness.v4;
import static io.nfchain.functions.router.RouterHarness.v6;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.nfchain.core.packet.Ipv4Header;
import io.nfchain.core.packet.PacketBuilder;
import io.nfchain.core.pcap.PacketFileFormat;
import io.nfchain.core.pcap.PacketFileWriter;
import io.nfchain.core.pcap.PacketWriterOptions;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Wireshark's dissectors, not ours, judge the ICMP errors the router builds: types, codes, checksums. */
class RouterIcmpTsharkTest {
    private static final Path TSHARK = Path.of("/usr/bin/tshark");

    @Test
    void tsharkDecodesEveryIcmpErrorWithGoodChecksums(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(TSHARK), "tshark is not installed");
        long[] s6 = v6("2001:db8::10");
        long[] noRoute6 = v6("2001:db8:999::1");
        long[] routed6 = v6("2001:db8:100::1");
        MemorySegment[] frames = {
            udp4("100.64.0.1", 64, false, 40), udp4("10.2.3.4", 1, false, 40), udp4("10.2.3.4", 64, true, 1400),
            udp6(s6, noRoute6, 64, 40), udp6(s6, routed6, 1, 40), udp6(s6, routed6, 64, 1600)};
        Path pcap = dir.resolve("icmp-errors.pcap");
        try (RouterHarness h = new RouterHarness().standardTables();
                PacketFileWriter out = PacketFileWriter.create(pcap, PacketFileFormat.PCAP, PacketWriterOptions.DEFAULT)) {
            h.run(0, 0, frames);
            for (int i = 0; i < frames.length; i++) {
                assertEquals(0, h.vector.output(i), "error " + i + " goes back out of if0");
                out.write(1_700_000_000_000_000_000L + i, h.burst.data().asSlice(h.burst.offset(i), h.burst.length(i)));
            }
        }
        Process p = new ProcessBuilder(TSHARK.toString(), "-r", pcap.toString(), "-o", "ip.check_checksum:TRUE",
                "-T", "fields", "-E", "separator=;", "-e", "icmp.type", "-e", "icmp.code", "-e", "icmp.mtu",
                "-e", "icmp.checksum.status", "-e", "ip.checksum.status", "-e", "icmpv6.type", "-e", "icmpv6.code",
                "-e", "icmpv6.mtu", "-e", "icmpv6.checksum.status", "-e", "_ws.malformed")
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(60, TimeUnit.SECONDS);
        List<String> lines = text.lines().filter(l -> !l.isBlank()).toList();
        // ip.checksum.status lists the outer header then the quoted one: both must be good (1).
        assertEquals(List.of(
                "3;0;;1;1,1;;;;;",
                "11;0;;1;1,1;;;;;",
                "3;4;1400;1;1,1;;;;;",
                ";;;;;1;0;;1;",
                ";;;;;3;0;;1;",
                ";;;;;2;0;1500;1;"), lines, text);
    }

    private static MemorySegment udp4(String dst, int ttl, boolean df, int payload) {
        return new PacketBuilder().ethernet(MAC_IF0, MAC_HOST).ipv4(v4("192.0.2.10"), v4(dst))
                .ipv4Fields(0, ttl, 9, df ? Ipv4Header.FLAG_DONT_FRAGMENT : 0, new byte[0])
                .udp(4000, 53).payload(payload).build();
    }

    private static MemorySegment udp6(long[] s, long[] d, int hops, int payload) {
        return new PacketBuilder().ethernet(MAC_IF0, MAC_HOST).ipv6(s[0], s[1], d[0], d[1]).ipv6Fields(0, 0, hops)
                .udp(4000, 53).payload(payload).build();
    }
}
