package io.nfchain.functions.qos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nfchain.api.session.v1.ApplySessionsRequest;
import io.nfchain.api.session.v1.ApplySessionsResponse;
import io.nfchain.api.session.v1.Session;
import io.nfchain.api.session.v1.SessionChange;
import io.nfchain.core.memif.PacketBurst;
import io.nfchain.functions.sdk.CounterSet;
import io.nfchain.functions.sdk.PacketVector;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Not thread-safe. A qos function and a burst to run it on: frames in, one {@code process},
 * bytes, outputs and counters out; time is a field the test sets. After every run it checks the
 * books: each packet counted once, by a forward counter if it left, by a drop reason if not.
 */
final class QosHarness implements AutoCloseable {
    final QosFunction qos;
    final PacketBurst burst = new PacketBurst(256, 2048, 128);
    final CounterSet<QosCounter> counters = new CounterSet<>(QosCounter.class);
    final PacketVector<QosCounter> vector = new PacketVector<>(burst, counters, 1);
    long nowNs = 1_000_000_000L;
    long received;
    long forwarded;

    QosHarness(QfiDscpMap map, boolean markOuter, boolean dropNoSession) {
        this(new QosFunction(64, QosBursts.DEFAULT, map, markOuter, dropNoSession));
    }

    QosHarness(QosFunction qos) {
        this.qos = qos;
    }

    QosHarness() {
        this(QfiDscpMap.EMPTY, false, false);
    }

    void create(Session s) {
        apply(SessionChange.newBuilder().setCreate(s).build());
    }

    void replace(Session s) {
        apply(SessionChange.newBuilder().setReplace(s).build());
    }

    void delete(long seid) {
        apply(SessionChange.newBuilder().setDeleteSeid(seid).build());
    }

    private void apply(SessionChange change) {
        ApplySessionsResponse r = qos.sessions().apply(ApplySessionsRequest.newBuilder().addChanges(change).build());
        assertEquals(0, r.getResults(0).getCode(), r.getResults(0).getMessage());
    }

    /** Runs qos once on {@code frames} at {@link #nowNs}; returns each packet's output (0 or DROP). */
    int[] run(MemorySegment... frames) {
        burst.setCount(frames.length);
        for (int i = 0; i < frames.length; i++) {
            MemorySegment.copy(frames[i], 0, burst.data(), burst.offset(i), frames[i].byteSize());
            burst.setLength(i, (int) frames[i].byteSize());
        }
        vector.begin(nowNs);
        qos.process(vector);
        int[] outputs = new int[frames.length];
        for (int i = 0; i < frames.length; i++) {
            outputs[i] = vector.output(i);
            assertTrue(outputs[i] == 0 || outputs[i] == PacketVector.DROP, "output " + outputs[i]);
            forwarded += outputs[i] == 0 ? 1 : 0;
        }
        received += frames.length;
        assertBalanced();
        return outputs;
    }

    /** True when the one frame passed. */
    boolean passes(MemorySegment frame) {
        return run(frame)[0] == 0;
    }

    void assertBalanced() {
        long forwards = get(QosCounter.QOS_PASS) + get(QosCounter.QOS_GBR_PROTECTED) + get(QosCounter.QOS_NO_SESSION_PASS)
                + get(QosCounter.QOS_GTPU_SIGNALLING_PASS);
        assertEquals(forwarded, forwards, "packets forwarded = packets counted by a forward counter");
        assertEquals(received - forwarded, counters.drops(), "packets dropped = packets counted by a drop reason");
        assertTrue(get(QosCounter.QOS_DSCP_MARKED) <= forwarded, "only forwarded packets are marked");
    }

    long get(QosCounter counter) {
        return counters.get(counter);
    }

    String trace(int i) {
        StringBuilder out = new StringBuilder();
        qos.trace(vector, i, out);
        return out.toString();
    }

    MemorySegment frame(int i) {
        return MemorySegment.ofArray(burst.data().asSlice(burst.offset(i), burst.length(i)).toArray(ValueLayout.JAVA_BYTE));
    }

    @Override
    public void close() {
        burst.close();
    }
}
