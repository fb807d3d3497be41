/**
 * pcap and pcapng files: one reader that detects the format ({@link io.nfchain.core.pcap.PacketFileReader}),
 * a writer for each ({@link io.nfchain.core.pcap.PcapWriter}, {@link io.nfchain.core.pcap.PcapngWriter})
 * behind {@link io.nfchain.core.pcap.PacketFileWriter}. Timestamps are nanoseconds since the epoch.
 *
 * <p>Choices a user of the package should know:
 * <ul>
 *   <li>Bad input is a {@link io.nfchain.core.pcap.PcapFormatException} naming the problem and the
 *       file offset of the record or block; nothing else escapes the reader for bad bytes.
 *   <li>Strict where a silent guess would corrupt data: captured length above original length,
 *       a timestamp fraction out of range, a pcapng block whose trailing length differs, an
 *       option that overruns its block, a packet for an undescribed interface are errors.
 *       Lenient where real writers disagree: the file's snap length and the pcapng section length
 *       are not enforced, EPB options are not interpreted, pcapng minor versions are accepted.
 *   <li>A file cut inside its last record is an error unless the reader's options accept a
 *       truncated tail (a capture being written, a copy cut short): losing packets silently is
 *       worse than stopping.
 *   <li>No length from a file is trusted for allocation: records are bounded by
 *       {@code maxCapturedLength} and the read buffer grows only with bytes actually read.
 *   <li>Link types are reported as the file states them; nothing assumes Ethernet.
 * </ul>
 */
package io.nfchain.core.pcap;
