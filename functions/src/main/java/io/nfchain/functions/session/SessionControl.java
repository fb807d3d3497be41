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

/**
 * Thread-safe: every call holds this object's lock, which makes the caller the table's one
 * writer. The actions behind {@code nfchain.session.v1.SessionService}, shared by upf, qos and
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

    public synchronized ApplySessionsResponse apply(ApplySessionsRequest request) {
        ApplySessionsResponse.Builder response = ApplySessionsResponse.newBuilder();
        int applied = 0;
        for (int i = 0; i < request.getChangesCount(); i++) {
            ChangeResult result = apply(request.getChanges(i), i);
            applied += result.getCode() == OK ? 1 : 0;
            response.addResults(result);
        }
        return response.setApplied(applied).build();
    }

    /** Change {@code i} of a request; its path ({@code changes[i]}) is spelled out only in an error. */
    private ChangeResult apply(SessionChange change, int i) {
        long seid = switch (change.getChangeCase()) {
            case CREATE -> change.getCreate().getSeid();
            case REPLACE -> change.getReplace().getSeid();
            case DELETE_SEID -> change.getDeleteSeid();
            case CHANGE_NOT_SET -> 0;
        };
        ChangeResult.Builder result = ChangeResult.newBuilder().setSeid(seid);
        try {
            switch (change.getChangeCase()) {
                case CREATE -> table.create(SessionRules.validate(change.getCreate()), change.getCreate().toByteArray());
                case REPLACE -> table.replace(SessionRules.validate(change.getReplace()), change.getReplace().toByteArray());
                case DELETE_SEID -> delete(seid);
                case CHANGE_NOT_SET -> {
                    return result.setCode(INVALID_ARGUMENT).setMessage("changes[" + i + "]: one of create, replace or delete_seid")
                            .build();
                }
            }
            return result.setCode(OK).build();
        } catch (InvalidRuleException e) {
            return result.setCode(INVALID_ARGUMENT).setMessage(SessionRules.under(path(change, i), e).getMessage()).build();
        } catch (SessionException e) {
            return result.setCode(e.code()).setMessage(path(change, i) + "." + e.getMessage()).build();
        }
    }

    /** Where a change's fields sit: {@code changes[2].create}, {@code changes[2].replace} or {@code changes[2]}. */
    private static String path(SessionChange change, int i) {
        return switch (change.getChangeCase()) {
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
