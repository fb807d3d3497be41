package io.nfchain.bench;

import io.nfchain.bench.idle.IdleSuite;
import io.nfchain.bench.memif.MemifSuite;
import java.util.List;
import java.util.Optional;

/** The one place suites are registered: a new suite (memif, router, ...) adds one entry here. */
public final class Suites {
    public static final List<Suite> ALL = List.of(
            new CodecsSuite(),
            new RouterSuite(),
            new AclSuite(),
            new MemifSuite(),
            new IdleSuite(),
            new UpfSuite());

    private Suites() {}

    public static Optional<Suite> named(String name) {
        return ALL.stream().filter(s -> s.name().equals(name)).findFirst();
    }
}
