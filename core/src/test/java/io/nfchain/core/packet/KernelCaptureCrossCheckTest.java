package io.nfchain.core.packet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.nfchain.core.pcap.PacketFileReader;
import io.nfchain.core.pcap.PacketRecord;
import io.nfchain.core.testing.HostTools;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cross-check on real kernel traffic: two network namespaces joined by a veth pair
 * exchange ICMP and ICMPv6 echoes (with neighbour discovery), TCP connections over IPv4 and IPv6
 * with Linux's SYN options, UDP, and the same over a kernel VXLAN tunnel and over an 802.1Q VLAN,
 * while dumpcap captures on the veth in namespace A. Every frame of the pcapng, read by our reader
 * and parsed by our parser, must show the fields tshark shows ({@link TsharkFields}).
 *
 * <p>The traffic comes from this JVM's own sockets, made in the namespaces through
 * {@link InNetworkNamespace}: the JDK's ICMP echo ({@link InetAddress#isReachable}, raw sockets
 * as root), TCP and UDP; the kernel writes every header below the payload. No ping or nc is
 * needed, so the test runs on a bare Debian with iproute2 and tshark's dumpcap.
 *
 * <p>The VLAN runs in a test of its own, skipped with the reason where the kernel has no 802.1Q
 * support (as on these Firecracker VMs: {@code ip link add ... type vlan} says "Unknown device
 * type", and bridges cannot filter VLANs either).
 */
class KernelCaptureCrossCheckTest {
    private static final long PID = ProcessHandle.current().pid();
    private static final String NS_A = "nfx-a-" + PID;
    private static final String NS_B = "nfx-b-" + PID;
    private static final String LINK_A = "xa";
    private static final String LINK_B = "xb";
    private static final int VLAN_ID = 100;
    /** VLAN priority the kernel writes for traffic of socket priority 0 (egress-qos-map): a non-zero PCP to compare. */
    private static final int VLAN_PCP = 5;
    private static final String A4 = "192.0.2.1";
    private static final String B4 = "192.0.2.2";
    private static final String A6 = "2001:db8:1::1";
    private static final String B6 = "2001:db8:1::2";
    private static final String VLAN_A4 = "198.51.100.1";
    private static final String VLAN_B4 = "198.51.100.2";
    private static final String VLAN_A6 = "2001:db8:100::1";
    private static final String VLAN_B6 = "2001:db8:100::2";
    private static final int VNI = 4242;
    private static final String VXLAN_A4 = "203.0.113.1";
    private static final String VXLAN_B4 = "203.0.113.2";
    private static final String VXLAN_A6 = "2001:db8:42::1";
    private static final String VXLAN_B6 = "2001:db8:42::2";
    private static final int TIMEOUT_MS = 3000;

    @TempDir
    Path dir;
    private Process dumpcap;
    private final List<AutoCloseable> sockets = new ArrayList<>();

    @BeforeEach
    void requireHost() {
        HostTools.requireRoot();
        HostTools.requireProgram("tshark");
        HostTools.requireProgram("dumpcap");
        HostTools.requireProgram("ip");
    }

    @AfterEach
    void cleanUp() throws Exception {
        for (AutoCloseable socket : sockets) {
            socket.close();
        }
        if (dumpcap != null && dumpcap.isAlive()) {
            dumpcap.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
        // Deleting a namespace deletes the devices in it: the veth pair, the VXLAN and VLAN devices.
        for (String ns : List.of(NS_A, NS_B)) {
            new ProcessBuilder("ip", "netns", "del", ns).redirectErrorStream(true).start().waitFor(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void kernelTrafficOnAVethAndThroughVxlanParsesToTheFieldsTsharkShows() throws Exception {
        long start = System.nanoTime();
        createNamespaces();
        tunnel(NS_A, A4, B4, VXLAN_A4, VXLAN_A6);
        tunnel(NS_B, B4, A4, VXLAN_B4, VXLAN_B6);
        List<TsharkFields.Frame> tshark = captureAndCrossCheck(() -> generateTraffic(
                List.of(B4, B4, B6, B6, VXLAN_B4, VXLAN_B4, VXLAN_B6, VXLAN_B6), List.of(B4, B6, VXLAN_B6), List.of(B4, B6, VXLAN_B4)), start);

        assertSeen(tshark, "ICMP echo requests", 2, f -> has(f, "icmp.type", "8") && untunnelled(f));
        assertSeen(tshark, "ICMP echo replies", 2, f -> has(f, "icmp.type", "0") && untunnelled(f));
        assertSeen(tshark, "ICMPv6 echo requests", 2, f -> has(f, "icmpv6.type", "128") && untunnelled(f));
        assertSeen(tshark, "ICMPv6 echo replies", 2, f -> has(f, "icmpv6.type", "129") && untunnelled(f));
        assertSeen(tshark, "a neighbour solicitation for B with A's link-layer address", 1,
                f -> has(f, "icmpv6.nd.ns.target_address", B6) && !f.get("icmpv6.opt.linkaddr").isEmpty());
        assertSeen(tshark, "B's neighbour advertisement with its link-layer address", 1,
                f -> has(f, "icmpv6.nd.na.target_address", B6) && !f.get("icmpv6.opt.linkaddr").isEmpty());
        for (String ip : List.of("ip", "ipv6")) {
            assertSeen(tshark, "a SYN with MSS, SACK-permitted, timestamps and window scale over " + ip, 1,
                    f -> has(f, "tcp.flags", "2") && untunnelled(f) && !f.get(ip + ".src").isEmpty() && hasSynOptions(f));
            assertSeen(tshark, "its SYN-ACK with the same options over " + ip, 1,
                    f -> has(f, "tcp.flags", "18") && untunnelled(f) && !f.get(ip + ".src").isEmpty() && hasSynOptions(f));
        }
        assertSeen(tshark, "UDP datagrams with DSCP EF over IPv4 and IPv6", 2, f -> !f.get("udp.length").isEmpty()
                && untunnelled(f) && (has(f, "ip.dsfield.dscp", "46") || has(f, "ipv6.tclass.dscp", "46")));
        String vni = Integer.toString(VNI);
        assertSeen(tshark, "ICMP echoes through VXLAN", 4, f -> has(f, "vxlan.vni", vni) && !f.get("icmp.type").isEmpty());
        assertSeen(tshark, "ICMPv6 echoes through VXLAN", 4,
                f -> has(f, "vxlan.vni", vni) && (has(f, "icmpv6.type", "128") || has(f, "icmpv6.type", "129")));
        assertSeen(tshark, "a SYN through VXLAN", 1, f -> has(f, "vxlan.vni", vni) && has(f, "tcp.flags", "2") && hasSynOptions(f));
        assertSeen(tshark, "UDP through VXLAN", 2, f -> has(f, "vxlan.vni", vni) && f.get("udp.length").size() == 2);
    }

    @Test
    void kernelTrafficOverAn8021qVlanParsesToTheFieldsTsharkShows() throws Exception {
        long start = System.nanoTime();
        createNamespaces();
        Assumptions.assumeTrue(kernelHas8021q(), "skipped: this kernel has no 802.1Q VLAN devices (CONFIG_VLAN_8021Q)");
        vlan(NS_A, LINK_A, VLAN_A4, VLAN_A6);
        vlan(NS_B, LINK_B, VLAN_B4, VLAN_B6);
        List<TsharkFields.Frame> tshark = captureAndCrossCheck(() -> generateTraffic(
                List.of(VLAN_B4, VLAN_B4, VLAN_B6, VLAN_B6), List.of(VLAN_B4, VLAN_B6), List.of(VLAN_B4)), start);

        String id = Integer.toString(VLAN_ID);
        for (String type : List.of("icmp.type", "icmpv6.type")) {
            assertSeen(tshark, "802.1Q-tagged echoes over " + type, 4, f -> has(f, "vlan.id", id) && !f.get(type).isEmpty());
        }
        assertSeen(tshark, "UDP over the VLAN", 2, f -> has(f, "vlan.id", id) && !f.get("udp.length").isEmpty());
        assertSeen(tshark, "a SYN over the VLAN", 1, f -> has(f, "vlan.id", id) && has(f, "tcp.flags", "2") && hasSynOptions(f));
    }

    /** Captures {@code traffic} on A's veth, then cross-checks every frame; tshark's frames for further checks. */
    private List<TsharkFields.Frame> captureAndCrossCheck(Traffic traffic, long start) throws Exception {
        Path capture = dir.resolve("veth.pcapng");
        String dumpcapStderr = capture(capture, traffic);
        List<byte[]> frames = new ArrayList<>();
        try (PacketFileReader reader = PacketFileReader.open(capture)) {
            PacketRecord record = new PacketRecord();
            while (reader.next(record)) {
                assertTrue(!record.isTruncated(), "dumpcap's snap length cut frame " + (frames.size() + 1));
                frames.add(record.toByteArray());
            }
        }
        assertTrue(dumpcapStderr.contains("Packets captured: " + frames.size()), "our reader read " + frames.size()
                + " frames; dumpcap said:\n" + dumpcapStderr);
        List<TsharkFields.Frame> tshark = TsharkFields.decode(capture, dir);
        TsharkFields.Agreement agreement = TsharkFields.assertAgree(frames, tshark);
        System.out.printf("kernel capture cross-check: %d frames, %d fields and %d values agree, %d ms%n",
                agreement.packets(), agreement.fieldsCompared(), agreement.valuesCompared(), (System.nanoTime() - start) / 1_000_000);
        return tshark;
    }

    private static boolean untunnelled(TsharkFields.Frame f) {
        return f.get("vxlan.vni").isEmpty();
    }

    private static boolean has(TsharkFields.Frame f, String field, String value) {
        return f.get(field).contains(value);
    }

    private static boolean hasSynOptions(TsharkFields.Frame f) {
        return !f.get("tcp.options.mss_val").isEmpty() && !f.get("tcp.options.sack_perm").isEmpty()
                && !f.get("tcp.options.timestamp.tsval").isEmpty() && !f.get("tcp.options.wscale.shift").isEmpty();
    }

    private static void assertSeen(List<TsharkFields.Frame> frames, String what, int atLeast, Predicate<TsharkFields.Frame> test) {
        long seen = frames.stream().filter(test).count();
        assertTrue(seen >= atLeast, "expected " + what + ": " + seen + " frames of " + frames.size() + " match, wanted " + atLeast);
    }

    /** Two namespaces and a veth pair between them, each end with an IPv4 and an IPv6 address. */
    private void createNamespaces() throws Exception {
        ip("netns", "add", NS_A);
        ip("netns", "add", NS_B);
        ip("link", "add", LINK_A, "netns", NS_A, "type", "veth", "peer", "name", LINK_B, "netns", NS_B);
        configure(NS_A, LINK_A, A4, A6);
        configure(NS_B, LINK_B, B4, B6);
        // With offload, a veth passes TCP/UDP checksums unfinished and the capture shows them bad.
        InNetworkNamespace.disableTransmitChecksumOffload(NS_A, LINK_A);
        InNetworkNamespace.disableTransmitChecksumOffload(NS_B, LINK_B);
    }

    /** Addresses {@code dev}, without duplicate address detection, and brings it up with lo. */
    private static void configure(String ns, String dev, String v4, String v6) throws Exception {
        ip("-n", ns, "addr", "add", v4 + "/24", "dev", dev);
        ip("-n", ns, "addr", "add", v6 + "/64", "dev", dev, "nodad");
        ip("-n", ns, "link", "set", dev, "up");
        ip("-n", ns, "link", "set", "lo", "up");
    }

    /** A kernel VXLAN device to the peer's veth address, with addresses of its own. */
    private static void tunnel(String ns, String local, String remote, String v4, String v6) throws Exception {
        ip("-n", ns, "link", "add", "vx", "type", "vxlan", "id", Integer.toString(VNI), "dstport", "4789",
                "local", local, "remote", remote, "dev", ns.equals(NS_A) ? LINK_A : LINK_B);
        configure(ns, "vx", v4, v6);
    }

    /** An 802.1Q subinterface whose frames carry PCP {@link #VLAN_PCP}, with addresses of its own. */
    private static void vlan(String ns, String link, String v4, String v6) throws Exception {
        String vlan = link + "." + VLAN_ID;
        ip("-n", ns, "link", "add", "link", link, "name", vlan, "type", "vlan", "id", Integer.toString(VLAN_ID),
                "egress-qos-map", "0:" + VLAN_PCP);
        configure(ns, vlan, v4, v6);
    }

    private static boolean kernelHas8021q() throws Exception {
        Process probe = new ProcessBuilder("ip", "-n", NS_A, "link", "add", "link", LINK_A, "name", "probe", "type", "vlan", "id", "1")
                .redirectErrorStream(true).start();
        String output = new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!probe.waitFor(10, TimeUnit.SECONDS)) {
            fail("ip link add type vlan did not finish");
        }
        if (probe.exitValue() == 0) {
            ip("-n", NS_A, "link", "del", "probe");
            return true;
        }
        assertTrue(output.contains("Unknown device type"), "ip link add type vlan failed: " + output);
        return false;
    }

    private static void ip(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("ip"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(10, TimeUnit.SECONDS) || process.exitValue() != 0) {
            fail(String.join(" ", command) + " failed: " + output);
        }
    }

    @FunctionalInterface
    private interface Traffic {
        void run() throws Exception;
    }

    /** Runs dumpcap on A's veth around {@code traffic}; stops it cleanly and returns what it printed. */
    private String capture(Path file, Traffic traffic) throws Exception {
        Path stderr = dir.resolve("dumpcap.stderr");
        dumpcap = new ProcessBuilder("ip", "netns", "exec", NS_A, "dumpcap", "-i", LINK_A, "-w", file.toString())
                .redirectErrorStream(true).redirectOutput(stderr.toFile()).start();
        DatagramSocket sink = keep(InNetworkNamespace.call(NS_B, 5, () -> new DatagramSocket(new InetSocketAddress(B4, 0))));
        probeUntil(sink, "probe", () -> Files.readString(stderr).matches("(?s).*Packets: [1-9].*"), stderr);
        traffic.run();
        // dumpcap reads frames in blocks and loses the unfinished one when stopped: wait for a last
        // datagram to reach the file, and so every frame before it.
        byte[] sentinel = "nfchain-sentinel".getBytes(StandardCharsets.US_ASCII);
        probeUntil(sink, "nfchain-sentinel", () -> contains(Files.readAllBytes(file), sentinel), stderr);
        dumpcap.destroy(); // SIGTERM: dumpcap finishes the file and prints its counts
        if (!dumpcap.waitFor(10, TimeUnit.SECONDS)) {
            fail("dumpcap did not stop on SIGTERM");
        }
        String printed = Files.readString(stderr);
        assertEquals(0, dumpcap.exitValue(), printed);
        Matcher dropped = Pattern.compile("received/dropped on interface '" + LINK_A + "': \\d+/(\\d+)").matcher(printed);
        assertTrue(dropped.find() && dropped.group(1).equals("0"), "dumpcap dropped frames: " + printed);
        return printed;
    }

    @FunctionalInterface
    private interface Condition {
        boolean holds() throws IOException;
    }

    /**
     * Sends UDP datagrams of {@code text} from A to {@code sink} in B every 50 ms until {@code done}:
     * dumpcap prints "File:" before its capture is live and keeps frames in blocks, so only frames
     * it has counted or written are known to be caught. The datagrams stay in the capture and are
     * cross-checked with the rest.
     */
    private void probeUntil(DatagramSocket sink, String text, Condition done, Path stderr) throws Exception {
        InNetworkNamespace.call(NS_A, 15, () -> {
            try (DatagramSocket probe = new DatagramSocket()) {
                byte[] payload = text.getBytes(StandardCharsets.US_ASCII);
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (!done.holds()) {
                    if (!dumpcap.isAlive() || System.nanoTime() > deadline) {
                        fail("dumpcap did not capture '" + text + "': " + Files.readString(stderr));
                    }
                    probe.send(new DatagramPacket(payload, payload.length, sink.getLocalSocketAddress()));
                    Thread.sleep(50);
                }
            }
            return null;
        });
    }

    private static boolean contains(byte[] data, byte[] part) {
        for (int i = 0; i + part.length <= data.length; i++) {
            if (Arrays.equals(data, i, i + part.length, part, 0, part.length)) {
                return true;
            }
        }
        return false;
    }

    private <T extends AutoCloseable> T keep(T socket) {
        sockets.add(socket);
        return socket;
    }

    /**
     * Echo servers in B, then from A: an ICMP echo to each of {@code pings}, a TCP connection to
     * each of {@code tcpPeers} and a UDP datagram (DSCP EF) to each of {@code udpPeers}, each echoed.
     */
    private void generateTraffic(List<String> pings, List<String> tcpPeers, List<String> udpPeers) throws Exception {
        List<ServerSocket> tcpServers = new ArrayList<>();
        for (String address : tcpPeers) {
            ServerSocket server = keep(InNetworkNamespace.call(NS_B, 5, () -> new ServerSocket(0, 1, InetAddress.getByName(address))));
            tcpServers.add(server);
            Thread.ofPlatform().daemon().start(() -> echoTcp(server));
        }
        List<DatagramSocket> udpServers = new ArrayList<>();
        for (String address : udpPeers) {
            DatagramSocket server = keep(InNetworkNamespace.call(NS_B, 5, () -> new DatagramSocket(new InetSocketAddress(address, 0))));
            udpServers.add(server);
            Thread.ofPlatform().daemon().start(() -> echoUdp(server));
        }
        InNetworkNamespace.call(NS_A, 20, () -> {
            for (String address : pings) {
                assertTrue(InetAddress.getByName(address).isReachable(TIMEOUT_MS), "no echo reply from " + address);
            }
            for (ServerSocket server : tcpServers) {
                try (Socket client = new Socket()) {
                    client.setSoTimeout(TIMEOUT_MS);
                    client.connect(server.getLocalSocketAddress(), TIMEOUT_MS);
                    client.getOutputStream().write("hello".getBytes(StandardCharsets.US_ASCII));
                    assertEquals("hello", new String(client.getInputStream().readNBytes(5), StandardCharsets.US_ASCII));
                }
            }
            for (DatagramSocket server : udpServers) {
                try (DatagramSocket client = new DatagramSocket()) {
                    client.setSoTimeout(TIMEOUT_MS);
                    client.setTrafficClass(46 << 2); // DSCP EF, so the capture shows a non-zero DS field
                    byte[] payload = "datagram".getBytes(StandardCharsets.US_ASCII);
                    client.send(new DatagramPacket(payload, payload.length, server.getLocalSocketAddress()));
                    DatagramPacket echo = new DatagramPacket(new byte[64], 64);
                    client.receive(echo);
                    assertEquals(payload.length, echo.getLength());
                }
            }
            return null;
        });
    }

    private static void echoTcp(ServerSocket server) {
        try (Socket s = server.accept()) {
            s.getOutputStream().write(s.getInputStream().readNBytes(5));
        } catch (IOException e) {
            // closed by cleanUp, or the client's failure is reported by the client
        }
    }

    private static void echoUdp(DatagramSocket server) {
        try {
            DatagramPacket packet = new DatagramPacket(new byte[64], 64);
            server.receive(packet);
            server.send(new DatagramPacket(packet.getData(), packet.getLength(), packet.getSocketAddress()));
        } catch (IOException e) {
            // closed by cleanUp, or the client's failure is reported by the client
        }
    }
}
