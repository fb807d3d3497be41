package io.nfchain.core.os;

import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.nfchain.core.testing.HostTools;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class MemFdTest {
    private static final long SIZE_BYTES = 64 * 1024;

    @Test
    void twoMappingsOfOneMemfdSeeEachOthersWrites() {
        try (MemFd memfd = MemFd.create("nfchain-test", SIZE_BYTES, 0);
                MappedRegion a = memfd.map();
                MappedRegion b = memfd.map()) {
            assertEquals(SIZE_BYTES, a.segment().byteSize());
            assertEquals(SIZE_BYTES, a.lengthBytes());
            assertNotEquals(a.segment().address(), b.segment().address(), "two distinct mappings");
            assertEquals(0L, b.segment().get(JAVA_LONG, 0), "a new memfd is zero-filled");

            a.segment().set(JAVA_LONG, 0, 0x1122_3344_5566_7788L);
            b.segment().set(JAVA_LONG, SIZE_BYTES - 8, 0xCAFE_F00DL);

            assertEquals(0x1122_3344_5566_7788L, b.segment().get(JAVA_LONG, 0));
            assertEquals(0xCAFE_F00DL, a.segment().get(JAVA_LONG, SIZE_BYTES - 8));
        }
    }

    @Test
    void mappingOutlivesTheDescriptorButNotItsClose() {
        MappedRegion region;
        try (MemFd memfd = MemFd.create("nfchain-test", SIZE_BYTES, 0)) {
            region = memfd.map();
        }
        MemorySegment segment = region.segment();
        segment.set(JAVA_LONG, 8, 42L);
        assertEquals(42L, segment.get(JAVA_LONG, 8));
        region.close();
        assertThrows(IllegalStateException.class, () -> segment.get(JAVA_LONG, 8));
        region.close(); // idempotent
    }

    @Test
    void sealsStopTheFileShrinking() {
        try (MemFd memfd = MemFd.create("nfchain-sealed", SIZE_BYTES, MemFd.MFD_ALLOW_SEALING)) {
            assertEquals(0, memfd.seals());
            memfd.addSeals(MemFd.F_SEAL_SHRINK);
            assertEquals(MemFd.F_SEAL_SHRINK, memfd.seals());
            NativeCallException e = assertThrows(NativeCallException.class,
                    () -> FileDescriptors.truncate(memfd.fd(), SIZE_BYTES / 2));
            assertEquals("ftruncate: EPERM", e.getMessage());
            FileDescriptors.truncate(memfd.fd(), SIZE_BYTES * 2); // growing is still allowed
        }
    }

    @Test
    void withoutAllowSealingTheFileIsSealedAgainstSeals() {
        try (MemFd memfd = MemFd.create("nfchain-unsealable", SIZE_BYTES, 0)) {
            assertEquals(MemFd.F_SEAL_SEAL, memfd.seals());
            NativeCallException e = assertThrows(NativeCallException.class, () -> memfd.addSeals(MemFd.F_SEAL_SHRINK));
            assertEquals("fcntl: EPERM", e.getMessage());
        }
    }

    @Test
    void descriptorIsCloseOnExecAndNamed() throws IOException {
        try (MemFd memfd = MemFd.create("nfchain-named", SIZE_BYTES, 0)) {
            Path link = Path.of("/proc/self/fd/" + memfd.fd());
            assertTrue(Files.readSymbolicLink(link).toString().startsWith("/memfd:nfchain-named"),
                    Files.readSymbolicLink(link).toString());
            List<String> fdinfo = Files.readAllLines(Path.of("/proc/self/fdinfo/" + memfd.fd()));
            int flags = Integer.parseInt(fdinfo.stream().filter(l -> l.startsWith("flags:")).findFirst().orElseThrow()
                    .substring("flags:".length()).trim(), 8);
            assertEquals(FileDescriptors.O_CLOEXEC, flags & FileDescriptors.O_CLOEXEC, "O_CLOEXEC in " + fdinfo);
        }
    }

    @Test
    void rejectsNonsense() {
        assertThrows(IllegalArgumentException.class, () -> MemFd.create("x", 0, 0));
        assertThrows(IllegalArgumentException.class, () -> MemFd.create("x".repeat(250), 4096, 0));
        NativeCallException e = assertThrows(NativeCallException.class, () -> MemFd.create("bad-flags", 4096, 1 << 20));
        assertEquals("memfd_create: EINVAL (bad-flags)", e.getMessage());
    }

    @Test
    void hugetlbMemfdIsBackedByHugePages() throws IOException {
        long hugePageBytes = meminfoKb("Hugepagesize:") * 1024;
        try (HugePageReservation reservation = HugePageReservation.atLeastOneFree()) {
            assumeTrue(reservation.freePages() > 0, "skipped: no free huge pages ("
                    + (HostTools.isRoot() ? "could not reserve any" : "not root, cannot reserve")
                    + "; /proc/sys/vm/nr_hugepages=" + reservation.totalPages() + ")");
            try (MemFd memfd = MemFd.create("nfchain-huge", hugePageBytes, MemFd.MFD_HUGETLB);
                    MappedRegion region = memfd.map()) {
                region.segment().set(JAVA_LONG, hugePageBytes - 8, 7L);
                assertEquals(7L, region.segment().get(JAVA_LONG, hugePageBytes - 8));
                assertEquals(hugePageBytes / 1024, kernelPageSizeKb(region.segment().address()),
                        "smaps KernelPageSize of the mapping");
            }
        }
    }

    /** Reserves huge pages for one test when none are free and root may, then restores the pool. */
    private static final class HugePageReservation implements AutoCloseable {
        private static final Path NR_HUGEPAGES = Path.of("/proc/sys/vm/nr_hugepages");
        private static final int PAGES_TO_ADD = 2;
        private final long before;
        private final long raisedTo;

        private HugePageReservation(long before, long raisedTo) {
            this.before = before;
            this.raisedTo = raisedTo;
        }

        static HugePageReservation atLeastOneFree() throws IOException {
            long before = Long.parseLong(Files.readString(NR_HUGEPAGES).trim());
            if (meminfoKb("HugePages_Free:") > 0 || !HostTools.isRoot()) {
                return new HugePageReservation(before, -1);
            }
            Files.writeString(NR_HUGEPAGES, Long.toString(before + PAGES_TO_ADD));
            return new HugePageReservation(before, Long.parseLong(Files.readString(NR_HUGEPAGES).trim()));
        }

        long totalPages() throws IOException {
            return Long.parseLong(Files.readString(NR_HUGEPAGES).trim());
        }

        long freePages() throws IOException {
            return meminfoKb("HugePages_Free:");
        }

        @Override
        public void close() throws IOException {
            // Put the pool back only if nobody else resized it while the test ran.
            if (raisedTo >= 0 && totalPages() == raisedTo) {
                Files.writeString(NR_HUGEPAGES, Long.toString(before));
            }
        }
    }

    private static long meminfoKb(String key) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
            if (line.startsWith(key)) {
                return Long.parseLong(line.substring(key.length()).trim().split("\\s+")[0]);
            }
        }
        throw new IllegalStateException(key + " not in /proc/meminfo");
    }

    /** The KernelPageSize smaps reports for the mapping that contains {@code address}. */
    private static long kernelPageSizeKb(long address) throws IOException {
        boolean inMapping = false;
        for (String line : Files.readAllLines(Path.of("/proc/self/smaps"))) {
            int dash = line.indexOf('-');
            int space = line.indexOf(' ');
            if (dash > 0 && space > dash && line.substring(0, dash).matches("[0-9a-f]+")) {
                long start = Long.parseUnsignedLong(line.substring(0, dash), 16);
                long end = Long.parseUnsignedLong(line.substring(dash + 1, space), 16);
                inMapping = address >= start && address < end;
            } else if (inMapping && line.startsWith("KernelPageSize:")) {
                return Long.parseLong(line.substring("KernelPageSize:".length()).trim().split("\\s+")[0]);
            }
        }
        throw new IllegalStateException("no mapping at 0x" + Long.toHexString(address));
    }

    @Test
    void aFileRegionOutlivesItsDescriptorAndIsReplacedNotTruncated(@org.junit.jupiter.api.io.TempDir Path dir)
            throws IOException {
        Path file = dir.resolve("region");
        MappedRegion old;
        try (MemFd first = MemFd.createFile(file, 4096)) {
            old = first.map();
            old.segment().set(JAVA_LONG, 8, 0x1122334455667788L);
        }
        assertEquals(0x1122334455667788L, java.nio.ByteBuffer.wrap(Files.readAllBytes(file))
                .order(java.nio.ByteOrder.nativeOrder()).getLong(8), "what was written is in the file");
        try (MemFd second = MemFd.createFile(file, 8192); MappedRegion fresh = second.map()) {
            assertEquals(0, fresh.segment().get(JAVA_LONG, 8), "a new file, zeroed");
            assertEquals(8192, Files.size(file));
            assertEquals(0x1122334455667788L, old.segment().get(JAVA_LONG, 8), "the old mapping keeps its pages");
        }
        old.close();
    }
}
