package io.nfchain.functions.sdk;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Objects;

/**
 * One writer, any number of readers. How rules reach a poll thread without stopping it: the
 * control plane compiles a new immutable table off the hot path and publishes it with a
 * release store; the poll thread reads the current table once per burst with an acquire load
 * (a plain load on x86) and uses that one table for the whole burst.
 *
 * @param <T> an immutable (or effectively immutable once published) table
 */
public final class Published<T> {
    private static final VarHandle VALUE;

    static {
        try {
            VALUE = MethodHandles.lookup().findVarHandle(Published.class, "value", Object.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @SuppressWarnings("unused") // through VALUE
    private Object value;
    private long version;

    public Published(T initial) {
        VALUE.setRelease(this, Objects.requireNonNull(initial, "initial"));
    }

    /** Poll thread, once per burst: the current table. */
    @SuppressWarnings("unchecked")
    public T get() {
        return (T) VALUE.getAcquire(this);
    }

    /**
     * Control thread: makes {@code table} current; the poll thread sees it from its next burst.
     * Writers serialize among themselves (this class assumes one).
     */
    public synchronized void publish(T table) {
        VALUE.setRelease(this, Objects.requireNonNull(table, "table"));
        version++;
    }

    /** How many tables were published after the initial one. */
    public synchronized long version() {
        return version;
    }
}
