package io.nfchain.controller.reconciler;

import io.fabric8.kubernetes.api.model.Pod;
import io.nfchain.controller.model.Names;
import io.nfchain.controller.model.RolloutModel.ExistingPod;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;

/** Stateless, thread-safe. What the reconcilers read off a pod. */
final class PodViews {
    private PodViews() {}

    /** Ready the way the kubelet says it (condition Ready=True) and not on its way out. */
    static boolean ready(Pod p) {
        if (p.getMetadata().getDeletionTimestamp() != null || p.getStatus() == null
                || p.getStatus().getConditions() == null) {
            return false;
        }
        return p.getStatus().getConditions().stream()
                .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    static ExistingPod existing(Pod p) {
        Map<String, String> labels = p.getMetadata().getLabels();
        Map<String, String> ann = p.getMetadata().getAnnotations();
        int hop = parseInt(labels.get(Names.LABEL_HOP));
        Instant switched = null;
        if (ann != null && ann.get(Names.ANNOTATION_SWITCHED_AT) != null) {
            try {
                switched = Instant.parse(ann.get(Names.ANNOTATION_SWITCHED_AT));
            } catch (DateTimeParseException e) {
                switched = Instant.EPOCH; // unreadable: it has drained long enough
            }
        }
        String ip = p.getStatus() == null ? null : p.getStatus().getPodIP();
        return new ExistingPod(p.getMetadata().getName(), p.getSpec().getNodeName(), hop, ready(p), ip, switched);
    }

    private static int parseInt(String s) {
        try {
            return s == null ? Integer.MAX_VALUE : Integer.parseInt(s);
        } catch (NumberFormatException e) {
            return Integer.MAX_VALUE; // not ours to read: no hop has it, so it goes
        }
    }
}
