/**
 * Per-subscriber sessions in the shape of PFCP (TS 29.244), shared by the upf, qos and charging
 * functions so that all three match a packet to the same PDR.
 *
 * <h2>Control side (one writer)</h2>
 * {@link io.nfchain.functions.session.SessionRules} validates a {@code nfchain.session.v1.Session}
 * into a {@link io.nfchain.functions.session.SessionModel} (errors name the field path), or
 * {@code SessionWire} decodes the usual shape of session from its bytes straight into one;
 * {@link io.nfchain.functions.session.SessionControl} applies batches to a
 * {@link io.nfchain.functions.session.SessionTable}, each change whole or not at all, and is what
 * {@link io.nfchain.functions.session.SessionGrpcService} serves for any function that is a
 * {@link io.nfchain.functions.session.SessionHost}. A function hears of changes through its
 * {@link io.nfchain.functions.session.SessionListener} (on the control thread).
 *
 * <h2>Reader API (the worker; allocation-free, lock-free, stable)</h2>
 * <ol>
 * <li>Find the session: the upf's uplink input by TEID,
 *     {@link io.nfchain.functions.session.SessionTable#findUplinkTeid(int)}; otherwise by UE address:
 *     {@link io.nfchain.functions.session.SessionTable#findUeV4(int)} /
 *     {@link io.nfchain.functions.session.SessionTable#findUeV6(long, long)} with the packet's source
 *     (uplink, PDRs from ACCESS) or destination (downlink, from CORE). Use the inner 5-tuple of GTP-U,
 *     else the outer. Each returns a {@link io.nfchain.functions.session.CompiledSession} or null
 *     ({@code SESSION_UNKNOWN}). The {@code lookup*} variants return the slot instead, -1 for none.</li>
 * <li>Keep that object for the packet (it is immutable: one version of the session), and match:
 *     {@link io.nfchain.functions.session.CompiledSession#matchPdr(int, long, int, io.nfchain.core.packet.FlowKey)}
 *     with the source interface ({@code SessionModel.ACCESS} or {@code CORE}), the TEID or
 *     {@code CompiledSession.NO_TEID}, the QFI or {@code CompiledSession.NO_QFI}, and the 5-tuple.
 *     It returns a PDR handle, or -1 ({@code SESSION_NO_PDR}).</li>
 * <li>Read the matched rule through the same object: {@code farAction(h)}, {@code outerTeid(h)},
 *     {@code outerPeerIpv4(h)}, {@code downlinkQfi(h)}, {@code removeOuterHeader(h)},
 *     {@code qerSlotCount(h)} / {@code qerSlot(h, i)}, {@code urrSlotCount(h)} / {@code urrSlot(h, i)},
 *     {@code pdrId(h)}, and {@code slot()} for per-session state.</li>
 * </ol>
 * Functions on the packet path use {@link io.nfchain.functions.session.SessionMatch} instead, one per
 * worker: its {@code uplinkTeid}, {@code downlink} and {@code ue} lookups do steps 1 and 2 and hold
 * the answer (the same fields as step 3), read for a simple session from its one-line hot record
 * ({@code HotRecords}) and otherwise from the session, as above.
 * QER and URR slots are dense ints below {@code qerSlotCapacity()} / {@code urrSlotCapacity()}: keep
 * per-rule state in flat arrays indexed by them. A slot keeps its rule across a replace when the
 * rule's id stays; a fresh slot (see {@link io.nfchain.functions.session.SessionListener}) must be reset.
 */
package io.nfchain.functions.session;
