package io.nfchain.controller.model;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.nfchain.api.v1alpha1.Conditions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Stateless, thread-safe. Conditions as Kubernetes API conventions want them: one per type, and
 * {@code lastTransitionTime} moves only when the status does.
 */
public final class ConditionsModel {
    public static final String REASON_READY = "InstancesReady";
    public static final String REASON_NOT_READY = "InstancesNotReady";
    public static final String REASON_UNSCHEDULABLE = "Unschedulable";
    public static final String REASON_INVALID_REFERENCE = "InvalidReference";
    public static final String REASON_ROLLING = "RollingUpdate";
    public static final String REASON_CREATING = "Creating";
    public static final String REASON_STABLE = "Stable";
    public static final String REASON_HEALTHY = "Healthy";
    public static final String REASON_UNUSED = "Unused";

    private ConditionsModel() {}

    /** A condition of {@code type}; its transition time is {@code now} unless {@code previous} had the same status. */
    public static Condition condition(List<Condition> previous, String type, boolean status, String reason,
            String message, long generation, Instant now) {
        String s = status ? Conditions.TRUE : Conditions.FALSE;
        Condition old = Conditions.find(previous, type);
        String since = old != null && s.equals(old.getStatus()) && old.getLastTransitionTime() != null
                ? old.getLastTransitionTime() : now.toString();
        return new ConditionBuilder().withType(type).withStatus(s).withReason(reason).withMessage(message)
                .withObservedGeneration(generation).withLastTransitionTime(since).build();
    }

    /** Ready, Progressing and Degraded, in that order. */
    public static List<Condition> three(List<Condition> previous, long generation, Instant now,
            boolean ready, String readyReason, String readyMessage,
            boolean progressing, String progressingReason, String progressingMessage,
            boolean degraded, String degradedReason, String degradedMessage) {
        List<Condition> out = new ArrayList<>(3);
        out.add(condition(previous, Conditions.READY, ready, readyReason, readyMessage, generation, now));
        out.add(condition(previous, Conditions.PROGRESSING, progressing, progressingReason, progressingMessage,
                generation, now));
        out.add(condition(previous, Conditions.DEGRADED, degraded, degradedReason, degradedMessage, generation, now));
        return out;
    }

    /** True when both lists say the same, transition times aside (they differ only when a status does). */
    public static boolean same(List<Condition> a, List<Condition> b) {
        if (a == null || b == null || a.size() != b.size()) {
            return a == b || (a == null ? b.isEmpty() : a.isEmpty());
        }
        for (int i = 0; i < a.size(); i++) {
            Condition x = a.get(i);
            Condition y = b.get(i);
            if (!Objects.equals(x.getType(), y.getType()) || !Objects.equals(x.getStatus(), y.getStatus())
                    || !Objects.equals(x.getReason(), y.getReason()) || !Objects.equals(x.getMessage(), y.getMessage())
                    || !Objects.equals(x.getObservedGeneration(), y.getObservedGeneration())) {
                return false;
            }
        }
        return true;
    }
}
