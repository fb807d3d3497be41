package io.nfchain.functions.session;

/**
 * A network function whose rules are sessions (upf, qos, charging): the runner's
 * {@link SessionGrpcService} serves {@code nfchain.session.v1.SessionService} over the control
 * it returns. Implementations return the same object every time; it is thread-safe.
 */
public interface SessionHost {
    SessionControl sessions();
}
