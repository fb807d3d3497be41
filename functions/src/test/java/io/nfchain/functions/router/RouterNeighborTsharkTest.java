package io.nfchain.functions.router;

import static io.nfchain.functions.router.RouterHarness.MAC_HOST;
import static io.nfchain.functions.router.RouterHarness.MAC_IF0;
import static io.nfchain.functions.router.RouterHarness.hop;
import static io.nfchain.functions.router.RouterHarness.route;
import static io.nfchain.functions.router.RouterHarness.v4;
import static io.nfchain.functions.router.RouterHarness.v6;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.nfchain.core.packet.PacketBuilder;
import io.nfchain.core.pcap.PacketFileFormat;
import io.nfchain.core.pcap.PacketFileWriter;
import io.nfchain.core.pcap.PacketWriterOptions;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Wireshark's dissectors judge what the router writes for neighbours and pings: the ARP request
 * and reply, the NS and NA (ND options, checksums) and both echo replies. Skipped without
 * tshark, failed when the launcher required it ({@code -Dnfchain.require=tshark}), as core's
 * HostTools gate does.
 */
class RouterNeighborTsharkTest {
    @Test
    void tsharkDecodesRequestsAnswersAndEchoRepliesWithGoodChecksums(@TempDir Path dir) throws Exception {
        Path tshark = requireProgram("tshark");
        long mac = 0x02_00_00_00_00_77L;
        long[] host6 = v6("2001:db8::20");
        long[] own6 = v6("2001:db8::1");
        MemorySegment[] frames = {
            udp4("172.16.0.1"), // no neighbour: ARP request out of if1
            udp6("2001:db8:77::1"), // no neighbour: NS out of if1
            new PacketBuilder().ethernet(0xFFFF_FFFF_FFFFL, mac).arp(1, mac, v4("192.0.2.20"), 0, v4("192.0.2.1"))
                    .padTo(60).build(),
            new PacketBuilder().ethernet(0x3333_FF00_0001L, mac)
                    .ipv6(host6[0], host6[1], 0xFF02_0000_0000_0000L, 0x0000_0001_FF00_0001L).ipv6Fields(0, 0, 255)
                    .neighbourDiscovery(135, 0, own6[0], own6[1], mac).build(),
            new PacketBuilder().ethernet(MAC_IF0, MAC_HOST).ipv4(v4("192.0.2.10"), v4("203.0.113.1"))
                    .icmp(8, 0, 0x0042_0001).payload(48).build(),
            new PacketBuilder().ethernet(MAC_IF0, MAC_HOST).ipv6(v6("2001:db8::10")[0], v6("2001:db8::10")[1],
                    own6[0], own6[1]).icmpv6(128, 0, 0x0042_0001).payload(48).build()};
        Path pcap = dir.resolve("neighbours.pcap");
        try (RouterHarness h = new RouterHarness().standardTables();
                PacketFileWriter out = PacketFileWriter.create(pcap, PacketFileFormat.PCAP, PacketWriterOptions.DEFAULT)) {
            h.router.control().addRoutes(List.of(route("172.16.0.0/12", hop("198.51.100.9", 1)),
                    route("2001:db8:77::/48", hop("2001:db8:1::9", 1))));
            h.run(0, 0, frames);
            int[] outputs = new int[frames.length];
            for (int i = 0; i < frames.length; i++) {
                outputs[i] = h.vector.output(i);
                out.write(1_700_000_000_000_000_000L + i, h.burst.data().asSlice(h.burst.offset(i), h.burst.length(i)));
            }
            assertEquals("[1, 1, 0, 0, 0, 0]", Arrays.toString(outputs));
        }
        Process p = new ProcessBuilder(tshark.toString(), "-r", pcap.toString(), "-o", "ip.check_checksum:TRUE",
                "-T", "fields", "-E", "separator=;", "-e", "arp.opcode", "-e", "arp.dst.proto_ipv4",
                "-e", "icmp.type", "-e", "icmp.checksum.status", "-e", "ip.checksum.status",
                "-e", "icmpv6.type", "-e", "icmpv6.checksum.status", "-e", "ipv6.hlim",
                "-e", "icmpv6.nd.ns.target_address", "-e", "icmpv6.nd.na.target_address", "-e", "icmpv6.nd.na.flag.s",
                "-e", "icmpv6.opt.linkaddr", "-e", "_ws.malformed", "-e", "_ws.expert.severity")
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(60, TimeUnit.SECONDS);
        List<String> lines = text.lines().toList();
        assertEquals(List.of(
                "1;198.51.100.9;;;;;;;;;;;;",
                ";;;;;135;1;255;2001:db8:1::9;;;02:00:00:00:00:02;;",
                "2;192.0.2.20;;;;;;;;;;;;",
                ";;;;;136;1;255;;2001:db8::1;1;02:00:00:00:00:01;;",
                ";;0;1;1;;;;;;;;;",
                ";;;;;129;1;64;;;;;;"), lines, text);
    }

    /** The HostTools gate of core's tests (not visible here): skip, or fail when the launcher required the tool. */
    static Path requireProgram(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, program);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        boolean required = Arrays.asList(System.getProperty("nfchain.require", "").split(",")).contains(program);
        if (required) {
            throw new AssertionError(program + " is not on the PATH, but the launcher required it");
        }
        assumeTrue(false, "skipped: " + program + " is not on the PATH");
        return null;
    }

    private static MemorySegment udp4(String dst) {
        return new PacketBuilder().ethernet(MAC_IF0, MAC_HOST).ipv4(v4("192.0.2.10"), v4(dst)).udp(4000, 53).payload(0)
                .build();
    }

    private static MemorySegment udp6(String dst) {
        long[] s = v6("2001:db8::10");
        long[] d = v6(dst);
        return new PacketBuilder().ethernet(MAC_IF0, MAC_HOST).ipv6(s[0], s[1], d[0], d[1]).udp(4000, 53).payload(0)
                .build();
    }
}
