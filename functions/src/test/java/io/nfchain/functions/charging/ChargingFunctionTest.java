package io.nfchain.functions.charging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nfchain.api.charging.v1.GrantQuotaRequest;
import io.nfchain.api.charging.v1.ReportReason;
import io.nfchain.api.charging.v1.Usage;
import io.nfchain.api.charging.v1.UsageReport;
import io.nfchain.api.session.v1.ApplySessionsRequest;
import io.nfchain.api.session.v1.ExhaustionAction;
import io.nfchain.api.session.v1.ReportingTrigger;
import io.nfchain.api.session.v1.Session;
import io.nfchain.api.session.v1.SessionChange;
import io.nfchain.api.session.v1.Urr;
import io.nfchain.core.packet.Checksums;
import io.nfchain.core.packet.GtpuHeader;
import io.nfchain.core.packet.NetBytes;
import io.nfchain.core.packet.PacketBuilder;
import io.nfchain.core.packet.PacketParser;
import io.nfchain.core.packet.ParsedPacket;
import io.nfchain.functions.session.SessionProtos;
import io.grpc.stub.StreamObserver;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Charging behind a real memif link: usage per URR and direction, drops with reasons, volume and
 * time quotas that block or redirect, replenishment, reports with thresholds, sequence numbers and
 * acknowledgement, final usage on delete, usage kept across a restart.
 */
class ChargingFunctionTest {
    private static final int UE = 0x0A2D0007; // 10.45.0.7
    private static final int SERVER = 0xC6336401; // 198.51.100.1
    private static final long SEC = 1_000_000_000L;

    @TempDir
    Path dir;

    private static Session session(Urr.Builder urr) {
        return SessionProtos.simple(7, 0x100, UE, 0x200, "192.0.2.9").toBuilder().setUrrs(0, urr).build();
    }

    private static MemorySegment up(int payload) {
        return new PacketBuilder().ethernet(2, 1).ipv4(UE, SERVER).udp(40000, 443).payload(payload).build();
    }

    private static MemorySegment down(int payload) {
        return new PacketBuilder().ethernet(1, 2).ipv4(SERVER, UE).udp(443, 40000).payload(payload).build();
    }

    private static Usage usage(ChargingHarness h) {
        return h.control.usage(7).getUsages(0);
    }

    @Test
    void countsBytesAndPacketsPerDirectionAndDropsWhatHasNoSession() {
        try (ChargingHarness h = new ChargingHarness(dir)) {
            assertEquals(1, h.apply(session(Urr.newBuilder().setId(1).setMeasureVolume(true))).getApplied());
            MemorySegment stranger = new PacketBuilder().ethernet(2, 1).ipv4(0x0A2D0099, SERVER).udp(1, 2).build();
            List<byte[]> back = h.exchange(List.of(up(100), down(1000), up(3000), stranger));
            assertEquals(3, back.size());
            Usage u = usage(h);
            assertEquals(up(100).byteSize() + up(3000).byteSize(), u.getBytesUplink());
            assertEquals(down(1000).byteSize(), u.getBytesDownlink());
            assertEquals(2, u.getPacketsUplink());
            assertEquals(1, u.getPacketsDownlink());
            assertTrue(u.getFirstPacketUnixNs() > 0);
            assertEquals(0, u.getDurationNs(), "one burst: first and last packet at the same time");
            assertEquals(1, h.counter(ChargingCounter.SESSION_UNKNOWN));
        }
    }

    /**
     * The upf's echo replies and end markers follow its user traffic through charging to the gNB:
     * forwarded, counted as signalling, charged to no URR (they were dropped as SESSION_UNKNOWN).
     */
    @Test
    void gtpuSignallingIsForwardedAndChargedToNoUrr() {
        try (ChargingHarness h = new ChargingHarness(dir)) {
            assertEquals(1, h.apply(session(Urr.newBuilder().setId(1).setMeasureVolume(true))).getApplied());
            MemorySegment echo = new PacketBuilder().ethernet(2, 1).ipv4(0xC0000201, 0xC000020A).udp(2152, 2152)
                    .gtpu(GtpuHeader.ECHO_RESPONSE, 0).build();
            MemorySegment endMarker = new PacketBuilder().ethernet(2, 1).ipv4(0xC0000201, 0xC000020A).udp(2152, 2152)
                    .gtpu(GtpuHeader.END_MARKER, 0x100).build();
            List<byte[]> back = h.exchange(List.of(echo, up(100), endMarker));
            assertEquals(3, back.size());
            assertEquals(2, h.counter(ChargingCounter.CHARGING_GTPU_SIGNALLING));
            Usage u = usage(h);
            assertEquals(1, u.getPacketsUplink() + u.getPacketsDownlink(), "only the user packet is usage");
            assertEquals(up(100).byteSize(), u.getBytesUplink());
        }
    }

