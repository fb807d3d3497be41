package io.nfchain.api.v1alpha1;

import io.fabric8.kubernetes.api.model.Condition;
import java.util.List;

/** Thread-safe (constants and pure functions). The condition types every nfchain resource reports. */
public final class Conditions {
    /** The resource does what its spec asks (a chain carries traffic, an NF's instances are ready). */
    public static final String READY = "Ready";
    /** A change is being rolled out (pods starting, a make-before-break switch under way). */
    public static final String PROGRESSING = "Progressing";
    /** Something is wrong that the operator cannot fix alone (unschedulable, a port down). */
    public static final String DEGRADED = "Degraded";

    public static final String TRUE = "True";
    public static final String FALSE = "False";
    public static final String UNKNOWN = "Unknown";

    private Conditions() {}

    /** The condition of {@code type} in {@code conditions}, or null (null list included). */
    public static Condition find(List<Condition> conditions, String type) {
        if (conditions == null) {
            return null;
        }
        for (Condition c : conditions) {
            if (type.equals(c.getType())) {
                return c;
            }
        }
        return null;
    }

    /** True when the condition of {@code type} is present with status {@code True}. */
    public static boolean isTrue(List<Condition> conditions, String type) {
        Condition c = find(conditions, type);
        return c != null && TRUE.equals(c.getStatus());
    }
}
