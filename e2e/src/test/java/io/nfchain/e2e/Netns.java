package io.nfchain.e2e;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A network namespace holding one end of a veth pair whose other end stays in this namespace,
 * both ends up and with IPv6 off (so the kernel sends nothing of its own on the wire). Named by
 * this process's pid and a tag; {@link #close()} deletes the namespace, which deletes the pair.
 */
final class Netns implements AutoCloseable {
    final String name;
    final String inside;
    final String outside;

    Netns(String tag, String inside, String outside) throws IOException, InterruptedException {
        this.name = "nfe2e-" + ProcessHandle.current().pid() + "-" + tag;
        this.inside = inside;
        this.outside = outside;
        run("ip", "netns", "add", name);
        try {
            run("ip", "link", "add", outside, "type", "veth", "peer", "name", inside);
            run("ip", "link", "set", inside, "netns", name);
            run("sysctl", "-q", "-w", "net.ipv6.conf." + outside + ".disable_ipv6=1");
            run("ip", "netns", "exec", name, "sysctl", "-q", "-w", "net.ipv6.conf." + inside + ".disable_ipv6=1");
            run("ip", "link", "set", outside, "up");
            run("ip", "netns", "exec", name, "ip", "link", "set", inside, "up");
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    /** The command prefix that runs a program in this namespace. */
    List<String> exec(String... command) {
        List<String> c = new ArrayList<>(List.of("ip", "netns", "exec", name));
        c.addAll(List.of(command));
        return c;
    }

    static String run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + output.trim());
        }
        return output;
    }

    @Override
    public void close() throws IOException, InterruptedException {
        try {
            run("ip", "link", "del", outside);
        } catch (IOException e) {
            // gone already, or never made: deleting the namespace below removes the pair anyway
        }
        run("ip", "netns", "del", name);
    }
}
