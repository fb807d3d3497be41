package io.nfchain.core.packet;

import io.nfchain.core.testing.HostTools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * tshark as an independent decoder: runs one {@code tshark -T fields} pass over a capture and
 * compares every field of every frame with {@link DecodedFields}, our decode of the same bytes.
 *
 * <p>tshark runs with a throw-away configuration directory in which every protocol but the ones
 * nfchain parses is disabled, so a random port never turns a payload into DNS or GTP-C, and the
 * user's own Wireshark preferences play no part. Reassembly is off (a first fragment is dissected
 * as it stands, as our parser does) and checksums are verified.
 */
final class TsharkFields {
    /** Our value for a field that carries no value, only presence (a TCP SACK-permitted option). */
    static final String PRESENT = "present";

    /** How tshark prints a field, so that its text and ours compare by value. */
    enum Kind {
        /** Decimal, {@code 0x} hex or {@code True}/{@code False}: compared as a number. */
        NUMBER,
        /** MACs and IPv4 addresses: compared as lower-case text. */
        TEXT,
        /** Compared by value: tshark's compressed text is parsed, ours printed, the same way. */
        IPV6,
        /** Compared by presence, once per occurrence. */
        PRESENCE,
        /** Compared by presence, once per frame (the value may contain the aggregator). */
        FLAG,
        /** {@code frame.protocols} without the layers that carry no header of their own. */
        PROTOCOLS
    }

    record Field(String name, Kind kind) {}

    private static final List<Field> FIELDS = fields(
            "frame.protocols:PROTOCOLS _ws.malformed:FLAG",
            "eth.dst:TEXT eth.src:TEXT eth.type",
            "vlan.priority vlan.dei vlan.id vlan.etype ieee8021ad.priority ieee8021ad.dei ieee8021ad.id",
            "arp.hw.type arp.proto.type arp.hw.size arp.proto.size arp.opcode",
            "arp.src.hw_mac:TEXT arp.src.proto_ipv4:TEXT arp.dst.hw_mac:TEXT arp.dst.proto_ipv4:TEXT",
            "ip.version ip.hdr_len ip.dsfield ip.dsfield.dscp ip.dsfield.ecn ip.len ip.id ip.flags.df ip.flags.mf",
            "ip.frag_offset ip.ttl ip.proto ip.checksum ip.checksum.status ip.src:TEXT ip.dst:TEXT",
            "ipv6.version ipv6.tclass ipv6.tclass.dscp ipv6.tclass.ecn ipv6.flow ipv6.plen ipv6.nxt ipv6.hlim",
            "ipv6.src:IPV6 ipv6.dst:IPV6 ipv6.hopopts.nxt ipv6.hopopts.len ipv6.dstopts.nxt ipv6.dstopts.len",
            "ipv6.routing.nxt ipv6.routing.len ipv6.routing.type ipv6.routing.segleft",
            "ipv6.fraghdr.nxt ipv6.fraghdr.offset ipv6.fraghdr.more ipv6.fraghdr.ident",
            "icmp.type icmp.code icmp.checksum icmp.checksum.status icmp.ident icmp.seq",
            "icmpv6.type icmpv6.code icmpv6.checksum icmpv6.checksum.status icmpv6.echo.identifier icmpv6.echo.sequence_number",
            "icmpv6.nd.ns.target_address:IPV6 icmpv6.nd.na.target_address:IPV6",
            "icmpv6.nd.na.flag.r icmpv6.nd.na.flag.s icmpv6.nd.na.flag.o icmpv6.opt.type icmpv6.opt.linkaddr:TEXT",
            "udp.srcport udp.dstport udp.length udp.checksum udp.checksum.status",
            "tcp.srcport tcp.dstport tcp.seq_raw tcp.ack_raw tcp.hdr_len tcp.flags tcp.window_size_value",
            "tcp.checksum tcp.checksum.status tcp.urgent_pointer tcp.options.mss_val tcp.options.wscale.shift",
            "tcp.options.sack_perm:PRESENCE tcp.options.timestamp.tsval tcp.options.timestamp.tsecr",
            "gtp.flags gtp.flags.version gtp.flags.payload gtp.flags.e gtp.flags.s gtp.flags.pn gtp.message",
            "gtp.length gtp.teid gtp.seq_number gtp.npdu_number gtp.ext_hdr.next gtp.ext_hdr.length",
            "gtp.ext_hdr.pdu_ses_con.pdu_type gtp.ext_hdr.pdu_ses_con.qos_flow_id",
            "vxlan.flags vxlan.vni");

