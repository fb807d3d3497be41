/**
 * The GTP-U user plane function ({@code upf}): decapsulation and encapsulation with the PDU
 * Session Container, echo, end markers and buffering, under PFCP-shaped session rules from
 * {@link io.nfchain.functions.session}. See docs/upf.md.
 */
package io.nfchain.functions.upf;
