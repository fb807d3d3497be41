package io.nfchain.functions.sdk;

import java.util.List;

/**
 * Not thread-safe: one poll thread calls {@link #process} (the runner owns that thread; rules
 * arrive through {@link Published} tables). A network function, shaped like a VPP graph node:
 * a name, counters declared as an enum with their text, the outputs packets may leave by, a
 * trace formatter, and one method that processes a vector of packets in place.
 *
 * <p>An author writes {@link #process} and nothing else of the datapath: the runner receives
 * bursts from the memif link, parses every frame, calls {@code process} once per burst,
 * transmits each packet on the output it chose and counts the drops by reason.
 *
 * @param <C> the function's counters
 */
public interface NetworkFunction<C extends Enum<C> & FunctionCounter> {
    /** Lower case, e.g. {@code "router"}: configuration selects a function by it, metrics tag it. */
    String name();

    /** The enum of this function's counters. */
    Class<C> counterType();

    /**
     * Names of the outputs a packet may take, in index order: output {@code k} is the
     * function's memif interface {@code k}. Most functions sit in a chain with one link and
     * return packets on it: {@code ["out"]}.
     */
    default List<String> outputs() {
        return List.of("out");
    }

    /**
     * Processes {@code vector.count()} packets in place. Every packet starts on output 0;
     * the function may rewrite it, {@link PacketVector#setOutput send it elsewhere} or
     * {@link PacketVector#drop drop it with a reason}. Must not block or allocate.
     */
    void process(PacketVector<C> vector);

    /**
     * Appends what {@link #process} did to packet {@code index} (right after it ran) for a
     * trace, e.g. {@code "route 10.0.0.0/8 via 192.0.2.1 ttl 64->63"}. Off the fast path:
     * only called for traced packets.
     */
    default void trace(PacketVector<C> vector, int index, StringBuilder out) {}
}
