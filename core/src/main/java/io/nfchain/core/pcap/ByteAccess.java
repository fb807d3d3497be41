package io.nfchain.core.pcap;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/** Unaligned reads and writes of file fields in either byte order; every access is bounds-checked. */
final class ByteAccess {
    private static final VarHandle SHORT_LE = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle SHORT_BE = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle INT_LE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INT_BE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle LONG_LE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LONG_BE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    private ByteAccess() {}

    static int u16(byte[] bytes, int index, boolean bigEndian) {
        short value = bigEndian ? (short) SHORT_BE.get(bytes, index) : (short) SHORT_LE.get(bytes, index);
        return Short.toUnsignedInt(value);
    }

    static int i32(byte[] bytes, int index, boolean bigEndian) {
        return bigEndian ? (int) INT_BE.get(bytes, index) : (int) INT_LE.get(bytes, index);
    }

    static long u32(byte[] bytes, int index, boolean bigEndian) {
        return Integer.toUnsignedLong(i32(bytes, index, bigEndian));
    }

    static long i64(byte[] bytes, int index, boolean bigEndian) {
        return bigEndian ? (long) LONG_BE.get(bytes, index) : (long) LONG_LE.get(bytes, index);
    }
}
