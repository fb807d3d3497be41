package io.nfchain.functions.session;

import com.google.protobuf.InvalidProtocolBufferException;
import io.nfchain.api.session.v1.ApplySessionsRequest;
import io.nfchain.api.session.v1.ApplySessionsResponse;
import io.nfchain.api.session.v1.ChangeResult;
import io.nfchain.api.session.v1.ListSessionsRequest;
import io.nfchain.api.session.v1.ListSessionsResponse;
import io.nfchain.api.session.v1.Session;
import io.nfchain.api.session.v1.SessionChange;
import io.nfchain.functions.rules.InvalidRuleException;
import java.util.List;

/**
 * Thread-safe: a change is checked and compiled on the calling thread, and only its commit to the
 * table (slots, index entries, publishing) holds this object's lock, which makes the committer
 * the table's one writer. Calls on several threads therefore parse, validate and compile at once;
 * their commits take turns, each call's changes together and in request order. When two calls
 * change the same session, the one whose commit comes first wins, and each change's result says
 * what it found then (a second create of a SEID is ALREADY_EXISTS, a second delete NOT_FOUND).
 * The actions behind {@code nfchain.session.v1.SessionService}, shared by upf, qos and
 * charging: each change of a batch is applied whole or refused with a code and a message naming
 * the field ({@code changes[2].create.pdrs[0].far_id: no FAR 7 in the session}).
 */
public final class SessionControl {
    private static final int OK = 0;
    private static final int INVALID_ARGUMENT = 3;

    private final SessionTable table;

    /**
     * A change as far as it gets without the table: the session validated and compiled, or the
     * reason it was refused.
     *
     * @param compiled a create's or replace's session, slots unbound; else null
     * @param refused  the result when the change is bad whatever the table holds; else null
     */
    private record Prepared(SessionChange.ChangeCase kind, long seid, SessionModel model, CompiledSession compiled,
            ChangeResult refused) {}

    public SessionControl(SessionTable table) {
        this.table = table;
    }

    /** The table the datapath reads. */
    public SessionTable table() {
        return table;
    }

    /** Applies each change of {@code request}; keeps each session's serialized form for GetSession. */
    public ApplySessionsResponse apply(ApplySessionsRequest request) {
        Prepared[] prepared = new Prepared[request.getChangesCount()];
        for (int i = 0; i < prepared.length; i++) {
            SessionChange c = request.getChanges(i);
            Session session = c.hasCreate() ? c.getCreate() : c.hasReplace() ? c.getReplace() : null;
            prepared[i] = prepare(c.getChangeCase(), null, session, session == null ? null : session.toByteArray(),
                    c.getDeleteSeid(), i);
        }
        return commit(prepared);
    }

    /**
     * As {@link #apply(ApplySessionsRequest)} from the request's wire bytes, which the gRPC service
     * hands over unparsed: they are parsed here, on the calling thread (not the server's event
     * loop, where it serialized every call's parse), and each session keeps its bytes from the
     * request instead of being serialized again. Throws {@link InvalidProtocolBufferException}
     * when they are not an ApplySessionsRequest; nothing is applied then.
     */
    public ApplySessionsResponse apply(byte[] request) throws InvalidProtocolBufferException {
        List<WireChanges.Change> changes = WireChanges.read(request);
        Prepared[] prepared = new Prepared[changes.size()];
        for (int i = 0; i < prepared.length; i++) {
            WireChanges.Change c = changes.get(i);
            prepared[i] = prepare(c.kind(), c.model(), c.message(), c.source(), c.deleteSeid(), i);
        }
        return commit(prepared);
    }

