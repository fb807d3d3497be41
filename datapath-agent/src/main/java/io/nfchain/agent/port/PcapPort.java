package io.nfchain.agent.port;

import io.nfchain.agent.spec.PortSpec;
import io.nfchain.core.memif.PacketBurst;
import io.nfchain.core.pcap.LinkType;
import io.nfchain.core.pcap.PacketFileFormat;
import io.nfchain.core.pcap.PacketFileReader;
import io.nfchain.core.pcap.PacketFileWriter;
import io.nfchain.core.pcap.PacketRecord;
import io.nfchain.core.pcap.PacketWriterOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Not thread-safe (see {@link Port}). A capture file as a port. Reading: the whole file (pcap or
 * pcapng, Ethernet frames) is loaded when the port is made, at most {@link #MAX_REPLAY_BYTES},
 * and replayed from memory {@code loops} times at {@code ratePps} (0: a burst per poll), so
 * replay never waits on the disk. Writing: frames the port transmits are appended to a pcap file
 * through a buffered writer, flushed every second and at close; that write is the one place a
 * poll thread does file I/O, which is why pcap output is for tests and captures, not for speed.
 */
public final class PcapPort implements Port {
    public static final long MAX_REPLAY_BYTES = 256L << 20;
    private static final long FLUSH_INTERVAL_NS = 1_000_000_000L;

    private final String name;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment frames;
    private final long[] frameOffset;
    private final int[] frameLength;
    private final int loops;
    private final long ratePps;
    private final PacketFileWriter writer;
    private final PortCounters counters = new PortCounters();
    private long startNs = -1;
    private long replayed;
    private int next;
    private int loopsDone;
    private long writeErrors;
    private long tooLong;
    private long lastFlushNs;

    public PcapPort(PortSpec.Pcap spec) throws IOException {
        this.name = spec.name();
        this.loops = spec.loops();
        this.ratePps = spec.ratePps();
        List<byte[]> read = new ArrayList<>();
        long total = 0;
        if (spec.read() != null) {
            try (PacketFileReader reader = PacketFileReader.open(spec.read())) {
                PacketRecord record = new PacketRecord();
                while (reader.next(record)) {
                    if (record.linkType() != LinkType.ETHERNET) {
                        throw new IOException(spec.read() + ": packet " + (read.size() + 1) + " has link type "
                                + record.linkType() + "; only Ethernet (1) is replayed");
                    }
                    total += record.capturedLength();
                    if (total > MAX_REPLAY_BYTES) {
                        throw new IOException(spec.read() + ": more than " + MAX_REPLAY_BYTES + " bytes to replay");
                    }
                    read.add(record.toByteArray());
                }
            }
        }
        frames = arena.allocate(Math.max(total, 1), 64);
        frameOffset = new long[read.size()];
        frameLength = new int[read.size()];
        long at = 0;
        for (int i = 0; i < read.size(); i++) {
            byte[] f = read.get(i);
            MemorySegment.copy(MemorySegment.ofArray(f), 0, frames, at, f.length);
            frameOffset[i] = at;
            frameLength[i] = f.length;
            at += f.length;
        }
        writer = spec.write() == null ? null
                : PacketFileWriter.create(spec.write(), PacketFileFormat.PCAP,
                        new PacketWriterOptions(PacketWriterOptions.DEFAULT_SNAP_LENGTH, LinkType.ETHERNET, name));
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String type() {
        return "pcap";
    }

    @Override
    public boolean isUp() {
        return true;
    }

    /** Whether every loop of the file has been replayed. */
    public boolean replayDone() {
        return frameLength.length == 0 || (loops > 0 && loopsDone >= loops);
    }

    @Override
    public int doWork(long nowNs) {
        if (writer != null && nowNs - lastFlushNs > FLUSH_INTERVAL_NS) {
            lastFlushNs = nowNs;
            try {
                writer.flush();
            } catch (IOException e) {
                writeErrors++;
            }
        }
        return 0;
    }

    @Override
    public int rxBurst(PacketBurst burst, long nowNs) {
        int n = burst.capacity();
        if (ratePps > 0) {
            if (startNs < 0) {
                startNs = nowNs;
            }
            n = (int) Math.min(n, Math.max(0, (long) ((double) (nowNs - startNs) * ratePps / 1e9) - replayed));
        }
        int count = 0;
        long bytes = 0;
        MemorySegment data = burst.data();
        while (count < n && !replayDone()) {
            int length = frameLength[next];
            if (length > burst.frameBytes()) {
                tooLong++;
            } else {
                MemorySegment.copy(frames, frameOffset[next], data, burst.offset(count), length);
                burst.setLength(count, length);
                bytes += length;
                count++;
            }
            if (++next == frameLength.length) {
                next = 0;
                loopsDone++;
            }
        }
        burst.setCount(count);
        replayed += count;
        counters.addRx(count, bytes);
        return count;
    }

    @Override
    public int txBurst(PacketBurst burst, int[] frameIndexes, int count) {
        if (writer == null) {
            throw new UnsupportedOperationException("pcap port " + name + " has no file to write");
        }
        long bytes = 0;
        long nowNs = System.currentTimeMillis() * 1_000_000L;
        MemorySegment data = burst.data();
        for (int i = 0; i < count; i++) {
            int f = frameIndexes[i];
            int length = burst.length(f);
            try {
                writer.write(nowNs, data.asSlice(burst.offset(f), length));
                bytes += length;
            } catch (IOException | UncheckedIOException e) {
                writeErrors++;
            }
        }
        counters.addTx(count, bytes);
        return count;
    }

    @Override
    public PortCounters counters() {
        return counters;
    }

    @Override
    public Map<String, Long> portDrops() {
        return Map.of("PCAP_WRITE_ERROR", writeErrors, "PCAP_FRAME_TOO_LONG", tooLong);
    }

    @Override
    public String dropText(String reason) {
        return reason.equals("PCAP_WRITE_ERROR") ? "frames not written: the capture file refused them"
                : "frames in the file longer than the agent's buffers: not replayed";
    }

    @Override
    public String state() {
        return (frameLength.length > 0 ? "replay " + frameLength.length + " frames, loop " + loopsDone
                + (loops == 0 ? "" : "/" + loops) : "") + (writer != null ? " writing" : "");
    }

    @Override
    public void close() {
        try {
            if (writer != null) {
                writer.close();
            }
        } catch (IOException e) {
            writeErrors++;
        } finally {
            arena.close();
        }
    }
}
