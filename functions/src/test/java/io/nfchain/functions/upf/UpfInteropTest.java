package io.nfchain.functions.upf;

import static io.nfchain.functions.upf.UpfFunctionTest.GNB_TEID;
import static io.nfchain.functions.upf.UpfFunctionTest.REMOTE;
import static io.nfchain.functions.upf.UpfFunctionTest.TEID;
import static io.nfchain.functions.upf.UpfFunctionTest.UE;
import static io.nfchain.functions.upf.UpfHarness.plain;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.nfchain.api.session.v1.OuterHeaderCreation;
import io.nfchain.api.session.v1.Session;
import io.nfchain.core.packet.PacketBuilder;
import io.nfchain.core.packet.ParsedPacket;
import io.nfchain.core.pcap.PacketFileFormat;
import io.nfchain.core.pcap.PacketFileReader;
import io.nfchain.core.pcap.PacketFileWriter;
import io.nfchain.core.pcap.PacketRecord;
import io.nfchain.core.pcap.PacketWriterOptions;
import io.nfchain.functions.sdk.PacketVector;
import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The upf against decoders and encoders no one here wrote: tshark must decode every frame the upf
 * makes as valid GTP-U with good checksums, scapy ({@code scapy.contrib.gtp}) crafts uplink GTP-U
 * the upf must take, and scapy must dissect the upf's downlink as the FAR says. Each tool is
 * skipped when missing, or fails the test when the launcher required it ({@code -Dnfchain.require}).
 */
class UpfInteropTest {
    private static final String N3 = UpfHarness.N3_V4;
    private static final String GNB = UpfHarness.GNB;

    /** Downlink frames (v4 and v6 tunnels), an echo response and an end marker, as the upf made them. */
    private static List<byte[]> produced() {
        Session v6peer = UpfFunctionTest.session().toBuilder().setSeid(2).setPdrs(0, UpfFunctionTest.session().getPdrs(0)
                .toBuilder().setPdi(UpfFunctionTest.session().getPdrs(0).getPdi().toBuilder().setLocalTeid(TEID + 1)
                        .setUeIpv4("10.45.0.8"))).setPdrs(1, UpfFunctionTest.session().getPdrs(1).toBuilder().setPdi(
                                UpfFunctionTest.session().getPdrs(1).getPdi().toBuilder().setUeIpv4("10.45.0.8")))
                .setFars(1, UpfFunctionTest.session().getFars(1).toBuilder().setOuterHeaderCreation(
                        OuterHeaderCreation.newBuilder().setTeid(0x4004).setPeerAddress("2001:db8:1::1").setQfi(5))).build();
        List<byte[]> out = new ArrayList<>();
        try (UpfHarness h = new UpfHarness().create(UpfFunctionTest.session()).create(v6peer)) {
            MemorySegment echo = new PacketBuilder().ethernet(UpfHarness.MAC_UPF, UpfHarness.MAC_GNB)
                    .ipv4(UpfHarness.v4(GNB), UpfHarness.v4(N3)).udp(2152, 2152)
                    .gtpu(io.nfchain.core.packet.GtpuHeader.ECHO_REQUEST, 0).gtpuSequence(9).build();
            // Ports other than 53: tshark would dissect the zero payload as DNS and call it malformed.
            int[] outputs = h.run(plain(REMOTE, UE, 5000, 40000), plain(REMOTE, UpfHarness.v4("10.45.0.8"), 5000, 40001), echo);
            assertArrayEquals(new int[] {0, 0, 0}, outputs);
            for (int i = 0; i < 3; i++) {
                out.add(h.frame(i));
            }
            h.replace(UpfFunctionTest.session().toBuilder().setFars(1, UpfFunctionTest.session().getFars(1).toBuilder()
                    .setOuterHeaderCreation(OuterHeaderCreation.newBuilder().setTeid(0x5005).setPeerAddress("192.0.2.3"))).build());
            outputs = h.run(plain(REMOTE, UE, 5000, 40000));
            assertEquals(2, outputs.length, "the packet and an end marker");
            out.add(h.frame(0));
            out.add(h.frame(1));
        }
        return out;
    }

    private static Path write(Path file, List<byte[]> frames) throws IOException {
        try (PacketFileWriter w = PacketFileWriter.create(file, PacketFileFormat.PCAP, PacketWriterOptions.DEFAULT)) {
            for (int i = 0; i < frames.size(); i++) {
                w.write(1_700_000_000_000_000_000L + i, MemorySegment.ofArray(frames.get(i)));
            }
        }
        return file;
    }

