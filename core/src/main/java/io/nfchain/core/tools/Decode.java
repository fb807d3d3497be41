package io.nfchain.core.tools;

import io.nfchain.core.packet.PacketParser;
import io.nfchain.core.packet.ParsedPacket;
import io.nfchain.core.pcap.LinkType;
import io.nfchain.core.pcap.PacketFileReader;
import io.nfchain.core.pcap.PacketRecord;
import io.nfchain.core.pcap.PcapFormatException;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.Writer;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * {@code nfchain decode FILE...}: one JSON line per packet of a pcap or pcapng file showing how
 * nfchain parses it, so a user can see why a rule did or did not match.
 *
 * <p>Exit status: 0 when every file was read to its end (malformed packets are reported, not
 * errors), 1 when a file could not be read or is not a valid capture, 2 on usage errors.
 */
public final class Decode {
    private Decode() {}

    public static void main(String[] args) throws IOException {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream stdout, PrintStream stderr) throws IOException {
        if (args.length == 0 || args[0].equals("-h") || args[0].equals("--help")) {
            stderr.println("usage: nfchain decode FILE...   (pcap or pcapng, any byte order and timestamp resolution)");
            return 2;
        }
        int status = 0;
        Writer out = new BufferedWriter(new OutputStreamWriter(stdout, StandardCharsets.UTF_8), 1 << 16);
        for (String name : args) {
            try {
                decode(Path.of(name), args.length > 1, out);
            } catch (NoSuchFileException e) {
                out.flush();
                stderr.println("nfchain decode: " + name + ": no such file");
                status = 1;
            } catch (PcapFormatException e) {
                out.flush();
                stderr.println("nfchain decode: " + name + ": " + e.getMessage());
                status = 1;
            }
        }
        out.flush();
        return status;
    }

    private static void decode(Path file, boolean nameEachLine, Writer out) throws IOException {
        ParsedPacket parsed = new ParsedPacket();
        PacketRecord record = new PacketRecord();
        try (PacketFileReader reader = PacketFileReader.open(file)) {
            for (long n = 1; reader.next(record); n++) {
                JsonLine line = new JsonLine();
                if (nameEachLine) {
                    line.put("file", file.toString());
                }
                line.put("n", n);
                if (record.hasTimestamp()) {
                    line.put("ts_ns", record.timestampNs());
                }
                line.put("caplen", record.capturedLength()).put("len", record.originalLength());
                if (record.linkType() != LinkType.ETHERNET) {
                    line.put("status", "UNSUPPORTED_LINK_TYPE").put("reason", "link type " + record.linkType() + " is not Ethernet (1)");
                } else {
                    MemorySegment frame = record.data();
                    PacketParser.parse(frame, parsed);
                    PacketDescription.describe(frame, parsed, line);
                }
                out.write(line.toString());
                out.write('\n');
            }
        }
    }
}
