package io.nfchain.controller.model;

/**
 * Immutable. One NF instance: a pod serving exactly one hop of one chain on one node. Its name
 * carries a hash of everything that shapes the pod, so a changed function gets a new instance
 * beside the old one (make-before-break) instead of a changed pod.
 *
 * @param namespace the chain's (and pod's) namespace
 * @param chain the ServiceChain's name
 * @param hopIndex the hop this instance serves, 0-based
 * @param function the NetworkFunction's name
 * @param node the Kubernetes node (= DatapathNode) it runs on
 * @param name the pod name, the node spec's function name and the socket directory's name
 * @param specHash the hash in the name, also on the pod as an annotation
 */
public record FunctionInstance(String namespace, String chain, int hopIndex, String function, String node,
        String name, String specHash) {}
