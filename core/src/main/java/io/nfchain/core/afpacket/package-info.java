/**
 * The {@code af_packet} port: frames to and from a kernel interface through TPACKET_V3 rings
 * shared with the kernel ({@link io.nfchain.core.afpacket.AfPacketPort}), for nodes where no NIC
 * can be bypassed and for veth pairs in tests. How it works, the layouts and the limits:
 * {@code docs/afpacket.md}.
 */
package io.nfchain.core.afpacket;
