package io.nfchain.core.dpdk;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Immutable: how to run one {@code dpdk-testpmd} with one {@code net_memif} port, and the
 * command line that says so.
 *
 * <p>Two lcores: a main one (it only reads the console) and one forwarding lcore, which
 * busy-polls its core. Two testpmds on one 2-core machine must forward on different cores
 * ({@code withLcores(0, 1)} and {@code withLcores(1, 0)}), or they share one and crawl.
 *
 * <p>Memory: without hugepages, {@code --no-huge -m MB} with {@code --total-num-mbufs} (testpmd's
 * default pool does not fit 1 GiB of plain pages); with them, {@code --huge-dir} names a mounted
 * hugetlbfs (see {@link HugePages}) and EAL allocates pages as it needs them.
 *
 * @param socketPath the memif control socket: a filesystem path ({@code socket-abstract=no}),
 *     under 108 bytes, without commas
 * @param role which memif end testpmd plays
 * @param forwardMode testpmd's forwarding engine
 * @param mainLcore the core of testpmd's main thread
 * @param forwardingLcore the core testpmd forwards on; not {@code mainLcore}
 * @param txPacketBytes frame length {@code txonly} sends (14 + 20 + 8 .. 9000), 0 for testpmd's 64
 * @param bufferBytes memif {@code bsize} (buffer size when testpmd is the client), 0 for 2048
 * @param log2RingSize memif {@code rsize}, 1 .. 14, 0 for 10
 * @param hugeDir a mounted hugetlbfs, or null for {@code --no-huge}
 * @param memoryMb {@code -m} without hugepages
 * @param totalMbufs {@code --total-num-mbufs}
 * @param burst packets per burst, 1 .. 512
 */
