package io.nfchain.core.pcap;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.SeekableByteChannel;

/**
 * A window of a capture file's bytes that the parsers read whole records from, in place.
 *
 * <p>Allocation is bounded by data actually read, never by a length field: the buffer only
 * doubles when it is full of bytes that arrived from the channel, so its capacity stays below
 * {@code max(initial capacity, 2 x bytes held)} however large a record claims to be. Callers
 * still bound each request by their own limits.
 *
 * <p>Not thread-safe. The channel must be blocking.
 */
final class InputWindow {
    static final int MIN_CAPACITY = 64;
    static final int MAX_INITIAL_CAPACITY = 64 * 1024;

    private final ReadableByteChannel channel;
    private byte[] bytes;
    private ByteBuffer readView;
    private MemorySegment segment;
    /** Index in {@link #bytes} of the next unread byte. */
    private int position;
    /** Index in {@link #bytes} after the last byte read from the channel. */
    private int limit;
    /** File offset of {@code bytes[0]}. */
    private long windowStartOffset;
    private boolean endOfInput;

    InputWindow(ReadableByteChannel channel) throws IOException {
        this.channel = channel;
        allocate(initialCapacity(channel));
    }

    /** As much as a small file needs, so that opening many small files stays cheap. */
    private static int initialCapacity(ReadableByteChannel channel) throws IOException {
        if (channel instanceof SeekableByteChannel seekable) {
            long remaining = seekable.size() - seekable.position();
            return Math.clamp(remaining, MIN_CAPACITY, MAX_INITIAL_CAPACITY);
        }
        return MAX_INITIAL_CAPACITY;
    }

    /** File offset of the next unread byte. */
    long offset() {
        return windowStartOffset + position;
    }

    /** Index of the next unread byte in {@link #bytes()}; changes when {@link #require} runs. */
    int position() {
        return position;
    }

    /** The buffer; replaced when it grows, so fetch it again after {@link #require}. */
    byte[] bytes() {
        return bytes;
    }

    /** {@link #bytes()} as a heap segment. */
    MemorySegment segment() {
        return segment;
    }

    int capacity() {
        return bytes.length;
    }

    /**
     * Makes {@code count} bytes readable from {@link #position()}, reading from the channel as
     * needed; may move or replace the buffer.
     *
     * @param count bytes wanted, non-negative; callers bound it by their own limits
     * @return {@code count}, or fewer only when the input ended first
     */
    int require(int count) throws IOException {
        while (limit - position < count && !endOfInput) {
            if (position + count > bytes.length) {
                makeRoom(count);
            }
            fill();
        }
        return Math.min(count, limit - position);
    }

    /** Consumes {@code count} bytes made readable by {@link #require}. */
    void advance(int count) {
        if (count < 0 || count > limit - position) {
            throw new IllegalArgumentException("advance " + count + " with " + (limit - position) + " readable");
        }
        position += count;
    }

    /**
     * Consumes up to {@code count} bytes without keeping them (blocks the parser does not read).
     *
     * @return bytes consumed: {@code count}, or fewer only when the input ended first
     */
    long skip(long count) throws IOException {
        long skipped = Math.min(count, limit - position);
        position += (int) skipped;
        while (skipped < count && !endOfInput) {
            windowStartOffset += limit;
            position = 0;
            limit = 0;
            fill();
            int used = (int) Math.min(count - skipped, limit);
            position = used;
            skipped += used;
        }
        return skipped;
    }

    private void makeRoom(int count) {
        if (position > 0) {
            int unread = limit - position;
            System.arraycopy(bytes, position, bytes, 0, unread);
            windowStartOffset += position;
            position = 0;
            limit = unread;
        }
        if (count > bytes.length && limit == bytes.length) {
            byte[] old = bytes;
            allocate((int) Math.min(count, 2L * old.length));
            System.arraycopy(old, 0, bytes, 0, limit);
        }
    }

    private void fill() throws IOException {
        readView.clear().position(limit);
        int read = channel.read(readView);
        if (read < 0) {
            endOfInput = true;
        } else if (read == 0) {
            // A blocking channel always makes progress when there is room; this one did not.
            throw new IOException("the channel returned no bytes; non-blocking channels are not supported");
        } else {
            limit += read;
        }
    }

    private void allocate(int capacity) {
        bytes = new byte[capacity];
        readView = ByteBuffer.wrap(bytes);
        segment = MemorySegment.ofArray(bytes);
    }
}
