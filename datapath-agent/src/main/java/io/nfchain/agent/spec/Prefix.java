package io.nfchain.agent.spec;

import io.nfchain.core.packet.IpAddresses;

/**
 * Immutable. An IPv4 or IPv6 prefix with host bits zero: {@code 10.0.0.0/8}, {@code 2001:db8::/32}.
 * IPv4 addresses are held as {@code hi = 0, lo = address}, as {@code FlowKey} holds them.
 */
public record Prefix(int version, long hi, long lo, int length) {
    /** {@code address/length}; a bare address is a host prefix. Host bits must be zero. */
    public static Prefix parse(String path, String text) {
        int slash = text.indexOf('/');
        String address = slash < 0 ? text : text.substring(0, slash);
        boolean v6 = address.indexOf(':') >= 0;
        int max = v6 ? 128 : 32;
        int length = max;
        if (slash >= 0) {
            try {
                length = Integer.parseInt(text.substring(slash + 1));
            } catch (NumberFormatException e) {
                throw new SpecException(path, "'" + text + "': prefix length is not a number");
            }
            if (length < 0 || length > max) {
                throw new SpecException(path, "'" + text + "': prefix length must be 0.." + max);
            }
        }
        long hi;
        long lo;
        try {
            if (v6) {
                long[] a = IpAddresses.parseIpv6(address);
                hi = a[0];
                lo = a[1];
            } else {
                hi = 0;
                lo = IpAddresses.parseIpv4(address) & 0xFFFFFFFFL;
            }
        } catch (IllegalArgumentException e) {
            throw new SpecException(path, "'" + text + "' is not an IP prefix: " + e.getMessage());
        }
        Prefix p = new Prefix(v6 ? 6 : 4, hi, lo, length);
        if ((hi & ~p.maskHi()) != 0 || (lo & ~p.maskLo()) != 0) {
            throw new SpecException(path, "'" + text + "' has host bits set");
        }
        return p;
    }

    /** The mask of the high 64 bits (IPv4: all ones, nothing there to compare). */
    public long maskHi() {
        if (version == 4) {
            return -1;
        }
        return length >= 64 ? -1 : length == 0 ? 0 : -1L << (64 - length);
    }

    /** The mask of the low 64 bits (IPv4: the address's 32 bits). */
    public long maskLo() {
        if (version == 4) {
            return length == 0 ? 0 : (0xFFFFFFFFL << (32 - length)) & 0xFFFFFFFFL;
        }
        return length <= 64 ? 0 : -1L << (128 - length);
    }

    /** Whether an address of {@code addressVersion} falls in this prefix. */
    public boolean contains(int addressVersion, long addressHi, long addressLo) {
        return addressVersion == version && (addressHi & maskHi()) == hi && (addressLo & maskLo()) == lo;
    }

    @Override
    public String toString() {
        return (version == 4 ? IpAddresses.ipv4ToString((int) lo) : IpAddresses.ipv6ToString(hi, lo)) + "/" + length;
    }
}
