package io.nfchain.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;

/** Stateless. The temporary directories benches make for sockets and region files. */
public final class TempDirs {
    private TempDirs() {}

    /** Deletes {@code dir} and everything under it, deepest first. */
    public static void deleteTree(Path dir) throws IOException {
        try (var files = Files.walk(dir)) {
            for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(f);
            }
        }
    }
}
