package io.nfchain.e2e.chainbench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Not thread-safe. The kernel doing the chain's job: three namespaces joined by veth pairs,
 * {@code SRC (s0) -- (r0) RTR (r1) -- (d0) DST}. RTR forwards with the bench's routes (its
 * gateways static neighbours on r1 whose MACs no interface has, so DST drops the frames on sight,
 * counted as received on d0: the kernel's sink) and, when {@link #rulesOn}, the bench's rules as
 * an nftables verdict map. The sender is {@link Blaster} in SRC. Every name carries this JVM's
 * pid; {@link #close()} deletes the namespaces (and with them the veths, routes and nft table).
 */
public final class KernelRig implements AutoCloseable {
    static final String TABLE = "nfchain_bench";
    private static final String STATS = "/sys/class/net/";
    private final String src;
    private final String rtr;
    private final String dst;
    private final Path dir;
    private final List<String> created = new ArrayList<>();
    private boolean rulesOn;

    public KernelRig(Path dir) {
        long pid = ProcessHandle.current().pid();
        this.src = "nfcb-src-" + pid;
        this.rtr = "nfcb-rtr-" + pid;
        this.dst = "nfcb-dst-" + pid;
        this.dir = dir;
    }

    /** Builds the namespaces and loads the routes (ip -batch); returns the seconds the routes took. */
    public double setUp(ChainRoutes routes) throws IOException, InterruptedException {
        for (String ns : List.of(src, rtr, dst)) {
            run("ip", "netns", "add", ns);
            created.add(ns);
            run("ip", "-n", ns, "link", "set", "lo", "up");
            run("ip", "netns", "exec", ns, "sysctl", "-qw", "net.ipv6.conf.all.disable_ipv6=1",
                    "net.ipv6.conf.default.disable_ipv6=1");
        }
        run("ip", "link", "add", "s0", "netns", src, "type", "veth", "peer", "name", "r0", "netns", rtr);
        run("ip", "link", "add", "r1", "netns", rtr, "type", "veth", "peer", "name", "d0", "netns", dst);
        run("ip", "-n", src, "link", "set", "s0", "address", "02:00:00:00:00:01", "up");
        run("ip", "-n", rtr, "link", "set", "r0", "address", "02:00:00:00:00:02", "up");
        run("ip", "-n", rtr, "link", "set", "r1", "up");
        run("ip", "-n", dst, "link", "set", "d0", "up");
        run("ip", "-n", rtr, "addr", "add", "203.0.113.1/24", "dev", "r0");
        run("ip", "-n", rtr, "addr", "add", ChainRoutes.LINK_ADDRESS + "/24", "dev", "r1");
        run("ip", "netns", "exec", rtr, "sysctl", "-qw", "net.ipv4.ip_forward=1", "net.ipv4.conf.all.rp_filter=0",
                "net.ipv4.conf.default.rp_filter=0", "net.ipv4.conf.r0.rp_filter=0");
        for (int k = 0; k < ChainRoutes.NEXT_HOPS; k++) {
            run("ip", "-n", rtr, "neigh", "replace", ChainRoutes.gateway(k), "lladdr", ChainRoutes.gatewayMac(k),
                    "dev", "r1", "nud", "permanent");
        }
        Path batch = dir.resolve("routes.batch");
        routes.writeIpBatch(batch, "r1");
        long start = System.nanoTime();
        run("ip", "-n", rtr, "-batch", batch.toString());
        double seconds = (System.nanoTime() - start) / 1e9;
        Files.delete(batch);
        return seconds;
    }

    /** Loads the rules as the nft verdict map (replacing an earlier load). */
    public void rulesOn(ChainRules rules) throws IOException, InterruptedException {
        rulesOff();
        Path script = dir.resolve("rules.nft");
        Files.writeString(script, rules.nftScript(TABLE));
        run("ip", "netns", "exec", rtr, "nft", "-f", script.toString());
        rulesOn = true;
    }

    public void rulesOff() throws IOException, InterruptedException {
        if (rulesOn) {
            run("ip", "netns", "exec", rtr, "nft", "delete", "table", "ip", TABLE);
            rulesOn = false;
        }
    }

    /** Elements in the loaded map: a check that nft took every rule. */
    public int mapElements() throws IOException, InterruptedException {
        String out = run("ip", "netns", "exec", rtr, "nft", "list", "map", "ip", TABLE, "acl");
        return (int) out.lines().filter(l -> l.contains(" : accept") || l.contains(" : drop")).count();
    }

    /** Starts the sender for {@code seconds}, pinned to {@code cpu}. */
    public Process startSender(ChainTraffic traffic, double seconds, int cpu) throws IOException {
        List<String> command = new ArrayList<>(List.of("ip", "netns", "exec", src, "taskset", "-c",
                Integer.toString(cpu), javaBinary(), "--enable-native-access=ALL-UNNAMED", "-cp",
                System.getProperty("java.class.path"), Blaster.class.getName(), "s0", Double.toString(seconds),
                Integer.toString(traffic.flows())));
        traffic.frameBytes().forEach(b -> command.add(Integer.toString(b)));
        return new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("blaster.log").toFile()).start();
    }

    /**
     * Counters at this moment: sent (s0 tx), and from one read in the router namespace, so they
     * belong to the same instant: taken in (r0 rx), its rx drops, and delivered (r1 tx: a veth
     * hands every frame it transmits to its peer, d0).
     */
    public Map<String, Long> counters() throws IOException, InterruptedException {
        Map<String, Long> c = new LinkedHashMap<>();
        c.put("sent", Long.parseLong(run("ip", "netns", "exec", src, "cat", STATS + "s0/statistics/tx_packets")
                .trim()));
        String[] router = run("ip", "netns", "exec", rtr, "cat", STATS + "r0/statistics/rx_packets",
                STATS + "r0/statistics/rx_dropped", STATS + "r1/statistics/tx_packets").trim().split("\\s+");
        c.put("router_rx", Long.parseLong(router[0]));
        c.put("router_rx_dropped", Long.parseLong(router[1]));
        c.put("delivered", Long.parseLong(router[2]));
        return c;
    }

    static String javaBinary() {
        return ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString());
    }

    static String run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException(String.join(" ", command) + ": no answer in 120 s");
        }
        if (p.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed (" + p.exitValue() + "): " + out.strip());
        }
        return out;
    }

    /** Deletes the namespaces this rig made, by name (their veths, routes and nft table go with them). */
    @Override
    public void close() {
        for (String ns : created) {
            try {
                run("ip", "netns", "del", ns);
            } catch (IOException | InterruptedException e) {
                System.err.println("bench chain: could not delete namespace " + ns + ": " + e.getMessage());
            }
        }
        created.clear();
    }
}
