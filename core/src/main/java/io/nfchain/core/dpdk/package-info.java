/**
 * DPDK as a peer for nfchain's interoperability tests and benchmarks: {@link
 * io.nfchain.core.dpdk.TestPmd} runs {@code dpdk-testpmd} with a {@code net_memif} port as a
 * separate process and reads its counters, {@link io.nfchain.core.dpdk.HugePages} reserves and
 * mounts hugepages for it, and {@link io.nfchain.core.dpdk.ProcessCpu} reads a process's CPU
 * time. Nothing here is on a datapath; all of it is control and measurement code.
 */
package io.nfchain.core.dpdk;
