package io.nfchain.functions.charging;

import io.nfchain.functions.session.CompiledSession;
import io.nfchain.functions.session.SessionListener;
import io.nfchain.functions.session.SessionModel;
import io.nfchain.functions.session.SessionModel.UrrRule;
import java.util.HashMap;
import java.util.Map;

/**
 * Called on the session table's writer thread (see {@link SessionListener}). Keeps charging's
 * usage records in step with the sessions: a created or replaced session's URRs are bound to
 * their slots before the session is published (so the worker never sees a URR slot without a
 * record), URRs a replace dropped and deleted sessions are unbound, which writes their FINAL
 * report and offline record.
 */
final class ChargingSessions implements SessionListener {
    private final ChargingControl control;

    ChargingSessions(ChargingControl control) {
        this.control = control;
    }

    @Override
    public void created(SessionModel model, CompiledSession session) {
        bindAll(model, session);
    }

    @Override
    public void replaced(CompiledSession before, SessionModel model, CompiledSession after) {
        bindAll(model, after);
        for (int i = 0; i < before.urrCount(); i++) {
            if (!has(after, before.urrId(i))) {
                control.unbind(before.seid(), (int) before.urrId(i));
            }
        }
    }

    @Override
    public void deleted(CompiledSession before) {
        control.unbind(before.seid(), null);
    }

    private void bindAll(SessionModel model, CompiledSession session) {
        Map<Long, UrrRule> rules = new HashMap<>();
        for (UrrRule rule : model.urrs()) {
            rules.put(rule.id(), rule);
        }
        for (int i = 0; i < session.urrCount(); i++) {
            control.bind(session.seid(), rules.get(session.urrId(i)), session.urrSlotAt(i));
        }
    }

    private static boolean has(CompiledSession session, long urrId) {
        for (int i = 0; i < session.urrCount(); i++) {
            if (session.urrId(i) == urrId) {
                return true;
            }
        }
        return false;
    }
}