    @Test
    void aDownlinkPacketWithoutADownlinkPdrIsDroppedAsNoPdr() {
        try (ChargingHarness h = new ChargingHarness(dir)) {
            Session.Builder s = session(Urr.newBuilder().setId(1)).toBuilder();
            s.removePdrs(1);
            h.apply(s.build());
            assertEquals(0, h.exchange(List.of(down(10))).size());
            assertEquals(1, h.counter(ChargingCounter.SESSION_NO_PDR));
        }
    }

    @Test
    void anExhaustedVolumeQuotaBlocksReportsOnceAndAGrantReopens() {
        try (ChargingHarness h = new ChargingHarness(dir)) {
            long size = up(458).byteSize(); // 500 bytes
            h.apply(session(Urr.newBuilder().setId(1).setVolumeQuotaBytes(2 * size + 10)
                    .addTriggers(ReportingTrigger.VOLUME_QUOTA)));
            assertEquals(2, h.exchange(List.of(up(458), up(458), up(458), up(458))).size());
            assertEquals(2, h.counter(ChargingCounter.CHARGING_QUOTA_EXHAUSTED));
            h.control.tick(h.nowNs);
            h.control.tick(h.nowNs);
            List<UsageReport> reports = watch(h);
            assertEquals(List.of(ReportReason.VOLUME_QUOTA_EXHAUSTED), reasons(reports));
            assertEquals(2, reports.get(0).getUsage().getPacketsOverQuota());
            assertEquals(10, reports.get(0).getUsage().getVolumeQuotaLeftBytes());
            Usage granted = h.control.grant(GrantQuotaRequest.newBuilder().setSeid(7).setUrrId(1)
                    .setVolumeBytes(3 * size).build());
            assertEquals(3 * size, granted.getVolumeQuotaLeftBytes());
            assertEquals(3, h.exchange(List.of(up(458), up(458), up(458), up(458))).size());
            assertEquals(5 * size, usage(h).getBytesUplink());
            assertNull(h.control.grant(GrantQuotaRequest.newBuilder().setSeid(7).setUrrId(9).build()));
        }
    }

    @Test
    void anExhaustedQuotaWithRedirectRewritesTheDestinationAndKeepsChecksumsValid() {
        try (ChargingHarness h = new ChargingHarness(dir)) {
            h.apply(session(Urr.newBuilder().setId(1).setVolumeQuotaBytes(1)
                    .setExhaustionAction(ExhaustionAction.REDIRECT).setRedirectAddress("192.0.2.80")));
            List<byte[]> back = h.exchange(List.of(up(64)));
            assertEquals(1, back.size());
            MemorySegment frame = MemorySegment.ofArray(back.get(0));
            ParsedPacket p = new ParsedPacket();
            PacketParser.parse(frame, 0, back.get(0).length, p);
            assertEquals(0xC0000250, p.outer().key().dstIpv4());
            int l3 = p.outer().l3Offset();
            assertEquals(Checksums.ipv4Header(frame, l3), NetBytes.u16(frame, l3 + 10), "IPv4 header checksum");
            assertEquals(Checksums.ipv4Transport(frame, l3), NetBytes.u16(frame, p.outer().l4Offset() + 6), "UDP checksum");
            assertEquals(1, h.counter(ChargingCounter.CHARGING_REDIRECTED));
            assertEquals(0, usage(h).getBytesUplink(), "redirected traffic is not charged");
            assertEquals(1, usage(h).getPacketsOverQuota());
        }
    }

    @Test
    void aTimeQuotaCountsFromTheFirstPacket() {
        try (ChargingHarness h = new ChargingHarness(dir)) {
            h.apply(session(Urr.newBuilder().setId(1).setTimeQuotaS(2).addTriggers(ReportingTrigger.TIME_QUOTA)));
            assertEquals(1, h.exchange(List.of(up(10))).size());
            h.nowNs += SEC;
            assertEquals(1, h.exchange(List.of(up(10))).size());
            h.nowNs += SEC + 1;
            assertEquals(0, h.exchange(List.of(up(10))).size());
            assertEquals(1, h.counter(ChargingCounter.CHARGING_QUOTA_EXHAUSTED));
            assertEquals(SEC, usage(h).getDurationNs());
            h.control.grant(GrantQuotaRequest.newBuilder().setSeid(7).setUrrId(1).setTimeS(5).build());
            assertEquals(1, h.exchange(List.of(up(10))).size());
        }
    }

