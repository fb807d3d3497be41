package io.nfchain.api.v1alpha1;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The OpenAPI patterns accept and refuse what they say, on RE2 (the API server's regex syntax)
 * and java.util.regex alike. Compared once against the agent's own parsers on 2,000,000 random
 * strings (docs/crds.md): a prefix the patterns accept and the agent refuses has host bits set;
 * a port range, protocol or prefix the agent accepts and the patterns refuse is a non-canonical
 * spelling (leading zeros, spaces).
 */
class PatternsTest {
    private static final Map<String, List<List<String>>> CASES = Map.of(
            Patterns.PREFIX, List.of(
                    List.of("10.0.0.0/8", "0.0.0.0/0", "255.255.255.255", "198.18.0.0/15", "2001:db8::/32", "::/0",
                            "::1", "fe80::1:2/64", "1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7::", "::2:3:4:5:6:7:8", "2001:db8::/128"),
                    List.of("", "10.0.0.256", "10.0.0/8", "10.0.0.0/33", "10.0.0.0/", "1.2.3.4.5", ":", ":::",
                            "1:2:3:4:5:6:7:8:9", "2001:db8::/129", "12345::", "1::2::3", "g::", " 10.0.0.0/8")),
            Patterns.PORT_RANGE, List.of(
                    List.of("0", "80", "65535", "1024-65535", "0-0", "2000-1000"),
                    List.of("", "65536", "70000", "-1", "1-", "-80", "08", "1 - 2", "1-2-3", "80,81")),
            Patterns.PROTOCOL, List.of(
                    List.of("tcp", "udp", "icmp", "icmpv6", "sctp", "0", "6", "17", "255"),
                    List.of("", "TCP", "256", "06", "-1", "gre")),
            Patterns.SPEC_NAME, List.of(
                    List.of("a", "wan", "web-0-acl-7f3k2", "a.b_c-d", "0", "a".repeat(63)),
                    List.of("", "-a", "A", "a b", "a".repeat(64), "_a")),
            Patterns.DNS_LABEL, List.of(
                    List.of("a", "acl", "edge-router", "a1", "a".repeat(63)),
                    List.of("", "-a", "a-", "a.b", "A", "a_b", "a".repeat(64))),
            Patterns.CPU_LIST, List.of(
                    List.of("0", "2-3", "0,1", "0-3,8-11,15"),
                    List.of("", "2-", ",1", "0,,1", "a", "0 - 1")),
            Patterns.PCI_ADDRESS, List.of(
                    List.of("0000:3b:00.0", "0000:00:1f.7"),
                    List.of("3b:00.0", "0000:3B:00.0", "0000:3b:00.8", "0000:3b:20.0")),
            Patterns.QUANTITY, List.of(
                    List.of("512Mi", "1Gi", "1000000", "1.5Gi", "2k"),
                    List.of("", "Mi", "1 Gi", "1gi", "-1Mi")));

    @Test
    void patternsAcceptAndRefuseTheirCases() {
        for (Map.Entry<String, List<List<String>>> e : CASES.entrySet()) {
            com.google.re2j.Pattern re2 = com.google.re2j.Pattern.compile(e.getKey());
            java.util.regex.Pattern jdk = java.util.regex.Pattern.compile(e.getKey());
            for (int valid = 0; valid < 2; valid++) {
                for (String s : e.getValue().get(valid)) {
                    boolean expected = valid == 0;
                    assertEquals(expected, re2.matcher(s).find(), "RE2 " + e.getKey() + " on '" + s + "'");
                    assertEquals(expected, jdk.matcher(s).find(), "java " + e.getKey() + " on '" + s + "'");
                }
            }
        }
    }
}