    @Test
    void tsharkDecodesWhatTheUpfSendsAsGtpu(@TempDir Path dir) throws Exception {
        Path tshark = requireProgram("tshark");
        Path pcap = write(dir.resolve("upf.pcap"), produced());
        List<String> lines = run(List.of(tshark.toString(), "-r", pcap.toString(), "-o", "ip.check_checksum:TRUE",
                "-o", "udp.check_checksum:TRUE", "-d", "udp.port==2152,gtp", "-T", "fields", "-E", "separator=;",
                "-e", "gtp.message", "-e", "gtp.teid", "-e", "gtp.ext_hdr.pdu_ses_con.qos_flow_id",
                "-e", "gtp.ext_hdr.pdu_ses_con.pdu_type", "-e", "ip.checksum.status", "-e", "udp.checksum.status",
                "-e", "gtp.recovery", "-e", "_ws.malformed", "-e", "_ws.expert"));
        assertEquals(List.of(
                // outer then inner checksum status: 1 good, 3 not present (UDP over IPv4 may omit it)
                "0xff;0x00002002;9;0;1,1;3,1;;;",
                "0xff;0x00004004;5;0;1;1,1;;;",
                "0x02;0x00000000;;;1;3;0;;",
                "0xff;0x00005005;9;0;1,1;3,1;;;",
                "0xfe;0x00002002;;;1;3;;;"), lines, String.join("\n", lines));
    }

    @Test
    void scapyCraftedUplinkPassesAndScapyDissectsTheDownlink(@TempDir Path dir) throws Exception {
        requireProgram("scapy");
        Path crafted = dir.resolve("crafted.pcap");
        run(List.of("/usr/bin/python3", script(dir, "scapy_uplink.py").toString(), crafted.toString(), GNB, N3,
                Integer.toString(TEID), "10.45.0.7", "198.51.100.7"));
        List<byte[]> frames = read(crafted);
        assertEquals(5, frames.size());
        Session dual = UpfFunctionTest.session().toBuilder().setPdrs(0, UpfFunctionTest.session().getPdrs(0).toBuilder()
                .setPdi(UpfFunctionTest.session().getPdrs(0).getPdi().toBuilder().setUeIpv6("2001:db8:45::/64"))).build();
        List<byte[]> produced = new ArrayList<>();
        try (UpfHarness h = new UpfHarness().create(dual)) {
            int[] out = h.run(frames.stream().map(MemorySegment::ofArray).toArray(MemorySegment[]::new));
            assertArrayEquals(new int[] {0, 0, 0, 0, PacketVector.DROP}, out);
            for (int i = 0; i < 3; i++) {
                byte[] in = frames.get(i);
                ParsedPacket p = new ParsedPacket();
                io.nfchain.core.packet.PacketParser.parse(MemorySegment.ofArray(in), 0, in.length, p);
                byte[] expected = new byte[14 + p.inner().l3End() - p.inner().l3Offset()];
                System.arraycopy(in, 0, expected, 0, 14);
                System.arraycopy(in, p.inner().l3Offset(), expected, 14, expected.length - 14);
                expected[12] = (byte) (p.inner().key().ipVersion() == 6 ? 0x86 : 0x08);
                expected[13] = (byte) (p.inner().key().ipVersion() == 6 ? 0xDD : 0x00);
                assertArrayEquals(expected, h.frame(i), "scapy packet " + i + " decapsulated to its inner packet");
            }
            produced.add(h.frame(3));
            assertEquals(3, h.get(UpfCounter.UPF_UPLINK_FORWARDED));
            assertEquals(1, h.get(UpfCounter.UPF_ECHO_REPLIED));
            assertEquals(1, h.get(UpfCounter.UPF_END_MARKER_RECEIVED));
            h.run(plain(REMOTE, UE, 53, 40000));
            produced.add(h.frame(0));
        }
        Path upf = write(dir.resolve("upf.pcap"), produced);
        List<String> lines = run(List.of("/usr/bin/python3", script(dir, "scapy_dissect.py").toString(), upf.toString()));
        assertEquals(List.of(
                "2;0;77;;;" + N3 + ";" + GNB + ";2152;1;;;;;14:0",
                "255;" + GNB_TEID + ";;9;0;" + N3 + ";" + GNB + ";2152;1;198.51.100.7;10.45.0.7;53;40000;"), lines,
                String.join("\n", lines));
    }

    private static List<byte[]> read(Path pcap) throws IOException {
        List<byte[]> frames = new ArrayList<>();
        try (PacketFileReader r = PacketFileReader.open(pcap)) {
            PacketRecord rec = new PacketRecord();
            while (r.next(rec)) {
                frames.add(Arrays.copyOfRange(rec.array(), rec.dataOffset(), rec.dataOffset() + rec.capturedLength()));
            }
        }
        return frames;
    }

    private static Path script(Path dir, String name) throws IOException {
        Path file = dir.resolve(name);
        try (InputStream in = UpfInteropTest.class.getResourceAsStream("/upf/" + name)) {
            Files.copy(in, file);
        }
        return file;
    }

    private static List<String> run(List<String> command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(false).start();
        String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String errors = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(120, TimeUnit.SECONDS);
        assertEquals(0, p.exitValue(), command + " failed: " + errors);
        return text.lines().filter(l -> !l.isBlank()).toList();
    }

    /** Skip without the tool, fail when the launcher required it (as the router's tshark tests do). */
    static Path requireProgram(String program) {
        for (String d : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            Path candidate = Path.of(d.isEmpty() ? "." : d, program);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        if (Arrays.asList(System.getProperty("nfchain.require", "").split(",")).contains(program)) {
            throw new AssertionError(program + " is not on the PATH, but the launcher required it");
        }
        assumeTrue(false, "skipped: " + program + " is not on the PATH");
        return null;
    }
}
