package io.nfchain.api.v1alpha1;

/**
 * Thread-safe (constants). The OpenAPI patterns of the model, in one place so tests check
 * samples against the same text the CRDs carry. ECMA-262 and java.util.regex read them alike.
 */
public final class Patterns {
    /** A Kubernetes object name that is also a DNS label (NF and instance names become labels). */
    public static final String DNS_LABEL = "^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$";
    /** A name inside a node spec (port, function, chain): the agent's rule. */
    public static final String SPEC_NAME = "^[a-z0-9][a-z0-9_.-]{0,62}$";
    /** A Linux interface name, 1..15 characters. */
    public static final String INTERFACE = "^[A-Za-z0-9_.:@-]{1,15}$";
    private static final String OCTET = "(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])";
    private static final String H = "[0-9A-Fa-f]{1,4}";
    /** IPv6 in its eight-group and "::" forms (no embedded IPv4, no zone). */
    private static final String IPV6 = "((" + H + ":){7}" + H
            + "|(" + H + ":){1,7}:"
            + "|(" + H + ":){1,6}:" + H
            + "|(" + H + ":){1,5}(:" + H + "){1,2}"
            + "|(" + H + ":){1,4}(:" + H + "){1,3}"
            + "|(" + H + ":){1,3}(:" + H + "){1,4}"
            + "|(" + H + ":){1,2}(:" + H + "){1,5}"
            + "|" + H + ":(:" + H + "){1,6}"
            + "|:(:" + H + "){1,7}"
            + "|::)";
    /** An IPv4 or IPv6 address with an optional prefix length; host bits are the agent's check. */
    public static final String PREFIX = "^(" + OCTET + "(\\." + OCTET + "){3}(/(3[0-2]|[12]?[0-9]))?"
            + "|" + IPV6 + "(/(12[0-8]|1[01][0-9]|[1-9]?[0-9]))?)$";
    private static final String PORT = "(6553[0-5]|655[0-2][0-9]|65[0-4][0-9]{2}|6[0-4][0-9]{3}|[1-5][0-9]{4}"
            + "|[1-9][0-9]{0,3}|0)";
    /** A TCP/UDP port or an inclusive range {@code first-last}. */
    public static final String PORT_RANGE = "^" + PORT + "(-" + PORT + ")?$";
    /** An IP protocol: a name the agent knows or a number 0..255. */
    public static final String PROTOCOL = "^(tcp|udp|icmp|icmpv6|sctp|25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])$";
    /** A Kubernetes quantity as pods take it for memory: {@code 512Mi}, {@code 2Gi}, {@code 1000000}. */
    public static final String QUANTITY = "^[0-9]+(\\.[0-9]+)?(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)?$";
    /** A 2 MiB hugepage amount in Mi or Gi (a whole number of pages is the CEL rule's business). */
    public static final String HUGEPAGES_2MI = "^[1-9][0-9]*(Mi|Gi)$";
    /** A 1 GiB hugepage amount. */
    public static final String HUGEPAGES_1GI = "^[1-9][0-9]*Gi$";
    /** A CPU list as sysfs and the kernel command line write it: {@code 2-3,6}. */
    public static final String CPU_LIST = "^[0-9]{1,4}(-[0-9]{1,4})?(,[0-9]{1,4}(-[0-9]{1,4})?)*$";
    /** A PCI address {@code domain:bus:device.function}. */
    public static final String PCI_ADDRESS = "^[0-9a-f]{4}:[0-9a-f]{2}:[0-1][0-9a-f]\\.[0-7]$";
    /** A config key: lowercase words joined by dots or dashes ({@code routes-file}). */
    public static final String CONFIG_KEY = "^[a-z0-9]([a-z0-9.-]{0,61}[a-z0-9])?$";

    private Patterns() {}
}
