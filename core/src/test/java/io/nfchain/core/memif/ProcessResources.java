package io.nfchain.core.memif;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * What this process holds of memif, read from {@code /proc/self}: region memfds, eventfds and
 * sockets open, and mappings of memif regions. Equal snapshots before and after a connection
 * prove it released everything.
 */
record ProcessResources(int regionFds, int eventFds, int sockets, int regionMappings) {
    static ProcessResources snapshot() {
        int regions = 0;
        int events = 0;
        int sockets = 0;
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            for (Path fd : fds.toList()) {
                String target;
                try {
                    target = Files.readSymbolicLink(fd).toString();
                } catch (IOException e) {
                    continue; // closed between listing and reading: the listing's own fd
                }
                if (target.startsWith("/memfd:memif_region")) {
                    regions++;
                } else if (target.equals("anon_inode:[eventfd]")) {
                    events++;
                } else if (target.startsWith("socket:")) {
                    sockets++;
                }
            }
            List<String> maps = Files.readAllLines(Path.of("/proc/self/maps"));
            int mappings = (int) maps.stream().filter(line -> line.contains("/memfd:memif_region")).count();
            return new ProcessResources(regions, events, sockets, mappings);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
