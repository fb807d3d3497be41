package io.nfchain.agent.spec;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Thread-safe (stateless). Reads the agent's local node file: YAML with {@code ports},
 * {@code functions} and {@code chains} (the {@code ServiceChain} spec's shape), strictly:
 * unknown fields, wrong types, dangling references and impossible chains are refused with a
 * {@link SpecException} naming the field. The schema is documented in docs/agent.md.
 */
public final class NodeSpecReader {
    /** Longest file read: a node spec is small; a bigger file is a mistake or an attack. */
    public static final int MAX_BYTES = 4 << 20;
    private static final YAMLMapper YAML = new YAMLMapper();
    private static final List<Integer> DEFAULT_FRAME = List.of(64);
    private static final List<Integer> IMIX = List.of(64, 64, 64, 64, 64, 64, 64, 576, 576, 576, 576, 1500);

    private NodeSpecReader() {}

    /** Reads and validates {@code file}; relative socket paths resolve against {@code socketDirectory}. */
    public static NodeSpec read(Path file, Path socketDirectory) throws IOException {
        if (Files.size(file) > MAX_BYTES) {
            throw new SpecException("", file + " is larger than " + MAX_BYTES + " bytes");
        }
        return parse(Files.readString(file), socketDirectory);
    }

    /** Parses and validates one YAML document. */
    public static NodeSpec parse(String yaml, Path socketDirectory) {
        if (yaml.length() > MAX_BYTES) {
            throw new SpecException("", "document is larger than " + MAX_BYTES + " bytes");
        }
        JsonNode root;
        try {
            root = YAML.readTree(yaml);
        } catch (JacksonException e) {
            String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr();
            throw new SpecException("", "not valid YAML" + where + ": " + e.getOriginalMessage());
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            return NodeSpec.EMPTY;
        }
        SpecNode doc = SpecNode.mapping(root, "");
        List<PortSpec> ports = doc.list("ports", (n, i) -> port(n, socketDirectory));
        List<FunctionSpec> functions = doc.list("functions", (n, i) -> function(n, socketDirectory));
        List<ChainSpec> chains = doc.list("chains", (n, i) -> chain(n));
        doc.finish();
        NodeSpec spec = new NodeSpec(ports, functions, chains);
        validate(spec);
        return spec;
    }

    /**
     * Cross-references: unique names, hops naming existing functions (each function serves one
     * hop: it has one link), ingress ports that can receive and egress ports that can transmit,
     * distinct socket paths.
     */
    public static void validate(NodeSpec spec) {
        Map<String, PortSpec> ports = new HashMap<>();
        Set<Path> sockets = new HashSet<>();
        for (int i = 0; i < spec.ports().size(); i++) {
            PortSpec p = spec.ports().get(i);
            if (ports.put(p.name(), p) != null) {
                throw new SpecException("ports[" + i + "].name", "'" + p.name() + "' is used twice");
            }
            if (p instanceof PortSpec.Memif m && !sockets.add(m.socket())) {
                throw new SpecException("ports[" + i + "].socket", m.socket() + " is used twice");
            }
        }
        Map<String, FunctionSpec> functions = new HashMap<>();
        for (int i = 0; i < spec.functions().size(); i++) {
            FunctionSpec f = spec.functions().get(i);
            if (functions.put(f.name(), f) != null) {
                throw new SpecException("functions[" + i + "].name", "'" + f.name() + "' is used twice");
            }
            if (!sockets.add(f.socket())) {
                throw new SpecException("functions[" + i + "].socket", f.socket() + " is used twice");
            }
        }
        Set<String> chainNames = new HashSet<>();
        Map<String, String> hopOwner = new HashMap<>();
        for (int c = 0; c < spec.chains().size(); c++) {
            ChainSpec chain = spec.chains().get(c);
            String at = "chains[" + c + "]";
            if (!chainNames.add(chain.name())) {
                throw new SpecException(at + ".name", "'" + chain.name() + "' is used twice");
            }
            PortSpec in = ports.get(chain.classifier().ingressPort());
            if (in == null) {
                throw new SpecException(at + ".classifier.ingressPort", "no port '" + chain.classifier().ingressPort()
                        + "' (ports: " + ports.keySet().stream().sorted().toList() + ")");
            }
            if (!in.canReceive()) {
                throw new SpecException(at + ".classifier.ingressPort", "port '" + in.name() + "' (" + in.type()
                        + ") does not receive packets");
            }
            PortSpec out = ports.get(chain.egressPort());
            if (out == null) {
                throw new SpecException(at + ".egressPort", "no port '" + chain.egressPort() + "' (ports: "
                        + ports.keySet().stream().sorted().toList() + ")");
            }
            if (!out.canTransmit()) {
                throw new SpecException(at + ".egressPort", "port '" + out.name() + "' (" + out.type()
                        + ") does not transmit packets");
            }
            for (int h = 0; h < chain.hops().size(); h++) {
                String function = chain.hops().get(h).function();
                String hopAt = at + ".hops[" + h + "].function";
                if (!functions.containsKey(function)) {
                    throw new SpecException(hopAt, "no function '" + function + "' (functions: "
                            + functions.keySet().stream().sorted().toList() + ")");
                }
                String previous = hopOwner.put(function, hopAt);
                if (previous != null) {
                    throw new SpecException(hopAt, "function '" + function + "' already serves " + previous
                            + "; an instance has one link, so it serves one hop");
                }
            }
        }
    }

    private static PortSpec port(SpecNode n, Path socketDirectory) {
        String name = n.name("name");
        String type = n.string("type");
        PortSpec spec = switch (type) {
            case "memif" -> new PortSpec.Memif(name, socket(n, socketDirectory, name),
                    (int) n.number("interfaceId", 0, 0, 0xFFFFFFFFL), secret(n));
            case "af_packet" -> new PortSpec.AfPacket(name, interfaceName(n));
            case "gen" -> gen(n, name);
            case "pcap" -> pcap(n, name);
            case "sink" -> new PortSpec.Sink(name);
            default -> throw new SpecException(n.at("type"), "'" + type
                    + "' is not a port type (memif, af_packet, gen, pcap, sink)");
        };
        n.finish();
        return spec;
    }

    private static String interfaceName(SpecNode n) {
        String name = n.string("interface");
        if (!name.matches("[A-Za-z0-9_.:@-]{1,15}")) {
            throw new SpecException(n.at("interface"), "'" + name + "' is not a kernel interface name (1-15 characters)");
        }
        return name;
    }

    private static String secret(SpecNode n) {
        String secret = n.optionalString("secret", "");
        if (secret.length() > 24) {
            throw new SpecException(n.at("secret"), "a memif secret is at most 24 bytes");
        }
        return secret;
    }

    private static Path socket(SpecNode n, Path socketDirectory, String name) {
        String text = n.optionalString("socket", name + "/memif.sock");
        Path path = socketDirectory.resolve(text).normalize();
        if (path.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 107) {
            throw new SpecException(n.at("socket"), path + " is longer than a unix socket path may be (107 bytes)");
        }
        return path;
    }

    private static PortSpec.Gen gen(SpecNode n, String name) {
        long rate = n.number("ratePps", 0, 0, 1_000_000_000L);
        List<Integer> frames;
        String mix = n.optionalString("mix", null);
        if (mix != null) {
            if (n.has("frameBytes")) {
                throw new SpecException(n.at("mix"), "give mix or frameBytes, not both");
            }
            frames = switch (mix) {
                case "imix" -> IMIX;
                default -> throw new SpecException(n.at("mix"), "'" + mix + "' is not a known mix (imix)");
            };
        } else {
            frames = n.numbers("frameBytes", DEFAULT_FRAME, 64, 9216);
        }
        int flows = (int) n.number("flows", 1024, 1, 1 << 20);
        Prefix source = Prefix.parse(n.at("source"), n.optionalString("source", "10.0.0.0/16"));
        Prefix destination = Prefix.parse(n.at("destination"), n.optionalString("destination", "10.1.0.0/16"));
        if (source.version() != destination.version()) {
            throw new SpecException(n.at("destination"), "must be of the source's IP version");
        }
        int protocol = protocol(n.at("protocol"), n.optionalString("protocol", "udp"));
        if (protocol != 6 && protocol != 17) {
            throw new SpecException(n.at("protocol"), "gen sends udp or tcp");
        }
        PortRange sourcePorts = PortRange.parse(n.at("sourcePorts"), n.optionalString("sourcePorts", "1024-65535"));
        int destinationPort = (int) n.number("destinationPort", 80, 0, 65535);
        long limit = n.number("limitPackets", 0, 0, Long.MAX_VALUE);
        return new PortSpec.Gen(name, rate, frames, flows, source, destination, protocol, sourcePorts,
                destinationPort, limit);
    }

    private static PortSpec.Pcap pcap(SpecNode n, String name) {
        String read = n.optionalString("read", null);
        String write = n.optionalString("write", null);
        if (read == null && write == null) {
            throw new SpecException(n.path(), "a pcap port reads a file, writes one, or both: give read or write");
        }
        int loops = (int) n.number("loops", 1, 0, Integer.MAX_VALUE);
        long rate = n.number("ratePps", 0, 0, 1_000_000_000L);
        return new PortSpec.Pcap(name, read == null ? null : Path.of(read), loops, rate,
                write == null ? null : Path.of(write));
    }

    private static FunctionSpec function(SpecNode n, Path socketDirectory) {
        String name = n.name("name");
        String type = n.string("type");
        Path socket = socket(n, socketDirectory, name);
        FailurePolicy policy = FailurePolicy.parse(n.at("failurePolicy"), n.optionalString("failurePolicy",
                FailurePolicy.FAIL_CLOSED.text()));
        String secret = secret(n);
        String grpc = n.optionalString("grpc", "");
        boolean unsealed = n.bool("allowUnsealedRegions", false);
        n.finish();
        return new FunctionSpec(name, type, socket, policy, secret, grpc, unsealed);
    }

    private static ChainSpec chain(SpecNode n) {
        String name = n.name("name");
        int priority = (int) n.number("priority", 0, -1_000_000, 1_000_000);
        SpecNode c = n.child("classifier");
        if (c == null) {
            throw new SpecException(n.at("classifier"), "is required (at least ingressPort)");
        }
        String ingress = c.string("ingressPort");
        int vlan = (int) c.number("vlan", ChainSpec.Classifier.ANY_VLAN, 0, 4094);
        SpecNode m = c.child("match");
        MatchSpec match = m == null ? MatchSpec.ANY : match(m);
        c.finish();
        List<ChainSpec.Hop> hops = n.list("hops", (h, i) -> {
            String function = h.string("function");
            String policy = h.optionalString("failurePolicy", null);
            h.finish();
            return new ChainSpec.Hop(function, policy == null ? null : FailurePolicy.parse(h.at("failurePolicy"), policy));
        });
        String egress = n.string("egressPort");
        n.finish();
        return new ChainSpec(name, priority, new ChainSpec.Classifier(ingress, vlan, match), hops, egress);
    }

    private static MatchSpec match(SpecNode m) {
        Prefix source = m.has("source") ? Prefix.parse(m.at("source"), m.string("source")) : null;
        Prefix destination = m.has("destination") ? Prefix.parse(m.at("destination"), m.string("destination")) : null;
        if (source != null && destination != null && source.version() != destination.version()) {
            throw new SpecException(m.at("destination"), "source is IPv" + source.version() + ", destination IPv"
                    + destination.version() + ": no packet has both");
        }
        String proto = m.optionalString("protocol", null);
        int protocol = proto == null ? MatchSpec.ANY_PROTOCOL : protocol(m.at("protocol"), proto);
        PortRange sourcePorts = PortRange.parse(m.at("sourcePorts"), m.optionalString("sourcePorts", "0-65535"));
        PortRange destinationPorts = PortRange.parse(m.at("destinationPorts"),
                m.optionalString("destinationPorts", "0-65535"));
        m.finish();
        MatchSpec match = new MatchSpec(source, destination, protocol, sourcePorts, destinationPorts);
        if (match.usesPorts() && protocol != 6 && protocol != 17) {
            throw new SpecException(m.at("protocol"), "ports are matched only with protocol tcp or udp");
        }
        return match;
    }

    static int protocol(String path, String text) {
        return switch (text) {
            case "tcp" -> 6;
            case "udp" -> 17;
            case "icmp" -> 1;
            case "icmpv6" -> 58;
            case "sctp" -> 132;
            default -> {
                try {
                    int n = Integer.parseInt(text);
                    if (n < 0 || n > 255) {
                        throw new SpecException(path, n + " is not an IP protocol number (0..255)");
                    }
                    yield n;
                } catch (NumberFormatException e) {
                    throw new SpecException(path, "'" + text + "' is not tcp, udp, icmp, icmpv6, sctp or a number");
                }
            }
        };
    }
}
