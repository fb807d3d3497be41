/**
 * The nfchain custom resources, group {@code nfchain.io}, version {@code v1alpha1}: the Java
 * classes are the source of truth; the CRD YAML in {@code crds/} and the Helm chart is
 * generated from them (see docs/crds.md). Validation lives here as OpenAPI constraints and CEL
 * rules ({@code @ValidationRule}).
 *
 * <p>The model classes are mutable Jackson beans with public fields, as custom resource models
 * are: not thread-safe; a reconciler owns the instance it read. Absent (null) fields are left out
 * of the JSON, so a {@link io.nfchain.api.v1alpha1.DatapathNodeSpec} serialises to exactly the
 * document the agent's strict node-spec reader accepts.
 */
package io.nfchain.api.v1alpha1;
