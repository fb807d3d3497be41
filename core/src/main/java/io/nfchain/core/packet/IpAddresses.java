package io.nfchain.core.packet;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * IPv4 addresses as an {@code int}, IPv6 addresses as two {@code long}s (high and low 64 bits),
 * the way the datapath keeps them, and their text forms.
 *
 * <p>IPv6 text follows RFC 5952 (lower case, longest run of zero groups compressed, the first
 * one on a tie, a single zero group never compressed), which is also what tshark prints.
 */
public final class IpAddresses {
    private IpAddresses() {}

    public static String ipv4ToString(int address) {
        return (address >>> 24) + "." + ((address >>> 16) & 0xFF) + "." + ((address >>> 8) & 0xFF) + "." + (address & 0xFF);
    }

    /**
     * Parses dotted-quad text (four groups of 1-3 ASCII digits, each at most 255); throws
     * {@link IllegalArgumentException} for anything else. One pass over the chars, no garbage:
     * session installs parse a few addresses per session.
     */
    public static int parseIpv4(String text) {
        int address = 0;
        int groups = 0;
        int octet = 0;
        int digits = 0;
        int n = text.length();
        for (int i = 0; i <= n; i++) {
            char c = i < n ? text.charAt(i) : '.';
            if (c >= '0' && c <= '9' && digits < 3) {
                octet = octet * 10 + (c - '0');
                digits++;
            } else if (c == '.' && digits > 0 && octet <= 255 && groups < 4) {
                address = address << 8 | octet;
                groups++;
                octet = 0;
                digits = 0;
            } else {
                throw new IllegalArgumentException("not an IPv4 address: " + text);
            }
        }
        if (groups != 4) {
            throw new IllegalArgumentException("not an IPv4 address: " + text);
        }
        return address;
    }

    public static String ipv6ToString(long hi, long lo) {
        int[] groups = new int[8];
        for (int i = 0; i < 4; i++) {
            groups[i] = (int) (hi >>> (48 - 16 * i)) & 0xFFFF;
            groups[i + 4] = (int) (lo >>> (48 - 16 * i)) & 0xFFFF;
        }
        int bestStart = -1;
        int bestLen = 1; // a single zero group is never compressed
        for (int i = 0; i < 8; ) {
            if (groups[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLen) {
                bestStart = i;
                bestLen = j - i;
            }
            i = j;
        }
        StringBuilder sb = new StringBuilder(39);
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLen - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
                sb.append(':');
            }
            sb.append(Integer.toHexString(groups[i]));
        }
        return sb.toString();
    }

    /** Parses an IPv6 literal into {hi, lo}; throws {@link IllegalArgumentException} for anything else. */
    public static long[] parseIpv6(String text) {
        if (text.indexOf(':') < 0) {
            throw new IllegalArgumentException("not an IPv6 address: " + text);
        }
        try {
            InetAddress address = InetAddress.getByName(text); // a literal: no name lookup happens
            byte[] b = address instanceof Inet6Address ? address.getAddress() : null;
            if (b == null) {
                // Java folds ::ffff:a.b.c.d into an Inet4Address; keep it as the IPv4-mapped IPv6 address.
                byte[] v4 = ((Inet4Address) address).getAddress();
                b = new byte[16];
                b[10] = (byte) 0xFF;
                b[11] = (byte) 0xFF;
                System.arraycopy(v4, 0, b, 12, 4);
            }
            long hi = 0;
            long lo = 0;
            for (int i = 0; i < 8; i++) {
                hi = (hi << 8) | (b[i] & 0xFF);
                lo = (lo << 8) | (b[i + 8] & 0xFF);
            }
            return new long[] {hi, lo};
        } catch (UnknownHostException | ClassCastException e) {
            throw new IllegalArgumentException("not an IPv6 address: " + text, e);
        }
    }
}
