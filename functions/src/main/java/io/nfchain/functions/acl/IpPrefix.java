package io.nfchain.functions.acl;

import io.nfchain.core.packet.IpAddresses;

/**
 * An IPv4 or IPv6 prefix with no host bits set. Immutable.
 *
 * <p>Addresses are kept as the datapath keeps them ({@link io.nfchain.core.packet.FlowKey}): an
 * IPv4 address in the low 32 bits of {@code lo} with {@code hi} zero, an IPv6 address in both.
 *
 * @param version 4 or 6
 * @param hi      the upper 64 bits of an IPv6 network, 0 for IPv4
 * @param lo      the lower 64 bits of an IPv6 network, or the IPv4 network as an unsigned 32-bit value
 * @param length  prefix length in bits, 0..32 for IPv4 and 0..128 for IPv6
 */
public record IpPrefix(int version, long hi, long lo, int length) {

    /**
     * Parses {@code address/length} or a bare address (a host: /32 or /128). Throws
     * {@link IllegalArgumentException} with a message for people for anything else, including
     * a length beyond the address and host bits set. Never looks a name up.
     */
    public static IpPrefix parse(String text) {
        int slash = text.indexOf('/');
        String address = slash < 0 ? text : text.substring(0, slash);
        boolean v6 = address.indexOf(':') >= 0;
        int maxLength = v6 ? 128 : 32;
        int length = slash < 0 ? maxLength : parseLength(text, text.substring(slash + 1), maxLength);
        long hi = 0;
        long lo;
        if (v6) {
            long[] words = parseIpv6(address);
            if (words == null) {
                throw new IllegalArgumentException("'" + text + "' is not an IPv6 address or prefix");
            }
            hi = words[0];
            lo = words[1];
        } else {
            lo = parseIpv4(text, address) & 0xFFFF_FFFFL;
        }
        IpPrefix network = v6 ? new IpPrefix(6, hi & mask6(length, 0), lo & mask6(length, 64), length)
                : new IpPrefix(4, 0, lo & mask4(length), length);
        if (network.hi != hi || network.lo != lo) {
            throw new IllegalArgumentException("'" + text + "' has host bits set beyond /" + length
                    + ": the network is " + network);
        }
        return network;
    }

    private static int parseLength(String text, String digits, int maxLength) {
        if (digits.isEmpty() || digits.length() > 3 || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException("'" + text + "' has no prefix length after '/' (0.."
                    + maxLength + ")");
        }
        int length = Integer.parseInt(digits);
        if (length > maxLength) {
            throw new IllegalArgumentException("prefix length " + length + " in '" + text
                    + "' is longer than the " + maxLength + " bits of an IPv" + (maxLength == 32 ? 4 : 6)
                    + " address");
        }
        return length;
    }

    private static int parseIpv4(String text, String address) {
        try {
            return IpAddresses.parseIpv4(address);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + text + "' is not an IPv4 or IPv6 address or prefix");
        }
    }

    /** The mask of the bits of a 64-bit word starting at bit {@code from} that a /length keeps. */
    private static long mask6(int length, int from) {
        int bits = Math.clamp(length - from, 0, 64);
        return bits == 0 ? 0 : -1L << (64 - bits);
    }

    private static long mask4(int length) {
        return length == 0 ? 0 : (0xFFFF_FFFFL << (32 - length)) & 0xFFFF_FFFFL;
    }

    /**
     * Parses RFC 4291 text (groups of 1-4 hex digits, one {@code ::}, an optional trailing dotted
     * quad) into {hi, lo}, or null. Written here rather than with InetAddress, which looks up
     * names and interfaces for text that is not a literal.
     */
    static long[] parseIpv6(String text) {
        int gap = text.indexOf("::");
        if (gap >= 0 && text.indexOf("::", gap + 1) >= 0) {
            return null;
        }
        int[] groups = new int[8];
        int head = gap < 0 ? parseGroups(text, groups, 0, true) : parseGroups(text.substring(0, gap), groups, 0, false);
        if (head < 0) {
            return null;
        }
        if (gap < 0) {
            return head == 8 ? toWords(groups) : null;
        }
        int[] tailGroups = new int[8];
        int tail = parseGroups(text.substring(gap + 2), tailGroups, 0, true);
        if (tail < 0 || head + tail > 7) {
            return null;
        }
        System.arraycopy(tailGroups, 0, groups, 8 - tail, tail);
        return toWords(groups);
    }

    /** Groups of {@code part} into {@code out}; returns how many, or -1 when malformed. */
    private static int parseGroups(String part, int[] out, int at, boolean quadAllowed) {
        if (part.isEmpty()) {
            return 0;
        }
        String[] fields = part.split(":", -1);
        int n = at;
        for (int i = 0; i < fields.length; i++) {
            String f = fields[i];
            if (quadAllowed && i == fields.length - 1 && f.indexOf('.') >= 0) {
                int quad;
                try {
                    quad = IpAddresses.parseIpv4(f);
                } catch (IllegalArgumentException e) {
                    return -1;
                }
                if (n + 2 > 8) {
                    return -1;
                }
                out[n++] = quad >>> 16;
                out[n++] = quad & 0xFFFF;
                continue;
            }
            if (f.isEmpty() || f.length() > 4 || n >= 8) {
                return -1;
            }
            int group = 0;
            for (int c = 0; c < f.length(); c++) {
                int digit = Character.digit(f.charAt(c), 16);
                if (digit < 0 || f.charAt(c) > 'f') { // Character.digit also takes non-ASCII digits
                    return -1;
                }
                group = group << 4 | digit;
            }
            out[n++] = group;
        }
        return n - at;
    }

    private static long[] toWords(int[] groups) {
        long hi = 0;
        long lo = 0;
        for (int i = 0; i < 4; i++) {
            hi = hi << 16 | groups[i];
            lo = lo << 16 | groups[i + 4];
        }
        return new long[] {hi, lo};
    }

    /** The address in the low 32 bits for IPv4. */
    public int ipv4() {
        return (int) lo;
    }

    @Override
    public String toString() {
        return (version == 4 ? IpAddresses.ipv4ToString((int) lo) : IpAddresses.ipv6ToString(hi, lo)) + "/" + length;
    }
}
