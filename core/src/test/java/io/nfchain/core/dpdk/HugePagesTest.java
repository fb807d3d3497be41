package io.nfchain.core.dpdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nfchain.core.testing.HostTools;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HugePagesTest {
    @TempDir
    Path dir;

    @BeforeEach
    void requireRoot() {
        HostTools.requireRoot();
    }

    @Test
    void reservesMountsAPageFileUsesItAndGivesEverythingBack() throws IOException {
        long before = HugePages.poolPages();
        Path mount = dir.resolve("hugetlbfs");
        try (HugePages pages = HugePages.reserve(8, mount)) {
            assertEquals(before + 8, HugePages.poolPages());
            assertTrue(HugePages.isMounted(mount), "mounted");
            assertEquals(mount, pages.mountDir());
            long freeBefore = HugePages.freePages();
            Path file = mount.resolve("page");
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                    StandardOpenOption.WRITE)) {
                try (Arena arena = Arena.ofConfined()) {
                    MemorySegment page = channel.map(FileChannel.MapMode.READ_WRITE, 0, HugePages.PAGE_BYTES, arena);
                    page.set(ValueLayout.JAVA_LONG, 8, 0x1234L); // faults one hugepage in
                    assertEquals(freeBefore - 1, HugePages.freePages(), "the write took a page of the pool");
                }
            }
        }
        assertFalse(HugePages.isMounted(mount), "unmounted");
        assertFalse(Files.exists(mount), "directory removed");
        assertEquals(before, HugePages.poolPages(), "nr_hugepages restored");
    }

    @Test
    void refusesADirectoryThatExistsLeavingThePoolAsItWas() {
        long before = HugePages.poolPages();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> HugePages.reserve(1, dir));
        assertTrue(e.getMessage().contains("exists"), e.getMessage());
        assertEquals(before, HugePages.poolPages());
    }
}