    /**
     * Change {@code i} of a request checked and compiled; its path ({@code changes[i]}) is spelled
     * out only in an error. A created or replaced session comes as {@code model}, already
     * validated ({@link SessionWire}), or as {@code session} to validate.
     */
    private static Prepared prepare(SessionChange.ChangeCase kind, SessionModel model, Session session, byte[] source,
            long deleteSeid, int i) {
        long seid = switch (kind) {
            case CREATE, REPLACE -> model != null ? model.seid() : session.getSeid();
            case DELETE_SEID -> deleteSeid;
            case CHANGE_NOT_SET -> 0;
        };
        if (kind == SessionChange.ChangeCase.CHANGE_NOT_SET) {
            return new Prepared(kind, seid, null, null, refused(seid, INVALID_ARGUMENT,
                    "changes[" + i + "]: one of create, replace or delete_seid"));
        }
        if (kind == SessionChange.ChangeCase.DELETE_SEID) {
            return new Prepared(kind, seid, null, null, null);
        }
        try {
            SessionModel checked = model != null ? model : SessionRules.validate(session);
            return new Prepared(kind, seid, checked, SessionTable.prepare(checked, source), null);
        } catch (InvalidRuleException e) {
            return new Prepared(kind, seid, null, null, refused(seid, INVALID_ARGUMENT,
                    SessionRules.under(path(kind, i), e).getMessage()));
        }
    }

    private static ChangeResult refused(long seid, int code, String message) {
        return ChangeResult.newBuilder().setSeid(seid).setCode(code).setMessage(message).build();
    }

    /**
     * The writer section: each prepared change applied to the table in order. Only the table's
     * answers are taken here (a SessionException's code and message); the response is built after.
     */
    private ApplySessionsResponse commit(Prepared[] prepared) {
        int[] codes = new int[prepared.length];
        String[] messages = new String[prepared.length];
        synchronized (this) {
            for (int i = 0; i < prepared.length; i++) {
                Prepared p = prepared[i];
                if (p.refused() != null) {
                    continue;
                }
                try {
                    switch (p.kind()) {
                        case CREATE -> table.createPrepared(p.model(), p.compiled());
                        case REPLACE -> table.replacePrepared(p.model(), p.compiled());
                        default -> delete(p.seid());
                    }
                } catch (SessionException e) {
                    codes[i] = e.code();
                    messages[i] = path(p.kind(), i) + "." + e.getMessage();
                }
            }
        }
        ApplySessionsResponse.Builder response = ApplySessionsResponse.newBuilder();
        int applied = 0;
        for (int i = 0; i < prepared.length; i++) {
            Prepared p = prepared[i];
            ChangeResult result = p.refused() != null ? p.refused()
                    : codes[i] == OK ? ChangeResult.newBuilder().setSeid(p.seid()).setCode(OK).build()
                    : refused(p.seid(), codes[i], messages[i]);
            applied += result.getCode() == OK ? 1 : 0;
            response.addResults(result);
        }
        return response.setApplied(applied).build();
    }

    /** Where a change's fields sit: {@code changes[2].create}, {@code changes[2].replace} or {@code changes[2]}. */
    private static String path(SessionChange.ChangeCase kind, int i) {
        return switch (kind) {
            case CREATE -> "changes[" + i + "].create";
            case REPLACE -> "changes[" + i + "].replace";
            default -> "changes[" + i + "]";
        };
    }

    private void delete(long seid) {
        if (table.get(seid) == null) {
            throw new SessionException(SessionException.NOT_FOUND, "delete_seid: no session " + Long.toUnsignedString(seid));
        }
        table.delete(seid);
    }

    /** The session as it was sent, or null when unknown. */
    public synchronized Session get(long seid) {
        CompiledSession s = table.get(seid);
        return s == null ? null : parse(s);
    }

    public synchronized ListSessionsResponse list(ListSessionsRequest request) {
        int pageSize = request.getPageSize() == 0 ? 100 : request.getPageSize();
        if (pageSize < 0 || pageSize > 1000) {
            throw new InvalidRuleException("page_size", "must be 1..1000, or 0 for 100; not " + Integer.toUnsignedString(pageSize));
        }
        long[] seids = table.seidsAfter(request.getAfterSeid(), pageSize + 1);
        ListSessionsResponse.Builder out = ListSessionsResponse.newBuilder();
        int n = Math.min(pageSize, seids.length);
        for (int i = 0; i < n; i++) {
            out.addSessions(parse(table.get(seids[i])));
        }
        return out.setNextAfterSeid(seids.length > pageSize ? seids[n - 1] : 0).build();
    }

    private static Session parse(CompiledSession s) {
        try {
            return Session.parseFrom(s.source());
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("session " + Long.toUnsignedString(s.seid()) + " was stored unreadable", e);
        }
    }
}