    @Test
    void anIdleUrrIsSkippedByTheTickUntilARuleOrAGrantChangesWhatIsDue() {
        try (ChargingHarness h = new ChargingHarness(dir)) {
            long size = up(958).byteSize(); // 1000 bytes
            assertEquals(1, h.apply(session(Urr.newBuilder().setId(1).setVolumeThresholdBytes(5 * size)
                    .setVolumeQuotaBytes(100 * size).addTriggers(ReportingTrigger.VOLUME_THRESHOLD)
                    .addTriggers(ReportingTrigger.VOLUME_QUOTA))).getApplied());
            h.exchange(List.of(up(958), up(958), up(958)));
            h.control.tick(h.nowNs);
            h.control.tick(h.nowNs);
            assertEquals(List.of(), reasons(watch(h)), "3000 bytes cross no 5000-byte threshold");

            // a replace lowers the threshold below the usage as it stands: due at the next tick, no new packet
            ApplySessionsRequest lower = ApplySessionsRequest.newBuilder().addChanges(SessionChange.newBuilder()
                    .setReplace(session(Urr.newBuilder().setId(1).setVolumeThresholdBytes(2 * size)
                            .setVolumeQuotaBytes(100 * size).addTriggers(ReportingTrigger.VOLUME_THRESHOLD)
                            .addTriggers(ReportingTrigger.VOLUME_QUOTA))))
                    .build();
            assertEquals(1, h.sessions.apply(lower).getApplied());
            h.control.tick(h.nowNs);
            h.control.tick(h.nowNs);
            List<UsageReport> reports = watch(h);
            assertEquals(List.of(ReportReason.VOLUME_THRESHOLD), reasons(reports));
            assertEquals(0, h.control.ack(reports.get(0).getSeq()), "one report, acknowledged");

            // a grant of nothing leaves the limit where the usage is: exhausted at once, reported without traffic
            h.control.grant(GrantQuotaRequest.newBuilder().setSeid(7).setUrrId(1).setVolumeBytes(0).build());
            h.control.tick(h.nowNs);
            assertEquals(List.of(ReportReason.VOLUME_QUOTA_EXHAUSTED), reasons(watch(h)));
        }
    }

    /** The tick walks a flat list of URRs; a delete moves the last one into the gap, and none is lost. */
    @Test
    void afterADeleteTheTickStillWatchesEveryOtherUrr() {
        try (ChargingHarness h = new ChargingHarness(dir)) {
            long size = up(958).byteSize(); // 1000 bytes
            for (int k = 0; k < 4; k++) {
                assertEquals(1, h.apply(SessionProtos.simple(10 + k, 0x300 + k, UE + 1 + k, 0x400 + k, "192.0.2.9")
                        .toBuilder().setUrrs(0, Urr.newBuilder().setId(1).setVolumeThresholdBytes(size)
                                .addTriggers(ReportingTrigger.VOLUME_THRESHOLD)).build()).getApplied());
            }
            h.sessions.apply(ApplySessionsRequest.newBuilder()
                    .addChanges(SessionChange.newBuilder().setDeleteSeid(10)).build());
            List<MemorySegment> traffic = new ArrayList<>();
            for (int k = 1; k < 4; k++) {
                traffic.add(new PacketBuilder().ethernet(2, 1).ipv4(UE + 1 + k, SERVER).udp(40000, 443).payload(958)
                        .build());
            }
            assertEquals(3, h.exchange(traffic).size());
            h.control.tick(h.nowNs);
            assertEquals(java.util.Set.of(11L, 12L, 13L), watch(h).stream()
                    .filter(r -> r.getReason() == ReportReason.VOLUME_THRESHOLD)
                    .map(r -> r.getUsage().getSeid()).collect(java.util.stream.Collectors.toSet()));
        }
    }

    /**
     * Records wait out their interval, then come without new traffic (an idle URR with a record
     * pending is still looked at), and the last tick writes every pending one at once.
     */
    @Test
    void periodicRecordsKeepTheirIntervalAndTheLastTickWritesWhatIsPending() throws Exception {
        try (ChargingHarness h = new ChargingHarness(dir, 10 * SEC)) {
            h.apply(session(Urr.newBuilder().setId(1)));
            h.exchange(List.of(up(100)));
            h.control.tick(h.nowNs);
            assertEquals(List.of(1L), recordedPackets(), "the first record at once");
            h.exchange(List.of(up(100)));
            h.nowNs += SEC;
            h.control.tick(h.nowNs);
            assertEquals(List.of(1L), recordedPackets(), "the next one waits for the interval");
            h.nowNs += 10 * SEC;
            h.control.tick(h.nowNs);
            assertEquals(List.of(1L, 2L), recordedPackets(), "then it comes, though no packet came since");
            h.control.tick(h.nowNs + 20 * SEC);
            assertEquals(List.of(1L, 2L), recordedPackets(), "nothing new, no record");
            h.exchange(List.of(down(100)));
            h.control.finalTick(h.nowNs + SEC);
            assertEquals(List.of(1L, 2L, 3L), recordedPackets(), "the last tick writes what is pending");
        }
    }

