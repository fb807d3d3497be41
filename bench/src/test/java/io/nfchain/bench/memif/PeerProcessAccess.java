package io.nfchain.bench.memif;

import java.io.IOException;

/** Lets tests of other bench packages reach {@link PeerProcess}'s parser. */
public final class PeerProcessAccess {
    private PeerProcessAccess() {}

    public static long[] parse(String statsLine) throws IOException {
        return PeerProcess.parseStats(statsLine);
    }
}
