package io.nfchain.e2e;

import org.junit.jupiter.api.Assumptions;

/**
 * Whether this run may create namespaces and veth pairs. Without root the tests that need it are
 * skipped with the reason, unless {@code -Dnfchain.require} names {@code root} (CI does): then
 * missing root fails them, so a CI run cannot pass by skipping.
 */
final class Root {
    private Root() {}

    static void require() {
        boolean root = "root".equals(System.getProperty("user.name"));
        boolean required = ("," + System.getProperty("nfchain.require", "") + ",").contains(",root,");
        if (!root && required) {
            throw new AssertionError("needs root (nfchain.require lists root)");
        }
        Assumptions.assumeTrue(root, "needs root to create network namespaces and veth pairs");
    }
}
