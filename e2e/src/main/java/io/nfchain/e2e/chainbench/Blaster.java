package io.nfchain.e2e.chainbench;

import io.nfchain.agent.port.GenPort;
import io.nfchain.core.memif.PacketBurst;
import io.nfchain.core.os.PacketSocket;
import java.util.List;

/**
 * The kernel run's sender, run inside the sender namespace: {@code Blaster IFACE SECONDS FLOWS
 * SIZE...} makes the bench's traffic with the agent's own {@link GenPort} (so the frames are the
 * ones nfchain's gen port makes) and writes each frame to IFACE with a plain AF_PACKET
 * {@code send}, as fast as the kernel takes them, for SECONDS. The kernel throttles it: a send
 * runs the veth transmit and, in its softirq, the whole forwarding path on this CPU. Prints
 * {@code sent N} at the end.
 */
public final class Blaster {
    private Blaster() {}

    public static void main(String[] args) {
        if (args.length < 4) {
            System.err.println("usage: Blaster IFACE SECONDS FLOWS SIZE...");
            System.exit(2);
        }
        List<Integer> sizes = java.util.Arrays.stream(args, 3, args.length).map(Integer::valueOf).toList();
        ChainTraffic traffic = new ChainTraffic(Integer.parseInt(args[2]), sizes);
        long endNs = System.nanoTime() + (long) (Double.parseDouble(args[1]) * 1e9);
        long sent = 0;
        try (GenPort gen = new GenPort(traffic.genSpec("blaster", 0, 0));
                PacketBurst burst = new PacketBurst(32, 2048);
                PacketSocket socket = PacketSocket.open(PacketSocket.ETH_P_ALL)) {
            socket.bind(PacketSocket.interfaceIndex(args[0]));
            while (System.nanoTime() < endNs) {
                int n = gen.rxBurst(burst, System.nanoTime());
                for (int i = 0; i < n; i++) {
                    socket.send(burst.data().asSlice(burst.offset(i), burst.length(i)));
                }
                sent += n;
            }
        }
        System.out.println("sent " + sent);
    }
}
