package io.nfchain.functions.router;

import io.nfchain.core.packet.IpAddresses;
import io.nfchain.functions.rules.InvalidRuleException;

/** Stateless. Parses and orders the prefixes and addresses of the router's API. */
final class Prefixes {
    private Prefixes() {}

    /**
     * Immutable. A prefix or (length 32 / 128) an address; IPv4 in the low 32 bits of
     * {@code lo}. Ordered IPv4 first, then by address (unsigned), then by length.
     */
    record Key(boolean ipv6, long hi, long lo, int length) implements Comparable<Key> {
        @Override
        public int compareTo(Key o) {
            if (ipv6 != o.ipv6) {
                return ipv6 ? 1 : -1;
            }
            int c = Long.compareUnsigned(hi, o.hi);
            if (c == 0) {
                c = Long.compareUnsigned(lo, o.lo);
            }
            return c != 0 ? c : Integer.compare(length, o.length);
        }

        String address() {
            return ipv6 ? IpAddresses.ipv6ToString(hi, lo) : IpAddresses.ipv4ToString((int) lo);
        }

        @Override
        public String toString() {
            return address() + "/" + length;
        }
    }

    /** {@code 10.0.0.0/8} or {@code 2001:db8::/32}; host bits must be zero. */
    static Key parse(String field, String text) {
        int slash = text.indexOf('/');
        if (slash < 0) {
            throw new InvalidRuleException(field, "'" + text + "' is not a prefix (address/length)");
        }
        Key address = parseAddress(field, text.substring(0, slash));
        int length;
        try {
            length = Integer.parseInt(text.substring(slash + 1));
        } catch (NumberFormatException e) {
            throw new InvalidRuleException(field, "'" + text + "' has no prefix length after '/'");
        }
        int max = address.ipv6() ? 128 : 32;
        if (length < 0 || length > max) {
            throw new InvalidRuleException(field, "prefix length " + length + " is not in 0.." + max + " (" + text + ")");
        }
        Key net = network(address, length);
        if (net.hi() != address.hi() || net.lo() != address.lo()) {
            throw new InvalidRuleException(field, text + " has host bits set; the network is " + net);
        }
        return net;
    }

    /** An IPv4 or IPv6 literal, as a key of length 32 or 128. */
    static Key parseAddress(String field, String text) {
        try {
            if (text.indexOf(':') >= 0) {
                long[] a = IpAddresses.parseIpv6(text);
                return new Key(true, a[0], a[1], 128);
            }
            return new Key(false, 0, IpAddresses.parseIpv4(text) & 0xFFFF_FFFFL, 32);
        } catch (IllegalArgumentException e) {
            throw new InvalidRuleException(field, "'" + text + "' is not an IPv4 or IPv6 address");
        }
    }

    /** The first {@code length} bits of {@code address}. */
    static Key network(Key address, int length) {
        if (!address.ipv6()) {
            long mask = length == 0 ? 0 : (0xFFFF_FFFFL << (32 - length)) & 0xFFFF_FFFFL;
            return new Key(false, 0, address.lo() & mask, length);
        }
        long hiMask = length >= 64 ? -1L : length == 0 ? 0 : -1L << (64 - length);
        long loMask = length <= 64 ? 0 : length == 128 ? -1L : -1L << (128 - length);
        return new Key(true, address.hi() & hiMask, address.lo() & loMask, length);
    }
}