    /** Protocols tshark keeps enabled: what nfchain parses, and what carries them. */
    private static final String ENABLED_PROTOCOLS =
            "frame|eth|ethertype|vlan|ieee8021ad|arp|ip|ipv6(\\..*)?|icmp|icmpv6|udp|tcp(\\.options\\..*)?|gtp|vxlan|data|_ws\\..*";
    /** frame.protocols entries with no header of their own. */
    private static final Set<String> NOT_LAYERS = Set.of("frame", "ethertype", "data");

    private TsharkFields() {}

    private static List<Field> fields(String... lines) {
        List<Field> fields = new ArrayList<>();
        for (String line : lines) {
            for (String spec : line.split(" ")) {
                String[] parts = spec.split(":");
                fields.add(new Field(parts[0], parts.length == 1 ? Kind.NUMBER : Kind.valueOf(parts[1])));
            }
        }
        return List.copyOf(fields);
    }

    /** Field values of one frame, by field name; a field tshark did not show has an empty list. */
    record Frame(int number, Map<String, List<String>> values) {
        List<String> get(String field) {
            return values.getOrDefault(field, List.of());
        }
    }

    /** Decodes every frame of {@code capture} with one tshark pass; {@code workDir} holds its configuration. */
    static List<Frame> decode(Path capture, Path workDir) throws IOException, InterruptedException {
        Path config = Files.createDirectories(workDir.resolve("wireshark-config"));
        List<String> disabled = run(List.of("tshark", "-G", "protocols"), null).stream()
                .map(line -> line.split("\t")[2])
                .filter(name -> !name.matches(ENABLED_PROTOCOLS))
                .toList();
        Files.write(config.resolve("disabled_protos"), disabled);
        List<String> command = new ArrayList<>(List.of("tshark", "-n", "-r", capture.toString(),
                "-o", "ip.defragment:FALSE", "-o", "ipv6.defragment:FALSE",
                "-o", "ip.check_checksum:TRUE", "-o", "udp.check_checksum:TRUE", "-o", "tcp.check_checksum:TRUE",
                "-o", "gtp.dissect_gtp_over_tcp:FALSE", "-o", "gtp.v0_port:0", "-o", "gtp.v1c_port:0",
                "-T", "fields", "-E", "separator=/t", "-E", "occurrence=a", "-E", "aggregator=,", "-E", "quote=n",
                "-e", "frame.number"));
        FIELDS.forEach(field -> command.addAll(List.of("-e", field.name())));
        List<Frame> frames = new ArrayList<>();
        for (String line : run(command, config)) {
            String[] columns = line.split("\t", -1);
            assertEquals(FIELDS.size() + 1, columns.length, "tshark printed an unexpected line: " + line);
            Map<String, List<String>> values = new TreeMap<>();
            for (int i = 0; i < FIELDS.size(); i++) {
                List<String> v = normalize(FIELDS.get(i), columns[i + 1]);
                if (!v.isEmpty()) {
                    values.put(FIELDS.get(i).name(), v);
                }
            }
            frames.add(new Frame(Integer.parseInt(columns[0]), values));
        }
        return frames;
    }

