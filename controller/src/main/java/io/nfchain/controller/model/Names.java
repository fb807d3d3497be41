package io.nfchain.controller.model;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Stateless, thread-safe. The names the controller gives things, all within a DNS label (63
 * characters) and the agent's spec names ({@code [a-z0-9][a-z0-9_.-]*}).
 */
public final class Names {
    public static final int MAX_LENGTH = 63;
    public static final String LABEL_CHAIN = "nfchain.io/chain";
    public static final String LABEL_FUNCTION = "nfchain.io/function";
    public static final String LABEL_INSTANCE = "nfchain.io/instance";
    public static final String LABEL_HOP = "nfchain.io/hop";
    public static final String LABEL_MANAGED_BY = "app.kubernetes.io/managed-by";
    public static final String MANAGED_BY = "nfchain-controller";
    public static final String ANNOTATION_SPEC_HASH = "nfchain.io/spec-hash";
    public static final String ANNOTATION_NODE = "nfchain.io/node";
    /** On an old instance's pod: when the controller moved its hop to the replacement (ISO-8601). */
    public static final String ANNOTATION_SWITCHED_AT = "nfchain.io/switched-at";

    private Names() {}

    /**
     * An instance: {@code <chain>-<hop>-<function>-<hash>}, chain and function shortened (the
     * longer first) when the whole would pass 63 characters.
     */
    public static String instance(String chain, int hopIndex, String function, String hash) {
        String c = chain;
        String f = function;
        int fixed = 1 + Integer.toString(hopIndex).length() + 1 + 1 + hash.length();
        while (c.length() + f.length() + fixed > MAX_LENGTH) {
            if (c.length() >= f.length()) {
                c = c.substring(0, c.length() - 1);
            } else {
                f = f.substring(0, f.length() - 1);
            }
        }
        return trimDashes(c) + "-" + hopIndex + "-" + trimDashes(f) + "-" + hash;
    }

    /**
     * A chain's entry in a node spec: {@code <namespace>.<chain>}. Namespaces hold no dots, so the
     * name says whose it is; shortened with a hash of the whole when longer than 63 characters.
     */
    public static String chainEntry(String namespace, String chain) {
        String full = namespace + "." + chain;
        if (full.length() <= MAX_LENGTH) {
            return full;
        }
        String hash = hash5(full);
        return trimDashes(full.substring(0, MAX_LENGTH - 6)) + "-" + hash;
    }

    /** Five base-36 characters of a SHA-256 of {@code text}: 60 million values, DNS-safe. */
    public static String hash5(String text) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            long v = ((d[0] & 0xffL) << 32) | ((d[1] & 0xffL) << 24) | ((d[2] & 0xffL) << 16) | ((d[3] & 0xffL) << 8)
                    | (d[4] & 0xffL);
            StringBuilder sb = new StringBuilder(5);
            for (int i = 0; i < 5; i++) {
                sb.append(Character.forDigit((int) (v % 36), 36));
                v /= 36;
            }
            return sb.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    private static String trimDashes(String s) {
        int end = s.length();
        while (end > 1 && (s.charAt(end - 1) == '-' || s.charAt(end - 1) == '.')) {
            end--;
        }
        return s.substring(0, end);
    }
}
