/**
 * The ACL network function's datapath: rules ({@link io.nfchain.functions.acl.AclRuleSpec} in,
 * validated {@link io.nfchain.functions.acl.AclRuleSet} out), the compiled decision-tree
 * classifier ({@link io.nfchain.functions.acl.AclClassifier}), the stateful flow table
 * ({@link io.nfchain.functions.acl.FlowTable}) and the per-packet decision that ties them
 * together with counted verdicts ({@link io.nfchain.functions.acl.AclEngine}). Plain Java, no
 * framework: the NF runner hosts it. {@code docs/acl.md} describes the semantics and the figures.
 */
package io.nfchain.functions.acl;
