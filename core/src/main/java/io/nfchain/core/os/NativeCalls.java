package io.nfchain.core.os;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * The one place that links libc symbols and reads the captured {@code errno}.
 *
 * <p>Every downcall is linked with {@code captureCallState("errno")}, so its handle takes a
 * call-state segment as first argument: {@code errno} is copied there before any Java code
 * runs and could overwrite it. Hot-path owners allocate one call-state segment up front and
 * pass it on every call; cold paths allocate one per call in a confined arena.
 */
final class NativeCalls {
    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LIBC = LINKER.defaultLookup();
    private static final Linker.Option CAPTURE_ERRNO = Linker.Option.captureCallState("errno");
    private static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO =
            CALL_STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));

    private NativeCalls() {}

    /** A handle for libc's {@code name} that captures errno into its first argument. */
    @SuppressWarnings("restricted") // linking native code is this package's purpose
    static MethodHandle downcall(String name, FunctionDescriptor descriptor) {
        return LINKER.downcallHandle(symbol(name), descriptor, CAPTURE_ERRNO);
    }

    /**
     * A handle for a variadic libc function; {@code fixedArgs} counts the arguments before
     * the ellipsis (the variadic ones must already be in their promoted C types).
     */
    @SuppressWarnings("restricted") // linking native code is this package's purpose
    static MethodHandle variadicDowncall(String name, FunctionDescriptor descriptor, int fixedArgs) {
        return LINKER.downcallHandle(
                symbol(name), descriptor, CAPTURE_ERRNO, Linker.Option.firstVariadicArg(fixedArgs));
    }

    /** A segment to pass as the call-state argument of handles made here. */
    static MemorySegment allocateCallState(Arena arena) {
        return arena.allocate(CALL_STATE);
    }

    /** The errno the last call through {@code callState} captured. */
    static int errno(MemorySegment callState) {
        return (int) ERRNO.get(callState, 0L);
    }

    /** The exception for a failed {@code call}, reading errno from {@code callState}. */
    static NativeCallException failure(String call, MemorySegment callState) {
        return new NativeCallException(call, errno(callState));
    }

    /** The exception for a failed {@code call} with a detail such as the path it used. */
    static NativeCallException failure(String call, MemorySegment callState, String detail) {
        return new NativeCallException(call, errno(callState), detail);
    }

    /**
     * Downcall handles throw nothing checked, but {@code invokeExact} declares Throwable. Call
     * sites write {@code catch (Throwable t) { throw NativeCalls.unchecked(t); }}: runtime
     * exceptions (including our own {@link NativeCallException}) come back unchanged.
     */
    static RuntimeException unchecked(Throwable t) {
        if (t instanceof RuntimeException e) {
            return e;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new IllegalStateException("unexpected checked exception from a downcall", t);
    }

    private static MemorySegment symbol(String name) {
        return LIBC.find(name).orElseThrow(() -> new UnsatisfiedLinkError("libc has no symbol " + name));
    }
}
