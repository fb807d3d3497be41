package io.nfchain.core.dpdk;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Not thread-safe; needs root. A reservation of 2 MiB hugepages and a hugetlbfs mounted on a
 * directory it creates, for DPDK's {@code --huge-dir}; {@link #close()} unmounts, removes the
 * directory and gives the pages back.
 *
 * <p>The count is read and written at {@code /sys/kernel/mm/hugepages/hugepages-2048kB/
 * nr_hugepages} (the same number as {@code /proc/sys/vm/nr_hugepages} when 2 MiB is the
 * default size, as on x86_64, but about 2 MiB pages whatever the default is). The reservation
 * adds to whatever is already reserved, and closing takes away only what it added, so another
 * user's pages survive. Mounting uses the {@code mount} and {@code umount} programs.
 */
public final class HugePages implements AutoCloseable {
    /** The pool of 2 MiB pages. */
    static final Path POOL = Path.of("/sys/kernel/mm/hugepages/hugepages-2048kB");
    public static final long PAGE_BYTES = 2L << 20;
    private static final long COMMAND_TIMEOUT_S = 30;

    private final Path mountDir;
    private final int pages;
    private boolean closed;

    private HugePages(Path mountDir, int pages) {
        this.mountDir = mountDir;
        this.pages = pages;
    }

    /**
     * Adds {@code pages} 2 MiB pages to the kernel's pool and mounts a hugetlbfs with
     * {@code pagesize=2M} on {@code mountDir}, which must not exist yet.
     *
     * @throws IllegalStateException when the kernel grants fewer pages (memory too fragmented
     *     or too small), or the directory or mount cannot be made; nothing is left changed
     */
    public static HugePages reserve(int pages, Path mountDir) {
        if (pages < 1) {
            throw new IllegalArgumentException("pages must be >= 1: " + pages);
        }
        if (Files.exists(mountDir)) {
            throw new IllegalArgumentException(mountDir + " exists; HugePages creates its own mount directory");
        }
        long before = poolPages();
        writePool(before + pages);
        long granted = poolPages() - before;
        if (granted < pages) {
            if (granted > 0) {
                writePool(poolPages() - granted);
            }
            throw new IllegalStateException("asked the kernel for " + pages + " hugepages of 2 MiB, got " + granted);
        }
        try {
            Files.createDirectories(mountDir);
            run("mount", "-t", "hugetlbfs", "-o", "pagesize=2M", "nodev", mountDir.toString());
        } catch (IOException | RuntimeException e) {
            try {
                Files.deleteIfExists(mountDir);
            } catch (IOException ignored) {
                // reported below with the cause
            }
            writePool(Math.max(0, poolPages() - pages));
            throw new IllegalStateException("cannot mount hugetlbfs on " + mountDir + ": " + e.getMessage(), e);
        }
        return new HugePages(mountDir, pages);
    }

    /** Where the hugetlbfs is mounted: pass it as {@code --huge-dir}. */
    public Path mountDir() {
        return mountDir;
    }

    /** Pages this reservation added to the pool. */
    public int pages() {
        return pages;
    }

    /** Pages in the 2 MiB pool ({@code nr_hugepages}). */
    public static long poolPages() {
        return readCount("nr_hugepages");
    }

    /** Pages of the 2 MiB pool nobody uses now ({@code free_hugepages}). */
    public static long freePages() {
        return readCount("free_hugepages");
    }

    /** Whether a filesystem is mounted at {@code dir}, per {@code /proc/self/mounts}. */
    public static boolean isMounted(Path dir) {
        try {
            String target = dir.toAbsolutePath().normalize().toString();
            return Files.readAllLines(Path.of("/proc/self/mounts")).stream()
                    .map(line -> line.split(" "))
                    .anyMatch(fields -> fields.length > 1 && fields[1].equals(target));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read /proc/self/mounts: " + e.getMessage(), e);
        }
    }

    /**
     * Unmounts (lazily if a process still holds files there, so the pages return when it
     * exits), removes the directory and takes this reservation's pages out of the pool.
     *
     * @throws IllegalStateException after trying every step, naming those that failed
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        List<String> failures = new ArrayList<>();
        try {
            run("umount", mountDir.toString());
        } catch (RuntimeException busy) {
            try {
                run("umount", "-l", mountDir.toString());
                failures.add("hugetlbfs at " + mountDir + " was busy, detached lazily (" + busy.getMessage() + ")");
            } catch (RuntimeException e) {
                failures.add("umount " + mountDir + ": " + e.getMessage());
            }
        }
        try {
            Files.deleteIfExists(mountDir);
        } catch (IOException e) {
            failures.add("remove " + mountDir + ": " + e);
        }
        try {
            writePool(Math.max(0, poolPages() - pages));
        } catch (RuntimeException e) {
            failures.add("give back " + pages + " hugepages: " + e.getMessage());
        }
        if (!failures.isEmpty()) {
            throw new IllegalStateException(String.join("; ", failures));
        }
    }

    private static long readCount(String file) {
        Path path = POOL.resolve(file);
        try {
            return Long.parseLong(Files.readString(path).strip());
        } catch (IOException | NumberFormatException e) {
            throw new IllegalStateException("cannot read " + path + ": " + e.getMessage(), e);
        }
    }

    private static void writePool(long count) {
        Path path = POOL.resolve("nr_hugepages");
        try {
            Files.writeString(path, Long.toString(count));
        } catch (IOException e) {
            throw new IllegalStateException("cannot write " + count + " to " + path + " (root needed): " + e.getMessage(), e);
        }
    }

    private static void run(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getOutputStream().close();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!p.waitFor(COMMAND_TIMEOUT_S, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " did not finish");
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " exited with " + p.exitValue() + ": " + output);
            }
        } catch (IOException e) {
            throw new IllegalStateException(String.join(" ", command) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(String.join(" ", command) + " interrupted", e);
        }
    }
}
