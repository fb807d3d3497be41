package io.nfchain.bench.upf;

import io.nfchain.api.session.v1.ApplySessionsRequest;
import io.nfchain.api.session.v1.SessionChange;
import io.nfchain.functions.session.SessionControl;
import io.nfchain.functions.session.SessionTable;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;

/**
 * Not thread-safe. Sessions at scale in this JVM, through the same control path the gRPC service
 * calls ({@link SessionControl#apply(byte[])}, from the request's bytes, parse included): the
 * install rate without the network, and the memory a
 * session costs (GC-settled used heap after minus before, plus the table's off-heap hot records,
 * over the count), next to the table's own
 * sum of its arrays ({@link SessionTable#sizeBytes()}).
 */
final class SessionMemory {
    /** Installs per wall second and per CPU second of the installing thread (GC threads not counted). */
    record Result(int sessions, double installsPerSecond, double installsPerCpuSecond, double heapBytesPerSession,
            double tableBytesPerSession) {}

    private SessionMemory() {}

    static Result measure(int sessions) {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long before = settledUsed(memory);
        SessionTable table = SessionTable.withCapacity(sessions, null);
        SessionControl control = new SessionControl(table);
        long nanos = 0;
        long cpuNanos = 0;
        var threads = ManagementFactory.getThreadMXBean();
        for (int from = 0; from < sessions; from += SessionLoader.BATCH) {
            ApplySessionsRequest.Builder request = ApplySessionsRequest.newBuilder();
            for (int i = from; i < Math.min(sessions, from + SessionLoader.BATCH); i++) {
                request.addChanges(SessionChange.newBuilder().setCreate(UpfFlows.session(i)));
            }
            ApplySessionsRequest built = request.build();
            byte[] wire = built.toByteArray();
            long t0 = System.nanoTime();
            long c0 = threads.getCurrentThreadCpuTime();
            int applied = apply(control, wire);
            cpuNanos += threads.getCurrentThreadCpuTime() - c0;
            nanos += System.nanoTime() - t0;
            if (applied != built.getChangesCount()) {
                throw new IllegalStateException("applied " + applied + " of " + built.getChangesCount());
            }
        }
        long after = settledUsed(memory);
        // The hot records live off the heap: counted here, or the figure would leave them out.
        double heap = (double) (after - before + table.offHeapBytes()) / sessions;
        double own = (double) table.sizeBytes() / sessions;
        if (table.findUeV4(UpfFlows.ue(sessions - 1)) == null) {
            throw new IllegalStateException("the last session is not in the table");
        }
        return new Result(sessions, sessions / (nanos / 1e9), sessions / (cpuNanos / 1e9), heap, own);
    }

    /** From the request's bytes, as the gRPC service hands them over: the parse is timed too. */
    private static int apply(SessionControl control, byte[] request) {
        try {
            return control.apply(request).getApplied();
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new IllegalStateException("the bench's own request does not parse", e);
        }
    }

    private static long settledUsed(MemoryMXBean memory) {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 4; i++) {
            System.gc();
            used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
        }
        return used;
    }
}