public record TestPmdConfig(Path socketPath, Role role, ForwardMode forwardMode, int mainLcore, int forwardingLcore,
        int txPacketBytes, int bufferBytes, int log2RingSize, Path hugeDir, int memoryMb, int totalMbufs, int burst) {

    /** The memif role testpmd plays. */
    public enum Role {
        SERVER("server"), CLIENT("client");

        private final String devarg;

        Role(String devarg) {
            this.devarg = devarg;
        }
    }

    /** testpmd forwarding engines that make sense on one memif port. */
    public enum ForwardMode {
        /** Receives and frees: a sink that counts. */
        RXONLY("rxonly"),
        /** Sends generated IPv4/UDP frames and never reads its receive ring. */
        TXONLY("txonly"),
        /** Sends back what it receives, unchanged (one port: back on itself). */
        IO("io"),
        /** Sends back what it receives with source and destination MAC swapped. */
        MACSWAP("macswap"),
        /** Sends generated flows and also receives. */
        FLOWGEN("flowgen");

        private final String testpmdName;

        ForwardMode(String testpmdName) {
            this.testpmdName = testpmdName;
        }
    }

    private static final int MAX_SOCKET_PATH_BYTES = 107;
    private static final int MIN_TX_PACKET_BYTES = 14 + 20 + 8;

    public TestPmdConfig {
        byte[] path = socketPath.toString().getBytes(StandardCharsets.UTF_8);
        if (path.length > MAX_SOCKET_PATH_BYTES || socketPath.toString().matches(".*[,\\s].*")) {
            throw new IllegalArgumentException("socket path must be at most 107 bytes without commas or spaces: "
                    + socketPath);
        }
        if (mainLcore < 0 || forwardingLcore < 0 || mainLcore == forwardingLcore) {
            throw new IllegalArgumentException("main and forwarding lcores must differ: " + mainLcore + ", "
                    + forwardingLcore);
        }
        if (txPacketBytes != 0 && (txPacketBytes < MIN_TX_PACKET_BYTES || txPacketBytes > 9000)) {
            throw new IllegalArgumentException("txPacketBytes must be 0 or 42..9000: " + txPacketBytes);
        }
        if (bufferBytes != 0 && (bufferBytes < 64 || bufferBytes > 0xffff)) {
            throw new IllegalArgumentException("bufferBytes must be 0 or 64..65535: " + bufferBytes);
        }
        if (log2RingSize < 0 || log2RingSize > 14) {
            throw new IllegalArgumentException("log2RingSize must be 0..14: " + log2RingSize);
        }
        if (memoryMb < 64 || totalMbufs < 1024 || burst < 1 || burst > 512) {
            throw new IllegalArgumentException("memoryMb >= 64, totalMbufs >= 1024, burst 1..512: " + memoryMb + ", "
                    + totalMbufs + ", " + burst);
        }
    }

    /**
     * Main lcore 0, forwarding lcore 1, testpmd's and memif's default sizes, no hugepages with
     * {@code -m 1024 --total-num-mbufs=16384}, bursts of 32.
     */
    public static TestPmdConfig of(Path socketPath, Role role, ForwardMode forwardMode) {
        return new TestPmdConfig(socketPath, role, forwardMode, 0, 1, 0, 0, 0, null, 1024, 16384, 32);
    }

    public TestPmdConfig withLcores(int main, int forwarding) {
        return new TestPmdConfig(socketPath, role, forwardMode, main, forwarding, txPacketBytes, bufferBytes,
                log2RingSize, hugeDir, memoryMb, totalMbufs, burst);
    }

    public TestPmdConfig withTxPacketBytes(int bytes) {
        return new TestPmdConfig(socketPath, role, forwardMode, mainLcore, forwardingLcore, bytes, bufferBytes,
                log2RingSize, hugeDir, memoryMb, totalMbufs, burst);
    }

    /** memif {@code bsize} and {@code rsize}; 0 keeps the driver's default. */
    public TestPmdConfig withRing(int newBufferBytes, int newLog2RingSize) {
        return new TestPmdConfig(socketPath, role, forwardMode, mainLcore, forwardingLcore, txPacketBytes,
                newBufferBytes, newLog2RingSize, hugeDir, memoryMb, totalMbufs, burst);
    }

    /** Packets per receive and transmit burst ({@code --burst}), 1 .. 512. */
    public TestPmdConfig withBurst(int newBurst) {
        return new TestPmdConfig(socketPath, role, forwardMode, mainLcore, forwardingLcore, txPacketBytes,
                bufferBytes, log2RingSize, hugeDir, memoryMb, totalMbufs, newBurst);
    }

    /** Hugepages from the hugetlbfs mounted at {@code dir}, or none ({@code --no-huge}) when null. */
    public TestPmdConfig withHugeDir(Path dir) {
        return new TestPmdConfig(socketPath, role, forwardMode, mainLcore, forwardingLcore, txPacketBytes,
                bufferBytes, log2RingSize, dir, memoryMb, totalMbufs, burst);
    }

    /** The whole command line: {@code program}, EAL arguments, {@code --}, testpmd's. */
    public List<String> commandLine(String program, String filePrefix) {
        List<String> c = new ArrayList<>();
        c.add(program);
        c.add("-l");
        c.add(Math.min(mainLcore, forwardingLcore) + "," + Math.max(mainLcore, forwardingLcore));
        c.add("--main-lcore");
        c.add(Integer.toString(mainLcore));
        c.add("--no-pci");
        c.add("--file-prefix=" + filePrefix);
        c.add(vdev());
        if (hugeDir == null) {
            c.add("--no-huge");
            c.add("-m");
            c.add(Integer.toString(memoryMb));
        } else {
            c.add("--huge-dir=" + hugeDir);
        }
        c.add("--");
        c.add("-i");
        c.add("--total-num-mbufs=" + totalMbufs);
        c.add("--forward-mode=" + forwardMode.testpmdName);
        c.add("--port-topology=loop"); // one port: io and macswap send back where they received
        c.add("--burst=" + burst);
        // By default `start` first drains the receive ring and frees what it finds: frames a peer
        // sent in that moment would be lost to io forwarding and missing from forward statistics.
        c.add("--no-flush-rx");
        if (txPacketBytes != 0) {
            c.add("--txpkts=" + txPacketBytes);
        }
        return c;
    }

    private String vdev() {
        StringBuilder v = new StringBuilder("--vdev=net_memif0,role=").append(role.devarg)
                .append(",id=0,socket=").append(socketPath).append(",socket-abstract=no");
        if (bufferBytes != 0) {
            v.append(",bsize=").append(bufferBytes);
        }
        if (log2RingSize != 0) {
            v.append(",rsize=").append(log2RingSize);
        }
        return v.toString();
    }
}