    private static List<String> normalize(Field field, String text) {
        if (text.isEmpty()) {
            return List.of();
        }
        return switch (field.kind()) {
            case FLAG -> List.of(PRESENT);
            case PROTOCOLS -> List.of(Arrays.stream(text.split(":"))
                    .filter(p -> !NOT_LAYERS.contains(p)).collect(Collectors.joining(":")));
            default -> Arrays.stream(text.split(",", -1)).map(v -> normalizeValue(field, v)).toList();
        };
    }

    private static String normalizeValue(Field field, String v) {
        try {
            return switch (field.kind()) {
                case NUMBER -> v.startsWith("0x") ? Long.toString(Long.parseUnsignedLong(v.substring(2), 16))
                        : v.equals("True") ? "1" : v.equals("False") ? "0" : Long.toString(Long.parseLong(v));
                case TEXT -> v.toLowerCase();
                case IPV6 -> {
                    long[] address = IpAddresses.parseIpv6(v);
                    yield IpAddresses.ipv6ToString(address[0], address[1]);
                }
                default -> PRESENT;
            };
        } catch (RuntimeException e) {
            throw new IllegalStateException("tshark printed " + field.name() + " as '" + v + "'", e);
        }
    }

    /**
     * What one comparison covered: frames, (frame, field) pairs where either side had a value,
     * and values tshark showed.
     */
    record Agreement(int packets, long fieldsCompared, long valuesCompared) {}

    /**
     * Fails unless tshark and {@link DecodedFields} agree on every field of every frame; the
     * message names the frame, the field, both values and the frame's bytes.
     */
    static Agreement assertAgree(List<byte[]> frames, List<Frame> tshark) {
        assertEquals(frames.size(), tshark.size(), "frames tshark decoded");
        List<String> mismatches = new ArrayList<>();
        Map<String, Integer> byField = new TreeMap<>();
        Set<String> known = FIELDS.stream().map(Field::name).collect(Collectors.toSet());
        long fieldsCompared = 0;
        long valuesCompared = 0;
        for (int i = 0; i < frames.size(); i++) {
            Map<String, List<String>> ours = DecodedFields.of(frames.get(i));
            Set<String> unknown = ours.keySet().stream().filter(k -> !known.contains(k)).collect(Collectors.toSet());
            if (!unknown.isEmpty()) {
                throw new IllegalStateException("DecodedFields wrote fields tshark is not asked for: " + unknown);
            }
            Frame theirs = tshark.get(i);
            List<String> frameMismatches = new ArrayList<>();
            for (Field field : FIELDS) {
                List<String> o = ours.getOrDefault(field.name(), List.of());
                List<String> t = theirs.get(field.name());
                if (o.isEmpty() && t.isEmpty()) {
                    continue;
                }
                fieldsCompared++;
                valuesCompared += t.size();
                if (!o.equals(t)) {
                    frameMismatches.add(field.name() + ": ours " + o + ", tshark " + t);
                    byField.merge(field.name(), 1, Integer::sum);
                }
            }
            if (!frameMismatches.isEmpty()) {
                mismatches.add("frame " + theirs.number() + ": " + String.join("; ", frameMismatches)
                        + "\n    hex " + HexFormat.of().formatHex(frames.get(i)));
            }
        }
        if (!mismatches.isEmpty()) {
            fail(mismatches.size() + " of " + frames.size() + " frames decode differently in tshark; frames per field "
                    + byField + "; the first 20:\n  "
                    + String.join("\n  ", mismatches.subList(0, Math.min(20, mismatches.size()))));
        }
        return new Agreement(frames.size(), fieldsCompared, valuesCompared);
    }

    /** Runs tshark (or another host tool) with {@code wiresharkConfig}, when not null, as its profile directory. */
    static List<String> run(List<String> command, Path wiresharkConfig) throws IOException, InterruptedException {
        return HostTools.run(command, wiresharkConfig == null ? Map.of() : Map.of("WIRESHARK_CONFIG_DIR", wiresharkConfig.toString()));
    }
}
