package io.nfchain.agent.spec;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Thread-safe (stateless). Writes a node spec as the YAML {@link NodeSpecReader} reads: reading
 * what it writes gives the same spec back (sockets are written absolute).
 */
public final class NodeSpecWriter {
    private static final YAMLMapper YAML = new YAMLMapper();

    private NodeSpecWriter() {}

    public static String yaml(NodeSpec spec) {
        Map<String, Object> doc = new LinkedHashMap<>();
        List<Object> ports = new ArrayList<>();
        for (PortSpec p : spec.ports()) {
            ports.add(port(p));
        }
        List<Object> functions = new ArrayList<>();
        for (FunctionSpec f : spec.functions()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", f.name());
            m.put("type", f.type());
            m.put("socket", f.socket().toString());
            m.put("failurePolicy", f.failurePolicy().text());
            if (!f.secret().isEmpty()) {
                m.put("secret", f.secret());
            }
            if (!f.grpcTarget().isEmpty()) {
                m.put("grpc", f.grpcTarget());
            }
            if (f.allowUnsealedRegions()) {
                m.put("allowUnsealedRegions", true);
            }
            functions.add(m);
        }
        List<Object> chains = new ArrayList<>();
        for (ChainSpec c : spec.chains()) {
            chains.add(chain(c));
        }
        doc.put("ports", ports);
        doc.put("functions", functions);
        doc.put("chains", chains);
        try {
            return YAML.writeValueAsString(doc);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("writing a node spec: " + e.getMessage(), e);
        }
    }

    private static Map<String, Object> port(PortSpec p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", p.name());
        m.put("type", p.type());
        switch (p) {
            case PortSpec.Memif x -> {
                m.put("socket", x.socket().toString());
                m.put("interfaceId", x.interfaceId() & 0xFFFFFFFFL);
                if (!x.secret().isEmpty()) {
                    m.put("secret", x.secret());
                }
            }
            case PortSpec.AfPacket x -> m.put("interface", x.interfaceName());
            case PortSpec.Gen x -> {
                m.put("ratePps", x.ratePps());
                m.put("frameBytes", x.frameBytes());
                m.put("flows", x.flows());
                m.put("source", x.source().toString());
                m.put("destination", x.destination().toString());
                m.put("protocol", x.protocol() == 6 ? "tcp" : "udp");
                m.put("sourcePorts", x.sourcePorts().toString());
                m.put("destinationPort", x.destinationPort());
                m.put("limitPackets", x.limitPackets());
            }
            case PortSpec.Pcap x -> {
                if (x.read() != null) {
                    m.put("read", x.read().toString());
                    m.put("loops", x.loops());
                    m.put("ratePps", x.ratePps());
                }
                if (x.write() != null) {
                    m.put("write", x.write().toString());
                }
            }
            case PortSpec.Sink x -> {
                // a name and a type say it all
            }
        }
        return m;
    }

    private static Map<String, Object> chain(ChainSpec c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", c.name());
        m.put("priority", c.priority());
        Map<String, Object> classifier = new LinkedHashMap<>();
        classifier.put("ingressPort", c.classifier().ingressPort());
        if (c.classifier().vlan() != ChainSpec.Classifier.ANY_VLAN) {
            classifier.put("vlan", c.classifier().vlan());
        }
        MatchSpec match = c.classifier().match();
        Map<String, Object> mm = new LinkedHashMap<>();
        if (match.source() != null) {
            mm.put("source", match.source().toString());
        }
        if (match.destination() != null) {
            mm.put("destination", match.destination().toString());
        }
        if (match.protocol() != MatchSpec.ANY_PROTOCOL) {
            mm.put("protocol", Integer.toString(match.protocol()));
        }
        if (!match.sourcePorts().isAny()) {
            mm.put("sourcePorts", match.sourcePorts().toString());
        }
        if (!match.destinationPorts().isAny()) {
            mm.put("destinationPorts", match.destinationPorts().toString());
        }
        if (!mm.isEmpty()) {
            classifier.put("match", mm);
        }
        m.put("classifier", classifier);
        List<Object> hops = new ArrayList<>();
        for (ChainSpec.Hop h : c.hops()) {
            Map<String, Object> hm = new LinkedHashMap<>();
            hm.put("function", h.function());
            if (h.failurePolicy() != null) {
                hm.put("failurePolicy", h.failurePolicy().text());
            }
            hops.add(hm);
        }
        m.put("hops", hops);
        m.put("egressPort", c.egressPort());
        return m;
    }
}
