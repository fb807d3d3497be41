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

    private static SessionModel session(CodedInputStream in) throws IOException, Decline {
        long seid = 0;
        List<RawPdr> pdrs = new ArrayList<>(2);
        List<FarRule> fars = new ArrayList<>(2);
        List<QerRule> qers = new ArrayList<>(1);
        List<UrrRule> urrs = new ArrayList<>(1);
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            if (tag == tag(1, VARINT)) {
                seid = in.readUInt64();
            } else if (tag == tag(2, BYTES)) {
                int limit = in.pushLimit(length(in));
                pdrs.add(pdr(in));
                in.popLimit(limit);
            } else if (tag == tag(3, BYTES)) {
                int limit = in.pushLimit(length(in));
                fars.add(far(in, fars));
                in.popLimit(limit);
            } else if (tag == tag(4, BYTES)) {
                int limit = in.pushLimit(length(in));
                qers.add(qer(in, qers));
                in.popLimit(limit);
            } else if (tag == tag(5, BYTES)) {
                int limit = in.pushLimit(length(in));
                urrs.add(urr(in, urrs));
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
            if (tag == tag(1, VARINT)) {
                p.id = in.readUInt32();
            } else if (tag == tag(2, VARINT)) {
                p.precedence = in.readUInt32();
            } else if (tag == tag(3, BYTES)) {
                check(!p.hasPdi); // a second one would merge into the first
                p.hasPdi = true;
                int limit = in.pushLimit(length(in));
                pdi(in, p);
                in.popLimit(limit);
            } else if (tag == tag(4, VARINT)) {
                p.removeOuter = in.readBool();
            } else if (tag == tag(5, VARINT)) {
                p.farId = in.readUInt32();
            } else if (tag == tag(6, VARINT) || tag == tag(6, BYTES)) {
                p.qerCount = ids(in, tag, p.qerIds, p.qerCount);
            } else if (tag == tag(7, VARINT) || tag == tag(7, BYTES)) {
                p.urrCount = ids(in, tag, p.urrIds, p.urrCount);
            } else {
                skip(in, tag, 7);
            }
        }
        return p;
    }

    private static void pdi(CodedInputStream in, RawPdr p) throws IOException, Decline {
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            if (tag == tag(1, VARINT)) {
                p.source = in.readEnum();
            } else if (tag == tag(2, VARINT)) {
                p.teid = in.readUInt32();
            } else if (tag == tag(3, BYTES)) {
                p.ueV4 = ascii(in);
            } else if (tag == tag(4, BYTES)) {
                p.ueV6 = ascii(in);
            } else if (tag == tag(6, VARINT)) {
                p.qfi = qfi(in.readUInt32());
            } else {
                skip(in, tag, 6); // 5, SDF filters, included: the general path takes those
            }
        }
    }

    private static int ids(CodedInputStream in, int tag, int[] ids, int count) throws IOException, Decline {
        if (WireFormat.getTagWireType(tag) == VARINT) {
            check(count < ids.length);
            ids[count] = in.readUInt32();
            return count + 1;
        }
        int limit = in.pushLimit(length(in));
        while (in.getBytesUntilLimit() > 0) {
            check(count < ids.length);
            ids[count++] = in.readUInt32();
        }
        in.popLimit(limit);
        return count;
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

    private static FarRule far(CodedInputStream in, List<FarRule> before) throws IOException, Decline {
        int id = 0;
        int action = 0;
        int destination = 0;
        boolean hasOuter = false;
        int teid = 0;
        String peer = "";
        int port = 0;
        int outerQfi = -1;
        int dscp = -1;
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            if (tag == tag(1, VARINT)) {
                id = in.readUInt32();
            } else if (tag == tag(2, VARINT)) {
                action = in.readEnum();
            } else if (tag == tag(3, VARINT)) {
                destination = in.readEnum();
            } else if (tag == tag(4, BYTES)) {
                check(!hasOuter); // a second one would merge into the first
                hasOuter = true;
                int limit = in.pushLimit(length(in));
                for (int t = in.readTag(); t != 0; t = in.readTag()) {
                    if (t == tag(1, VARINT)) {
                        teid = in.readUInt32();
                    } else if (t == tag(2, BYTES)) {
                        peer = ascii(in);
                    } else if (t == tag(3, VARINT)) {
                        port = in.readUInt32();
                    } else if (t == tag(4, VARINT)) {
                        outerQfi = qfi(in.readUInt32());
                    } else {
                        skip(in, t, 4);
                    }
                }
                in.popLimit(limit);
            } else if (tag == tag(5, VARINT)) {
                dscp = qfi(in.readUInt32()); // DSCP has the same range, 0..63
            } else {
                skip(in, tag, 5);
            }
        }
        long farId = Integer.toUnsignedLong(id);
        check(farId != 0 && action >= SessionModel.FORWARD && action <= SessionModel.BUFFER);
        check(destination == 0 || destination == ACCESS || destination == SessionModel.CORE);
        check(action != SessionModel.FORWARD || destination != 0);
        check(hasOuter ? destination == ACCESS : !(action == SessionModel.FORWARD && destination == ACCESS));
        for (FarRule f : before) {
            check(f.id() != farId);
        }
        OuterHeader outer = null;
        if (hasOuter) {
            IpPrefix address = IpPrefix.parse(peer);
            check(teid != 0 && address.length() == (address.version() == 4 ? 32 : 128) && port >= 0 && port <= 65535);
            outer = new OuterHeader(teid, address, port == 0 ? SessionRules.GTPU_PORT : port, outerQfi);
        }
        return new FarRule(farId, action, destination, outer, dscp);
    }

    private static QerRule qer(CodedInputStream in, List<QerRule> before) throws IOException, Decline {
        int id = 0;
        int gateUp = 0;
        int gateDown = 0;
        long[] rates = new long[4]; // MBR up, MBR down, GBR up, GBR down: fields 4..7
        int qfi = -1;
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            int field = WireFormat.getTagFieldNumber(tag);
            if (tag == tag(1, VARINT)) {
                id = in.readUInt32();
            } else if (tag == tag(2, VARINT)) {
                gateUp = in.readEnum();
            } else if (tag == tag(3, VARINT)) {
                gateDown = in.readEnum();
            } else if (field >= 4 && field <= 7 && WireFormat.getTagWireType(tag) == VARINT) {
                rates[field - 4] = in.readUInt64();
            } else if (tag == tag(8, VARINT)) {
                qfi = qfi(in.readUInt32());
            } else {
                skip(in, tag, 8);
            }
        }
        long qerId = Integer.toUnsignedLong(id);
        check(qerId != 0 && (gateUp == 0 || gateUp == 1) && (gateDown == 0 || gateDown == 1));
        for (long rate : rates) {
            check(rate >= 0);
        }
        check((rates[0] == 0 || rates[2] <= rates[0]) && (rates[1] == 0 || rates[3] <= rates[1]));
        for (QerRule q : before) {
            check(q.id() != qerId);
        }
        // gate 0 is OPEN
        return new QerRule(qerId, gateUp == 0, gateDown == 0, rates[0], rates[1], rates[2], rates[3], qfi);
    }

    private static UrrRule urr(CodedInputStream in, List<UrrRule> before) throws IOException, Decline {
        int id = 0;
        boolean volume = false;
        boolean duration = false;
        long volumeThreshold = 0;
        long volumeQuota = 0;
        int timeThreshold = 0;
        int timeQuota = 0;
        int period = 0;
        int exhaustion = 0;
        String redirect = "";
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            switch (tag) {
                case 1 << 3 | VARINT -> id = in.readUInt32();
                case 2 << 3 | VARINT -> volume = in.readBool();
                case 3 << 3 | VARINT -> duration = in.readBool();
                case 5 << 3 | VARINT -> volumeThreshold = in.readUInt64();
                case 6 << 3 | VARINT -> volumeQuota = in.readUInt64();
                case 7 << 3 | VARINT -> timeThreshold = in.readUInt32();
                case 8 << 3 | VARINT -> timeQuota = in.readUInt32();
                case 9 << 3 | VARINT -> period = in.readUInt32();
                case 10 << 3 | VARINT -> exhaustion = in.readEnum();
                case 11 << 3 | BYTES -> redirect = ascii(in);
                default -> skip(in, tag, 11); // 4, triggers, included: the general path takes those
            }
        }
        long urrId = Integer.toUnsignedLong(id);
        check(urrId != 0 && volumeThreshold >= 0 && volumeQuota >= 0 && exhaustion == 0 && redirect.isEmpty());
        for (UrrRule u : before) {
            check(u.id() != urrId);
        }
        return new UrrRule(urrId, volume, duration, List.of(), volumeThreshold, volumeQuota,
                Integer.toUnsignedLong(timeThreshold), Integer.toUnsignedLong(timeQuota), Integer.toUnsignedLong(period), false,
                null);
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

    /** A string field whose bytes are ASCII, so valid UTF-8 that protobuf-java decodes to the same text. */
    private static String ascii(CodedInputStream in) throws IOException, Decline {
        byte[] bytes = in.readByteArray();
        for (byte b : bytes) {
            check(b >= 0);
        }
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }

    /**
     * Skips a field this path does not read: a number above {@code lastKnown} (protobuf-java keeps
     * it as an unknown field, which no rule reads). A known number with another wire type, or a
     * group, declines.
     */
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
