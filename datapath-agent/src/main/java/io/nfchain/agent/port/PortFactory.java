package io.nfchain.agent.port;

import io.nfchain.agent.spec.FunctionSpec;
import io.nfchain.agent.spec.PortSpec;
import java.io.IOException;

/**
 * Thread-safe. Opens the port a spec describes, and the memif link of a function instance. The
 * control plane calls it; the worker only ever sees the ports it made.
 */
public interface PortFactory {
    Port open(PortSpec spec) throws IOException;

    MemifPort openLink(FunctionSpec function) throws IOException;

    /** The ports this agent has: memif, af_packet, gen, pcap, sink. */
    static PortFactory standard() {
        return new PortFactory() {
            @Override
            public Port open(PortSpec spec) throws IOException {
                return switch (spec) {
                    case PortSpec.Memif m -> MemifPort.listen(m.name(), "memif", m.socket(), m.interfaceId(), m.secret(),
                            false);
                    case PortSpec.Gen g -> new GenPort(g);
                    case PortSpec.Pcap p -> new PcapPort(p);
                    case PortSpec.Sink s -> new SinkPort(s.name());
                    case PortSpec.AfPacket a -> KernelPort.open(a.name(), a.interfaceName());
                };
            }

            @Override
            public MemifPort openLink(FunctionSpec function) {
                return MemifPort.listen(function.name(), "function", function.socket(), 0, function.secret(),
                        function.allowUnsealedRegions());
            }
        };
    }
}
