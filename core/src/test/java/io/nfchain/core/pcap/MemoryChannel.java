package io.nfchain.core.pcap;

import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.SeekableByteChannel;

/** A read-only channel over a byte array, optionally handing out at most a few bytes per read. */
final class MemoryChannel implements SeekableByteChannel {
    private final byte[] bytes;
    private final int maxBytesPerRead;
    private int position;
    private boolean open = true;

    MemoryChannel(byte[] bytes) {
        this(bytes, Integer.MAX_VALUE);
    }

    MemoryChannel(byte[] bytes, int maxBytesPerRead) {
        this.bytes = bytes;
        this.maxBytesPerRead = maxBytesPerRead;
    }

    @Override
    public int read(ByteBuffer destination) throws ClosedChannelException {
        if (!open) {
            throw new ClosedChannelException();
        }
        if (position >= bytes.length) {
            return -1;
        }
        int count = Math.min(Math.min(destination.remaining(), bytes.length - position), maxBytesPerRead);
        destination.put(bytes, position, count);
        position += count;
        return count;
    }

    @Override
    public int write(ByteBuffer source) {
        throw new NonWritableChannelException();
    }

    @Override
    public long position() {
        return position;
    }

    @Override
    public SeekableByteChannel position(long newPosition) {
        position = (int) Math.min(newPosition, bytes.length);
        return this;
    }

    @Override
    public long size() {
        return bytes.length;
    }

    @Override
    public SeekableByteChannel truncate(long size) {
        throw new NonWritableChannelException();
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public void close() {
        open = false;
    }
}
