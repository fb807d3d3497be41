/**
 * The qos network function: per-session QoS enforcement rules (QERs of nfchain.session.v1:
 * gates, MBR, GBR) enforced with RFC 2697/2698 three color markers kept in flat arrays
 * ({@link io.nfchain.functions.qos.Policers}), and DSCP marking by QoS flow
 * ({@link io.nfchain.functions.qos.QfiDscpMap}, {@link io.nfchain.functions.qos.DscpMarker}).
 * Sessions come from the shared {@code io.nfchain.functions.session} package.
 * {@code docs/qos.md} describes the semantics and the figures.
 */
package io.nfchain.functions.qos;
