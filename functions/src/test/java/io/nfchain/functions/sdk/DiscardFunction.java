package io.nfchain.functions.sdk;

import io.nfchain.core.packet.IpProtocols;
import io.nfchain.core.packet.Layer;
import io.nfchain.core.packet.ParsedPacket;

/**
 * A small function for the SDK's tests: drops UDP to the discard port (9) and malformed
 * frames, tags every forwarded packet's metadata with its destination port, and forwards
 * the rest.
 */
final class DiscardFunction implements NetworkFunction<DiscardFunction.Counter> {
    enum Counter implements FunctionCounter {
        FORWARDED("packets forwarded", false),
        DISCARD_PORT("UDP to the discard port", true),
        MALFORMED("malformed frame", true);

        private final String text;
        private final boolean drop;

        Counter(String text, boolean drop) {
            this.text = text;
            this.drop = drop;
        }

        @Override
        public String text() {
            return text;
        }

        @Override
        public boolean isDrop() {
            return drop;
        }
    }

    static final int DISCARD = 9;

    @Override
    public String name() {
        return "discard";
    }

    @Override
    public Class<Counter> counterType() {
        return Counter.class;
    }

    @Override
    public void process(PacketVector<Counter> vector) {
        int n = vector.count();
        for (int i = 0; i < n; i++) {
            ParsedPacket p = vector.packet(i);
            if (!p.isWellFormed()) {
                vector.drop(i, Counter.MALFORMED);
            } else if (p.has(Layer.UDP) && p.outer().key().dstPort() == DISCARD) {
                vector.drop(i, Counter.DISCARD_PORT);
            } else {
                vector.setMetadata(i, p.outer().key().protocol() == IpProtocols.UDP ? p.outer().key().dstPort() : 0);
                vector.counters().increment(Counter.FORWARDED);
            }
        }
    }

    @Override
    public void trace(PacketVector<Counter> vector, int index, StringBuilder out) {
        out.append(vector.output(index) == PacketVector.DROP ? "dropped" : "forwarded");
    }
}
