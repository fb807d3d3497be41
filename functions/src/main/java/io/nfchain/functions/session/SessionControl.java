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
 * Thread-safe: every call holds this object's lock while it reads or changes the table, which
 * makes the caller the table's one writer ({@link #apply(byte[])} parses before taking it, so
 * calls on several threads parse at once). The actions behind {@code nfchain.session.v1.SessionService}, shared by upf, qos and
 * charging: each change of a batch is applied whole or refused with a code and a message naming
 * the field ({@code changes[2].create.pdrs[0].far_id: no FAR 7 in the session}).
 */
public final class SessionControl {
    private static final int OK = 0;
    private static final int INVALID_ARGUMENT = 3;

    private final SessionTable table;

    public SessionControl(SessionTable table) {
        this.table = table;
    }

    /** The table the datapath reads. */
    public SessionTable table() {
        return table;
    }

    /** Applies each change of {@code request}; keeps each session's serialized form for GetSession. */
    public synchronized ApplySessionsResponse apply(ApplySessionsRequest request) {
        ApplySessionsResponse.Builder response = ApplySessionsResponse.newBuilder();
        int applied = 0;
        for (int i = 0; i < request.getChangesCount(); i++) {
            SessionChange c = request.getChanges(i);
            Session session = c.hasCreate() ? c.getCreate() : c.hasReplace() ? c.getReplace() : null;
            ChangeResult result = apply(c.getChangeCase(), session, session == null ? null : session.toByteArray(),
                    c.getDeleteSeid(), i);
            applied += result.getCode() == OK ? 1 : 0;
            response.addResults(result);
        }
        return response.setApplied(applied).build();
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
        synchronized (this) {
            ApplySessionsResponse.Builder response = ApplySessionsResponse.newBuilder();
            int applied = 0;
            for (int i = 0; i < changes.size(); i++) {
                WireChanges.Change c = changes.get(i);
                ChangeResult result = apply(c.kind(), c.session(), c.source(), c.deleteSeid(), i);
                applied += result.getCode() == OK ? 1 : 0;
                response.addResults(result);
            }
            return response.setApplied(applied).build();
        }
    }

    /** Change {@code i} of a request; its path ({@code changes[i]}) is spelled out only in an error. */
    private ChangeResult apply(SessionChange.ChangeCase kind, Session session, byte[] source, long deleteSeid, int i) {
        long seid = switch (kind) {
            case CREATE, REPLACE -> session.getSeid();
            case DELETE_SEID -> deleteSeid;
            case CHANGE_NOT_SET -> 0;
        };
        ChangeResult.Builder result = ChangeResult.newBuilder().setSeid(seid);
        try {
            switch (kind) {
                case CREATE -> table.create(SessionRules.validate(session), source);
                case REPLACE -> table.replace(SessionRules.validate(session), source);
                case DELETE_SEID -> delete(seid);
                case CHANGE_NOT_SET -> {
                    return result.setCode(INVALID_ARGUMENT).setMessage("changes[" + i + "]: one of create, replace or delete_seid")
                            .build();
                }
            }
            return result.setCode(OK).build();
        } catch (InvalidRuleException e) {
            return result.setCode(INVALID_ARGUMENT).setMessage(SessionRules.under(path(kind, i), e).getMessage()).build();
        } catch (SessionException e) {
            return result.setCode(e.code()).setMessage(path(kind, i) + "." + e.getMessage()).build();
        }
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
