package io.nfchain.core.os;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class ErrnoTest {
    private static final Pattern DEFINE = Pattern.compile("^#define\\s+(E[A-Z0-9]+)\\s+(\\d+)\\b");

    @Test
    void tableMatchesTheKernelHeadersOnThisHost() throws IOException {
        Path base = Path.of("/usr/include/asm-generic/errno-base.h");
        Path rest = Path.of("/usr/include/asm-generic/errno.h");
        assumeTrue(Files.isReadable(base) && Files.isReadable(rest), "skipped: linux-libc-dev headers not installed");
        Map<Integer, String> fromHeaders = new HashMap<>();
        for (Path header : new Path[] {base, rest}) {
            for (String line : Files.readAllLines(header)) {
                Matcher m = DEFINE.matcher(line);
                if (m.find()) {
                    fromHeaders.put(Integer.parseInt(m.group(2)), m.group(1));
                }
            }
        }
        assertEquals(Errno.MAX, fromHeaders.keySet().stream().mapToInt(Integer::intValue).max().orElseThrow());
        for (int errno = 1; errno <= Errno.MAX; errno++) {
            assertEquals(fromHeaders.getOrDefault(errno, "errno " + errno), Errno.name(errno), "errno " + errno);
        }
    }

    @Test
    void everyStandardNumberHasAUniqueName() {
        Set<String> seen = new HashSet<>();
        for (int errno = 1; errno <= Errno.MAX; errno++) {
            if (errno == 41 || errno == 58) {
                assertEquals("errno " + errno, Errno.name(errno), "Linux leaves 41 and 58 unused");
                continue;
            }
            String name = Errno.name(errno);
            assertEquals('E', name.charAt(0), name);
            assertEquals(true, seen.add(name), "duplicate " + name);
        }
        assertEquals("EAGAIN", Errno.name(Errno.EAGAIN));
        assertEquals("ECONNREFUSED", Errno.name(111));
        assertEquals("EHWPOISON", Errno.name(133));
        assertEquals("errno 0", Errno.name(0));
        assertEquals("errno 134", Errno.name(134));
        assertEquals("errno -1", Errno.name(-1));
    }

    @Test
    void exceptionNamesTheCallAndTheSymbolicErrno() {
        NativeCallException e = assertThrows(NativeCallException.class, () -> FileDescriptors.close(-1));
        assertEquals("close: EBADF", e.getMessage());
        assertEquals("close", e.call());
        assertEquals(Errno.EBADF, e.errno());
        assertEquals("EBADF", e.errnoName());

        NativeCallException withDetail = new NativeCallException("connect", Errno.ECONNREFUSED, "/run/x.sock");
        assertEquals("connect: ECONNREFUSED (/run/x.sock)", withDetail.getMessage());
    }

    @Test
    void closingADescriptorTheProcessCannotHaveIsEbadf() {
        // Far above RLIMIT_NOFILE, so no other thread can have opened it meanwhile.
        NativeCallException e = assertThrows(NativeCallException.class, () -> FileDescriptors.close(1 << 30));
        assertEquals("close: EBADF", e.getMessage());
    }

    @Test
    void fcntlOnABadDescriptorNamesFcntl() {
        NativeCallException e = assertThrows(NativeCallException.class, () -> FileDescriptors.isNonBlocking(1 << 30));
        assertEquals("fcntl: EBADF", e.getMessage());
    }
}
