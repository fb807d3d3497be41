package io.nfchain.functions.sdk;

/**
 * A counter of a network function, declared once as an enum constant with its human text,
 * as VPP declares node errors: {@code ACL_DENY("ACL deny packets", true)}. The same name and
 * text appear in metrics, {@code show errors} and traces.
 *
 * <p>Implemented by enums only; {@link CounterSet} indexes counters by ordinal.
 */
public interface FunctionCounter {
    /** The enum constant's name: the metric's {@code counter} tag. */
    String name();

    int ordinal();

    /** What a person reads: "no route to destination". */
    String text();

    /** Whether the packets counted here were dropped (every drop has a reason). */
    boolean isDrop();
}
