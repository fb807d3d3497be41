package io.nfchain.functions.charging;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code ./nfchain charging-records FILE...}: prints every record of offline usage record files as
 * one JSON line each, then per URR its usage (the last record's cumulative counts), then whether
 * the file is intact to its end or where and why reading stopped. Exit status 0 when every file
 * is intact, 1 when one has a damaged or truncated tail (the records before it are printed), 2
 * on usage errors. JDK classes only: runs from the functions jar alone.
 */
public final class UsageRecordsMain {
    private UsageRecordsMain() {}

    public static void main(String[] args) {
        if (args.length == 0 || args[0].startsWith("-")) {
            System.err.println("usage: ./nfchain charging-records FILE...   (offline usage records of the charging function)");
            System.exit(2);
        }
        int status = 0;
        for (String file : args) {
            status = Math.max(status, print(Path.of(file), System.out));
        }
        System.exit(status);
    }

    static int print(Path file, PrintStream out) {
        Map<String, UsageRecord> last = new TreeMap<>();
        UsageRecordReader.Result result;
        try {
            result = UsageRecordReader.read(file, r -> {
                out.println(json(r, "record"));
                UsageRecord previous = last.get(key(r));
                if (previous == null || previous.seq() < r.seq()) {
                    last.put(key(r), r);
                }
            });
        } catch (IOException e) {
            System.err.println("charging-records: " + file + ": " + e.getMessage());
            return 2;
        }
        for (UsageRecord r : last.values()) {
            out.println(json(r, "usage"));
        }
        out.printf("{\"file\":\"%s\",\"records\":%d,\"intact_bytes\":%d,\"problem\":\"%s\",\"message\":\"%s\"}%n",
                file, result.records(), result.goodBytes(), result.problem(), result.message());
        return result.problem() == UsageRecordReader.Problem.NONE ? 0 : 1;
    }

    private static String key(UsageRecord r) {
        return String.format("%020d/%010d", r.seid(), r.urrId() & 0xffffffffL);
    }

    static String json(UsageRecord r, String kind) {
        return String.format("{\"kind\":\"%s\",\"seq\":%d,\"seid\":%s,\"urr_id\":%d,\"reason\":%d,\"written_unix_ns\":%d,"
                + "\"bytes_uplink\":%d,\"bytes_downlink\":%d,\"packets_uplink\":%d,\"packets_downlink\":%d,"
                + "\"first_packet_unix_ns\":%d,\"last_packet_unix_ns\":%d,\"packets_over_quota\":%d}",
                kind, r.seq(), Long.toUnsignedString(r.seid()), r.urrId() & 0xffffffffL, r.reason(), r.writtenUnixNs(),
                r.bytesUp(), r.bytesDown(), r.packetsUp(), r.packetsDown(), r.firstPacketUnixNs(),
                r.lastPacketUnixNs(), r.packetsOverQuota());
    }
}
