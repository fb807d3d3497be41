package io.nfchain.functions.session;

/**
 * Called on the table's writer thread (the control thread, under the control's lock), never on
 * the worker. How a function hears of session changes so it can set up or drop per-slot state:
 * qos keeps policers by {@code qerSlot}, charging keeps usage by {@code urrSlot}, the upf keeps
 * buffered packets by session slot.
 *
 * <p>A QER or URR slot is <em>fresh</em> when its rule is new to the session: state left in it
 * by an earlier owner must be reset. A replace keeps the slot of every QER and URR whose id
 * stays; slots of rules that went are freed after {@link #replaced} returns, and reused last.
 */
public interface SessionListener {
    SessionListener NONE = new SessionListener() {};

    /** Before {@code session} is published: every one of its QER and URR slots is fresh. */
    default void created(SessionModel model, CompiledSession session) {}

    /**
     * Before {@code after} replaces {@code before} (same session slot). A slot in both belongs
     * to a kept rule; one only in {@code after} is fresh; one only in {@code before} is freed.
     */
    default void replaced(CompiledSession before, SessionModel model, CompiledSession after) {}

    /** After {@code before} was unpublished, before its slots are freed. */
    default void deleted(CompiledSession before) {}
}
