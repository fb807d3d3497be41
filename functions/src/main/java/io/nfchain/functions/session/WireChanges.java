package io.nfchain.functions.session;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.WireFormat;
import io.nfchain.api.session.v1.Session;
import io.nfchain.api.session.v1.SessionChange;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Stateless, so thread-safe. Reads an {@code ApplySessionsRequest} from its wire bytes as
 * protobuf-java would, but keeps each created or replaced session's own bytes: the table stores
 * them for GetSession, which spares serializing every session again (10% of an install's CPU in
 * JFR). Only the two outer levels (the request, each change) are walked here; each session is
 * decoded from its slice by {@link SessionWire}, or parsed by protobuf-java when that declines,
 * every occurrence on its own.
 *
 * <p>Wire rules kept: unknown fields and known numbers with another wire type are skipped; the
 * last of a oneof's fields wins; a message field seen twice is the merge of both, which is what
 * parsing their concatenated bytes gives.
 */
final class WireChanges {
    private static final int CHANGES = tag(1, WireFormat.WIRETYPE_LENGTH_DELIMITED);
    private static final int CREATE = tag(1, WireFormat.WIRETYPE_LENGTH_DELIMITED);
    private static final int REPLACE = tag(2, WireFormat.WIRETYPE_LENGTH_DELIMITED);
    private static final int DELETE_SEID = tag(3, WireFormat.WIRETYPE_VARINT);

    /**
     * One change of the request. A created or replaced session comes as {@code model} when
     * {@link SessionWire} decoded it, else as {@code message}, protobuf-java's parse.
     *
     * @param model      the session's validated model from the fast path, or null
     * @param message    the session parsed by protobuf-java when the fast path declined, or null
     * @param source     the session's bytes, else null
     * @param deleteSeid the SEID to delete with {@link SessionChange.ChangeCase#DELETE_SEID}
     */
    record Change(SessionChange.ChangeCase kind, SessionModel model, Session message, byte[] source, long deleteSeid) {
        /** The created or replaced session as protobuf-java reads it, else null. */
        Session session() {
            if (message != null || source == null) {
                return message;
            }
            try {
                return Session.parseFrom(source);
            } catch (InvalidProtocolBufferException e) {
                throw new IllegalStateException("SessionWire decoded bytes protobuf-java refuses", e);
            }
        }
    }

    private WireChanges() {}

    private static int tag(int field, int wireType) {
        return field << 3 | wireType;
    }

    static List<Change> read(byte[] request) throws InvalidProtocolBufferException {
        try {
            return changes(request);
        } catch (InvalidProtocolBufferException e) {
            throw e;
        } catch (IOException e) {
            throw new InvalidProtocolBufferException(e); // an array cannot fail to read; for the compiler
        }
    }

    private static List<Change> changes(byte[] request) throws IOException {
        CodedInputStream in = CodedInputStream.newInstance(request);
        List<Change> changes = new ArrayList<>();
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            if (tag == CHANGES) {
                int limit = in.pushLimit(in.readRawVarint32());
                changes.add(change(in, request));
                in.checkLastTagWas(0);
                in.popLimit(limit);
            } else if (!in.skipField(tag)) {
                throw new InvalidProtocolBufferException("an end-group tag outside a group"); // as protobuf-java refuses it
            }
        }
        return changes;
    }

    private static Change change(CodedInputStream in, byte[] request) throws IOException {
        SessionChange.ChangeCase kind = SessionChange.ChangeCase.CHANGE_NOT_SET;
        SessionModel model = null;
        Session session = null;
        byte[] source = null;
        long seid = 0;
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            if (tag == CREATE || tag == REPLACE) {
                SessionChange.ChangeCase now = tag == CREATE ? SessionChange.ChangeCase.CREATE : SessionChange.ChangeCase.REPLACE;
                int length = in.readRawVarint32();
                if (length < 0) {
                    throw new InvalidProtocolBufferException("negative length for a session");
                }
                int from = in.getTotalBytesRead();
                in.skipRawBytes(length);
                byte[] slice = Arrays.copyOfRange(request, from, from + length);
                // each occurrence decoded or parsed on its own, as protobuf-java does: a bad one
                // fails the request even when a later field replaces it
                SessionModel fast = SessionWire.decode(slice);
                Session piece = fast == null ? Session.parseFrom(slice) : null;
                if (kind == now && source != null) {
                    // merged: rare, so through protobuf-java and the validator
                    session = parsed(session, source).toBuilder().mergeFrom(parsed(piece, slice)).build();
                    source = concat(source, slice);
                    model = null;
                } else {
                    session = piece;
                    source = slice;
                    model = fast;
                }
                kind = now;
            } else if (tag == DELETE_SEID) {
                seid = in.readUInt64();
                kind = SessionChange.ChangeCase.DELETE_SEID;
                model = null;
                session = null;
                source = null;
            } else if (!in.skipField(tag)) {
                throw new InvalidProtocolBufferException("an end-group tag inside a SessionChange");
            }
        }
        return new Change(kind, model, session, source, seid);
    }

    /** {@code session}, or the parse of {@code source} that the fast path decoded (so it parses). */
    private static Session parsed(Session session, byte[] source) throws InvalidProtocolBufferException {
        return session != null ? session : Session.parseFrom(source);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
