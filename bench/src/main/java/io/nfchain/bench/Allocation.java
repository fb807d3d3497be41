package io.nfchain.bench;

/** What counts as "allocates nothing" in the gc profiler's bytes per operation. */
final class Allocation {
    /**
     * A benchmark that allocates nothing still reads about 1e-5 B/op (the harness's own
     * allocations, spread over millions of operations). The smallest real allocation, one 16-byte
     * object per burst of 256 packets, reads 0.0625 B/packet. The threshold sits between the two.
     */
    static final double NOISE_BYTES_PER_OP = 0.01;

    private Allocation() {}

    static boolean isZero(double bytesPerOp) {
        return !Double.isNaN(bytesPerOp) && bytesPerOp < NOISE_BYTES_PER_OP;
    }
}