    private List<Long> recordedPackets() throws Exception {
        List<Long> packets = new ArrayList<>();
        UsageRecordReader.read(dir.resolve("usage.records"), r -> packets.add(r.packetsUp() + r.packetsDown()));
        return packets;
    }

    @Test
    void thresholdsStartOfTrafficAndPeriodsRaiseNumberedReportsThatStayUntilAcked() {
        try (ChargingHarness h = new ChargingHarness(dir)) {
            long size = up(958).byteSize(); // 1000 bytes
            h.apply(session(Urr.newBuilder().setId(1).setVolumeThresholdBytes(2 * size).setMeasurementPeriodS(10)
                    .addTriggers(ReportingTrigger.START_OF_TRAFFIC).addTriggers(ReportingTrigger.VOLUME_THRESHOLD)
                    .addTriggers(ReportingTrigger.PERIODIC)));
            h.exchange(List.of(up(958)));
            h.control.tick(h.nowNs);
            h.exchange(List.of(up(958)));
            h.control.tick(h.nowNs);
            h.exchange(List.of(up(958)));
            h.control.tick(h.nowNs); // 3000 bytes: one threshold crossed, the next at 4000
            h.nowNs += 10 * SEC;
            h.control.tick(h.nowNs);
            List<UsageReport> reports = watch(h);
            assertEquals(List.of(ReportReason.START_OF_TRAFFIC, ReportReason.VOLUME_THRESHOLD, ReportReason.PERIODIC),
                    reasons(reports));
            for (int i = 1; i < reports.size(); i++) {
                assertEquals(reports.get(i - 1).getSeq() + 1, reports.get(i).getSeq());
            }
            assertEquals(2 * size, reports.get(1).getUsage().getBytesUplink());
            assertEquals(1, h.control.ack(reports.get(1).getSeq()));
            assertEquals(List.of(ReportReason.PERIODIC), reasons(watch(h)), "unacked reports are sent again");
            assertEquals(0, h.control.ack(reports.get(2).getSeq()));
        }
    }

    @Test
    void deletingASessionReportsAndRecordsItsFinalUsage() throws Exception {
        try (ChargingHarness h = new ChargingHarness(dir)) {
            h.apply(session(Urr.newBuilder().setId(1)));
            h.exchange(List.of(up(100), down(200)));
            h.sessions.apply(io.nfchain.api.session.v1.ApplySessionsRequest.newBuilder()
                    .addChanges(SessionChange.newBuilder().setDeleteSeid(7)).build());
            assertNull(h.control.usage(7));
            List<UsageReport> reports = watch(h);
            assertEquals(ReportReason.FINAL, reports.get(reports.size() - 1).getReason());
            List<UsageRecord> records = new ArrayList<>();
            UsageRecordReader.read(dir.resolve("usage.records"), records::add);
            UsageRecord last = records.get(records.size() - 1);
            assertEquals(ReportReason.FINAL_VALUE, last.reason());
            assertEquals(up(100).byteSize(), last.bytesUp());
            assertEquals(down(200).byteSize(), last.bytesDown());
            assertEquals(0, h.exchange(List.of(up(100))).size());
        }
    }

    @Test
    void usageAndQuotaSurviveARestartWhenTheClientReappliesItsSessions() {
        long size = up(100).byteSize();
        try (ChargingHarness h = new ChargingHarness(dir)) {
            h.apply(session(Urr.newBuilder().setId(1).setVolumeQuotaBytes(3 * size)));
            h.exchange(List.of(up(100), up(100)));
        }
        try (ChargingHarness h = new ChargingHarness(dir)) {
            assertEquals(0, h.exchange(List.of(up(100))).size(), "no session until it is re-applied");
            h.apply(session(Urr.newBuilder().setId(1).setVolumeQuotaBytes(3 * size)));
            assertEquals(2 * size, usage(h).getBytesUplink());
            assertEquals(1, h.exchange(List.of(up(100), up(100))).size(), "the quota left is kept, not re-granted");
            assertEquals(3 * size, usage(h).getBytesUplink());
        }
    }

    private static List<UsageReport> watch(ChargingHarness h) {
        List<UsageReport> got = new ArrayList<>();
        StreamObserver<UsageReport> observer = new StreamObserver<>() {
            @Override
            public void onNext(UsageReport value) {
                got.add(value);
            }

            @Override
            public void onError(Throwable t) {}

            @Override
            public void onCompleted() {}
        };
        h.control.watch(observer);
        h.control.unwatch(observer);
        assertFalse(got.stream().anyMatch(r -> r.getSeq() == 0));
        return got;
    }

    private static List<ReportReason> reasons(List<UsageReport> reports) {
        return reports.stream().map(UsageReport::getReason).toList();
    }
}
