package io.nfchain.functions.session;

import static io.nfchain.functions.session.SessionRules.MAX_FARS;
import static io.nfchain.functions.session.SessionRules.MAX_PDRS;
import static io.nfchain.functions.session.SessionRules.MAX_QERS;
import static io.nfchain.functions.session.SessionRules.MAX_RULE_REFS;
import static io.nfchain.functions.session.SessionRules.MAX_URRS;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;
import io.nfchain.functions.acl.IpPrefix;
import io.nfchain.functions.session.SessionModel.FarRule;
import io.nfchain.functions.session.SessionModel.OuterHeader;
import io.nfchain.functions.session.SessionModel.PdrRule;
import io.nfchain.functions.session.SessionModel.QerRule;
import io.nfchain.functions.session.SessionModel.UrrRule;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Stateless, so thread-safe. The install's fast path: a {@code Session}'s wire bytes decoded
 * straight into the {@link SessionModel} that {@link SessionRules} would make of protobuf-java's
 * parse, without the message objects (JFR: the generated parsers were 40% of a warm install's
 * worker time and the largest part of what the JIT compiled during a cold runner's first install).
 *
 * <p>It answers null for whatever it does not take: SDF filters, a UE IPv6 address, URR triggers
 * or redirection, a singular message field sent twice, a known field with another wire type, a
 * group, text that is not ASCII, malformed bytes, and any session the validator would refuse.
 * Null sends the caller to protobuf-java and {@link SessionRules}, which parse (or refuse) the
 * bytes and name the field at fault, so this path never decides an error. When it answers a
 * model, protobuf-java parses the same bytes and the validator makes an equal model of them
 * (SessionWireTest checks both on random, merged and corrupted sessions).
 */
final class SessionWire {
    /** Not an error: "take the general path". Preallocated, without a stack. */
    private static final class Decline extends Exception {
        private static final Decline INSTANCE = new Decline();

        private Decline() {
            super(null, null, false, false);
        }
    }

    private static final int VARINT = WireFormat.WIRETYPE_VARINT;
    private static final int BYTES = WireFormat.WIRETYPE_LENGTH_DELIMITED;
    private static final int ACCESS = SessionModel.ACCESS;

    /** A PDR as sent, its references unresolved until the session's FARs, QERs and URRs are known. */
    private static final class RawPdr {
        int id;
        int precedence;
        boolean hasPdi;
        int source;
        int teid;
        String ueV4 = "";
        String ueV6 = "";
        int qfi = -1;
        boolean removeOuter;
        int farId;
        final int[] qerIds = new int[MAX_RULE_REFS];
        int qerCount;
        final int[] urrIds = new int[MAX_RULE_REFS];
        int urrCount;
    }

    private SessionWire() {}

    private static int tag(int field, int wireType) {
        return field << 3 | wireType;
    }

    /** The session's model, or null: decode it with protobuf-java and validate it with {@link SessionRules}. */
    static SessionModel decode(byte[] session) {
        try {
            return session(CodedInputStream.newInstance(session));
        } catch (Decline | IOException | RuntimeException e) {
            return null; // malformed, or a text IpPrefix refuses: the general path says which
        }
    }

    /*
     * Each message is one loop that reads a varint, or pushes the limit of a length-delimited
     * field, at one call site and then dispatches on the field number: CodedInputStream's readers
     * inline at every call site, and one per field made these methods the largest the JIT
     * compiled during a cold runner's first install.
     */

    private static SessionModel session(CodedInputStream in) throws IOException, Decline {
        long seid = 0;
        List<RawPdr> pdrs = new ArrayList<>(2);
        List<FarRule> fars = new ArrayList<>(2);
        List<QerRule> qers = new ArrayList<>(1);
        List<UrrRule> urrs = new ArrayList<>(1);
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            int field = tag >>> 3;
            int wireType = tag & 7;
            if (wireType == VARINT) {
                long v = in.readRawVarint64();
                if (field == 1) {
                    seid = v;
                } else {
                    known(true, field, 5);
                }
            } else if (wireType == BYTES) {
                int limit = in.pushLimit(length(in));
                switch (field) {
                    case 2 -> pdrs.add(pdr(in));
                    case 3 -> fars.add(far(in, fars));
                    case 4 -> qers.add(qer(in, qers));
                    case 5 -> urrs.add(urr(in, urrs));
                    default -> unknownBytes(in, field, 5);
                }
                in.popLimit(limit);
            } else {
                skip(in, tag, 5);
            }
            check(pdrs.size() <= MAX_PDRS && fars.size() <= MAX_FARS && qers.size() <= MAX_QERS && urrs.size() <= MAX_URRS);
        }
        check(seid != 0 && !pdrs.isEmpty());
        PdrRule[] rules = new PdrRule[pdrs.size()];
        Integer ueV4 = null;
        for (int i = 0; i < rules.length; i++) {
            PdrRule p = resolve(pdrs.get(i), fars, qers, urrs);
            for (int k = 0; k < i; k++) {
                check(rules[k].id() != p.id());
            }
            if (p.ueIpv4() != null) {
                check(ueV4 == null || ueV4.equals(p.ueIpv4()));
                ueV4 = p.ueIpv4();
            }
            rules[i] = p;
        }
        return new SessionModel(seid, ueV4, false, 0, List.of(rules), List.copyOf(fars), List.copyOf(qers), List.copyOf(urrs));
    }

    private static RawPdr pdr(CodedInputStream in) throws IOException, Decline {
        RawPdr p = new RawPdr();
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            int field = tag >>> 3;
            int wireType = tag & 7;
            if (wireType == VARINT) {
                int v = (int) in.readRawVarint64(); // what readUInt32 makes of it
                switch (field) {
                    case 1 -> p.id = v;
                    case 2 -> p.precedence = v;
                    case 4 -> p.removeOuter = v != 0;
                    case 5 -> p.farId = v;
                    case 6 -> p.qerCount = add(p.qerIds, p.qerCount, v);
                    case 7 -> p.urrCount = add(p.urrIds, p.urrCount, v);
                    default -> known(true, field, 7);
                }
            } else if (wireType == BYTES) {
                int limit = in.pushLimit(length(in));
                switch (field) {
                    case 3 -> {
                        check(!p.hasPdi); // a second one would merge into the first
                        p.hasPdi = true;
                        pdi(in, p);
                    }
                    case 6 -> p.qerCount = packed(in, p.qerIds, p.qerCount);
                    case 7 -> p.urrCount = packed(in, p.urrIds, p.urrCount);
                    default -> unknownBytes(in, field, 7);
                }
                in.popLimit(limit);
            } else {
                skip(in, tag, 7);
            }
        }
        return p;
    }

    private static void pdi(CodedInputStream in, RawPdr p) throws IOException, Decline {
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            int field = tag >>> 3;
            int wireType = tag & 7;
            if (wireType == VARINT) {
                int v = (int) in.readRawVarint64();
                switch (field) {
                    case 1 -> p.source = v;
                    case 2 -> p.teid = v;
                    case 6 -> p.qfi = qfi(v);
                    default -> known(true, field, 6);
                }
            } else if (wireType == BYTES) {
                int limit = in.pushLimit(length(in));
                switch (field) {
                    case 3 -> p.ueV4 = ascii(in);
                    case 4 -> p.ueV6 = ascii(in);
                    default -> unknownBytes(in, field, 6); // 5, SDF filters, included: the general path takes those
                }
                in.popLimit(limit);
            } else {
                skip(in, tag, 6);
            }
        }
    }

    private static int add(int[] ids, int count, int id) throws Decline {
        check(count < ids.length);
        ids[count] = id;
        return count + 1;
    }

    private static int packed(CodedInputStream in, int[] ids, int count) throws IOException, Decline {
        int n = count;
        while (in.getBytesUntilLimit() > 0) {
            n = add(ids, n, (int) in.readRawVarint64());
        }
        return n;
    }

    private static PdrRule resolve(RawPdr p, List<FarRule> fars, List<QerRule> qers, List<UrrRule> urrs) throws Decline {
        check(p.id >= 1 && p.id <= 65535 && p.hasPdi && (p.source == ACCESS || p.source == SessionModel.CORE));
        check((p.teid == 0 || p.source == ACCESS) && p.ueV6.isEmpty());
        Integer ueV4 = null;
        if (!p.ueV4.isEmpty()) {
            IpPrefix ue = IpPrefix.parse(p.ueV4);
            check(ue.version() == 4 && ue.length() == 32);
            ueV4 = ue.ipv4();
        }
        int far = -1;
        for (int k = 0; k < fars.size() && far < 0; k++) {
            far = fars.get(k).id() == Integer.toUnsignedLong(p.farId) ? k : -1;
        }
        check(far >= 0);
        int[] qerRefs = new int[p.qerCount];
        for (int k = 0; k < qerRefs.length; k++) {
            qerRefs[k] = -1;
            for (int r = 0; r < qers.size() && qerRefs[k] < 0; r++) {
                qerRefs[k] = qers.get(r).id() == Integer.toUnsignedLong(p.qerIds[k]) ? r : -1;
            }
        }
        int[] urrRefs = new int[p.urrCount];
        for (int k = 0; k < urrRefs.length; k++) {
            urrRefs[k] = -1;
            for (int r = 0; r < urrs.size() && urrRefs[k] < 0; r++) {
                urrRefs[k] = urrs.get(r).id() == Integer.toUnsignedLong(p.urrIds[k]) ? r : -1;
            }
        }
        distinctFound(qerRefs);
        distinctFound(urrRefs);
        return new PdrRule(p.id, Integer.toUnsignedLong(p.precedence), p.source, p.teid, ueV4, false, 0, List.of(), p.qfi,
                p.removeOuter, far, SessionRules.smallInts(qerRefs), SessionRules.smallInts(urrRefs));
    }

    private static void distinctFound(int[] refs) throws Decline {
        for (int k = 0; k < refs.length; k++) {
            check(refs[k] >= 0);
            for (int r = 0; r < k; r++) {
                check(refs[r] != refs[k]);
            }
        }
    }

    /** A FAR as sent, outer header included. */
    private static final class RawFar {
        int id;
        int action;
        int destination;
        int dscp = -1;
        boolean hasOuter;
        int teid;
        String peer = "";
        int port;
        int outerQfi = -1;
    }

    private static FarRule far(CodedInputStream in, List<FarRule> before) throws IOException, Decline {
        RawFar f = new RawFar();
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            int field = tag >>> 3;
            int wireType = tag & 7;
            if (wireType == VARINT) {
                int v = (int) in.readRawVarint64();
                switch (field) {
                    case 1 -> f.id = v;
                    case 2 -> f.action = v;
                    case 3 -> f.destination = v;
                    case 5 -> f.dscp = qfi(v); // DSCP has the same range, 0..63
                    default -> known(true, field, 5);
                }
            } else if (wireType == BYTES) {
                int limit = in.pushLimit(length(in));
                if (field == 4) {
                    check(!f.hasOuter); // a second one would merge into the first
                    f.hasOuter = true;
                    outer(in, f);
                } else {
                    unknownBytes(in, field, 5);
                }
                in.popLimit(limit);
            } else {
                skip(in, tag, 5);
            }
        }
        long farId = Integer.toUnsignedLong(f.id);
        int action = f.action;
        int destination = f.destination;
        check(farId != 0 && action >= SessionModel.FORWARD && action <= SessionModel.BUFFER);
        check(destination == 0 || destination == ACCESS || destination == SessionModel.CORE);
        check(action != SessionModel.FORWARD || destination != 0);
        check(f.hasOuter ? destination == ACCESS : !(action == SessionModel.FORWARD && destination == ACCESS));
        for (FarRule r : before) {
            check(r.id() != farId);
        }
        OuterHeader outer = null;
        if (f.hasOuter) {
            IpPrefix address = IpPrefix.parse(f.peer);
            check(f.teid != 0 && address.length() == (address.version() == 4 ? 32 : 128) && f.port >= 0 && f.port <= 65535);
            outer = new OuterHeader(f.teid, address, f.port == 0 ? SessionRules.GTPU_PORT : f.port, f.outerQfi);
        }
        return new FarRule(farId, action, destination, outer, f.dscp);
    }

    private static void outer(CodedInputStream in, RawFar f) throws IOException, Decline {
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            int field = tag >>> 3;
            int wireType = tag & 7;
            if (wireType == VARINT) {
                int v = (int) in.readRawVarint64();
                switch (field) {
                    case 1 -> f.teid = v;
                    case 3 -> f.port = v;
                    case 4 -> f.outerQfi = qfi(v);
                    default -> known(true, field, 4);
                }
            } else if (wireType == BYTES) {
                int limit = in.pushLimit(length(in));
                if (field == 2) {
                    f.peer = ascii(in);
                } else {
                    unknownBytes(in, field, 4);
                }
                in.popLimit(limit);
            } else {
                skip(in, tag, 4);
            }
        }
    }

    private static QerRule qer(CodedInputStream in, List<QerRule> before) throws IOException, Decline {
        long[] v = new long[9]; // by field number: 1 id, 2 and 3 gates, 4..7 MBR up, MBR down, GBR up, GBR down, 8 QFI
        boolean hasQfi = false;
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            int field = tag >>> 3;
            if ((tag & 7) == VARINT) {
                long value = in.readRawVarint64();
                if (field <= 8) {
                    v[field] = value;
                    hasQfi |= field == 8;
                }
            } else {
                skip(in, tag, 8);
            }
        }
        long qerId = Integer.toUnsignedLong((int) v[1]);
        int gateUp = (int) v[2];
        int gateDown = (int) v[3];
        check(qerId != 0 && (gateUp == 0 || gateUp == 1) && (gateDown == 0 || gateDown == 1));
        for (int f = 4; f <= 7; f++) {
            check(v[f] >= 0);
        }
        check((v[4] == 0 || v[6] <= v[4]) && (v[5] == 0 || v[7] <= v[5]));
        for (QerRule q : before) {
            check(q.id() != qerId);
        }
        // gate 0 is OPEN
        return new QerRule(qerId, gateUp == 0, gateDown == 0, v[4], v[5], v[6], v[7], hasQfi ? qfi((int) v[8]) : -1);
    }

    private static UrrRule urr(CodedInputStream in, List<UrrRule> before) throws IOException, Decline {
        long[] v = new long[11]; // by field number; 4, triggers, declines: the general path takes those
        String redirect = "";
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            int field = tag >>> 3;
            int wireType = tag & 7;
            if (wireType == VARINT) {
                long value = in.readRawVarint64();
                known(field == 4 || field == 11, field, 11);
                if (field <= 10) {
                    v[field] = value;
                }
            } else if (wireType == BYTES && field == 11) {
                int limit = in.pushLimit(length(in));
                redirect = ascii(in);
                in.popLimit(limit);
            } else {
                skip(in, tag, 11);
            }
        }
        long urrId = Integer.toUnsignedLong((int) v[1]);
        check(urrId != 0 && v[5] >= 0 && v[6] >= 0 && (int) v[10] == 0 && redirect.isEmpty());
        for (UrrRule u : before) {
            check(u.id() != urrId);
        }
        return new UrrRule(urrId, v[2] != 0, v[3] != 0, List.of(), v[5], v[6], Integer.toUnsignedLong((int) v[7]),
                Integer.toUnsignedLong((int) v[8]), Integer.toUnsignedLong((int) v[9]), false, null);
    }

    private static int qfi(int raw) throws Decline {
        check(raw >= 0 && raw <= 63);
        return raw;
    }

    private static int length(CodedInputStream in) throws IOException, Decline {
        int length = in.readRawVarint32();
        check(length >= 0);
        return length;
    }

    /** A string field (its limit pushed) whose bytes are ASCII, so valid UTF-8 that protobuf-java decodes to the same text. */
    private static String ascii(CodedInputStream in) throws IOException, Decline {
        byte[] bytes = in.readRawBytes(in.getBytesUntilLimit());
        for (byte b : bytes) {
            check(b >= 0);
        }
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }

    /**
     * A field this path does not read, when {@code unread}: fine if its number is above
     * {@code lastKnown} (protobuf-java keeps it as an unknown field, which no rule reads); a known
     * number with another wire type declines.
     */
    private static void known(boolean unread, int field, int lastKnown) throws Decline {
        check(!unread || field > lastKnown);
    }

    /** A length-delimited field (its limit pushed) this path does not read: skipped if unknown, else declined. */
    private static void unknownBytes(CodedInputStream in, int field, int lastKnown) throws IOException, Decline {
        known(true, field, lastKnown);
        in.skipRawBytes(in.getBytesUntilLimit());
    }

    /** Any other field: skipped when its number is unknown and it is no group; else declines. */
    private static void skip(CodedInputStream in, int tag, int lastKnown) throws IOException, Decline {
        int wireType = WireFormat.getTagWireType(tag);
        check(WireFormat.getTagFieldNumber(tag) > lastKnown && wireType != WireFormat.WIRETYPE_START_GROUP
                && wireType != WireFormat.WIRETYPE_END_GROUP);
        in.skipField(tag);
    }

    private static void check(boolean ok) throws Decline {
        if (!ok) {
            throw Decline.INSTANCE;
        }
    }
}
