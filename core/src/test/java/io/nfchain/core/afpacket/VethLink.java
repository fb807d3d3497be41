package io.nfchain.core.afpacket;

import io.nfchain.core.packet.InNetworkNamespace;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A veth pair between two network namespaces of its own ({@code nfap-a-PID-N}, {@code
 * nfap-b-PID-N}), or with both ends in one namespace; IPv6 is off in them so the kernel sends
 * nothing unasked (no router solicitations, no MLD). {@link #close()} deletes the namespaces,
 * which deletes the pair. Root only; not thread-safe.
 */
final class VethLink implements AutoCloseable {
    static final String DEV_A = "apa";
    static final String DEV_B = "apb";
    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    final String nsA;
    final String nsB;

    private VethLink(String nsA, String nsB) {
        this.nsA = nsA;
        this.nsB = nsB;
    }

    /** Two namespaces joined by the pair, links up with {@code mtuBytes}, no addresses. */
    static VethLink create(int mtuBytes) throws IOException, InterruptedException {
        String id = ProcessHandle.current().pid() + "-" + SEQUENCE.incrementAndGet();
        return create("nfap-a-" + id, "nfap-b-" + id, mtuBytes);
    }

    /** Both ends in one namespace (for a separate process run with {@code ip netns exec}). */
    static VethLink createInOneNamespace(int mtuBytes) throws IOException, InterruptedException {
        String ns = "nfap-" + ProcessHandle.current().pid() + "-" + SEQUENCE.incrementAndGet();
        return create(ns, ns, mtuBytes);
    }

    private static VethLink create(String nsA, String nsB, int mtuBytes) throws IOException, InterruptedException {
        VethLink link = new VethLink(nsA, nsB);
        try {
            for (String ns : nsA.equals(nsB) ? List.of(nsA) : List.of(nsA, nsB)) {
                ip("netns", "add", ns);
                run("ip", "netns", "exec", ns, "sysctl", "-q", "-w", "net.ipv6.conf.all.disable_ipv6=1",
                        "net.ipv6.conf.default.disable_ipv6=1");
            }
            ip("link", "add", DEV_A, "netns", nsA, "mtu", Integer.toString(mtuBytes), "type", "veth",
                    "peer", "name", DEV_B, "netns", nsB, "mtu", Integer.toString(mtuBytes));
            ip("-n", nsA, "link", "set", DEV_A, "up");
            ip("-n", nsB, "link", "set", DEV_B, "up");
        } catch (IOException | InterruptedException | RuntimeException e) {
            link.close();
            throw e;
        }
        return link;
    }

    /** Gives {@code dev} in {@code ns} an IPv4 address ({@code a.b.c.d/len}). */
    void address(String ns, String dev, String cidr) throws IOException, InterruptedException {
        ip("-n", ns, "addr", "add", cidr, "dev", dev);
    }

    /** Runs {@code task} on a thread inside namespace {@code ns}: ports and sockets it opens live there. */
    <T> T in(String ns, Callable<T> task) throws Exception {
        return InNetworkNamespace.call(ns, 30, task);
    }

    /** A veth statistic of {@code dev}, such as {@code rx_packets} or {@code tx_dropped}. */
    long statistic(String ns, String dev, String name) throws IOException, InterruptedException {
        return Long.parseLong(run("ip", "netns", "exec", ns, "cat", "/sys/class/net/" + dev + "/statistics/" + name).strip());
    }

    @Override
    public void close() {
        for (String ns : nsA.equals(nsB) ? List.of(nsA) : List.of(nsA, nsB)) {
            try {
                new ProcessBuilder("ip", "netns", "del", ns).redirectErrorStream(true).start().waitFor(10, TimeUnit.SECONDS);
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException("ip netns del " + ns, e);
            }
        }
    }

    static void ip(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("ip"));
        command.addAll(List.of(args));
        run(command.toArray(String[]::new));
    }

    static String run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(10, TimeUnit.SECONDS) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
        }
        return output;
    }
}
