package io.nfchain.functions.upf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.nfchain.api.charging.v1.GetUsageResponse;
import io.nfchain.api.charging.v1.Usage;
import io.nfchain.api.session.v1.ApplyAction;
import io.nfchain.api.session.v1.ApplySessionsRequest;
import io.nfchain.api.session.v1.ApplySessionsResponse;
import io.nfchain.api.session.v1.ChangeResult;
import io.nfchain.api.session.v1.ExhaustionAction;
import io.nfchain.api.session.v1.Far;
import io.nfchain.api.session.v1.GateStatus;
import io.nfchain.api.session.v1.Interface;
import io.nfchain.api.session.v1.OuterHeaderCreation;
import io.nfchain.api.session.v1.Pdi;
import io.nfchain.api.session.v1.Pdr;
import io.nfchain.api.session.v1.Qer;
import io.nfchain.api.session.v1.ReportingTrigger;
import io.nfchain.api.session.v1.Session;
import io.nfchain.api.session.v1.SessionChange;
import io.nfchain.api.session.v1.Urr;
import io.nfchain.core.memif.MemifClient;
import io.nfchain.core.memif.MemifServer;
import io.nfchain.core.memif.PacketBurst;
import io.nfchain.core.memif.ServerQueuePair;
import io.nfchain.core.packet.GtpuHeader;
import io.nfchain.core.packet.IpAddresses;
import io.nfchain.core.packet.PacketBuilder;
import io.nfchain.core.runtime.NanoClock;
import io.nfchain.functions.charging.ChargingCounter;
import io.nfchain.functions.charging.ChargingFunction;
import io.nfchain.functions.qos.QfiDscpMap;
import io.nfchain.functions.qos.QosBursts;
import io.nfchain.functions.qos.QosCounter;
import io.nfchain.functions.qos.QosFunction;
import io.nfchain.functions.sdk.CounterSet;
import io.nfchain.functions.sdk.FunctionCounter;
import io.nfchain.functions.sdk.FunctionWorker;
import io.nfchain.functions.sdk.NetworkFunction;
import io.nfchain.functions.sdk.WorkerCounter;
import io.nfchain.functions.session.SessionControl;
import io.nfchain.functions.session.SharedSessions;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The user plane in one process ({@code upf+qos+charging}: one {@link FunctionWorker} running the
 * three functions as stages over one {@link SharedSessions} table) against the same functions as
 * a chain of three processes, each with a table of its own behind its own memif link, the test
 * playing the agent between the hops. Both get the same sessions and changes to them, and the same
 * bursts at the same times of one test clock. Burst by burst, what leaves the pipeline must be what
 * leaves the chain's last hop, byte for byte and in order; at the end every function's counters
 * and charging's usage of every URR must be the same.
 *
 * <p>The rules and traffic are those on which the two must agree. Uplink PDRs match on TEID and UE
 * address only, no QFI or SDF filter: in the chain qos and charging find an uplink packet's PDR
 * after the upf removed its tunnel, without TEID or QFI, where in the pipeline they take the upf's
 * match. And no packet from the data network has a UE's address as its source (in the chain qos
 * and charging would take it for that UE's uplink).
 */
class UserPlanePipelineTest {
    private static final String N3 = "192.0.2.10";
    private static final String[] GNBS = {"192.0.2.1", "192.0.2.2", "192.0.2.3"};
    private static final String PORTAL = "198.51.100.200";
    private static final long MAC_UPF = 0x02_00_00_00_00_0AL;
    private static final long MAC_GNB = 0x02_00_00_00_00_01L;
    private static final long MAC_ROUTER = 0x02_00_00_00_00_02L;
    private static final int UE_BASE = 0x0A3C_0000; // 10.60.0.0 + i: subscriber i
    private static final int UNKNOWN_UE_BASE = 0x0A3D_0000; // 10.61.0.0/16: no session
    private static final long UE6_HI_BASE = 0x2001_0db8_6000_0000L; // 2001:db8:6000:i::/64
    private static final int REMOTE_BASE = 0xC633_6400; // 198.51.100.0/24: servers, never a UE
    private static final long REMOTE6_HI = 0x2001_0db8_ffff_0000L;
    private static final int TEID_BASE = 0x0010_0000;
    private static final int UNKNOWN_TEID_BASE = 0x0090_0000;
    private static final int GNB_TEID_BASE = 0x8000_0000;

    private static final int SESSIONS = 1000;
    private static final int ADDED_PER_CHANGE = 60;
    private static final int HOT = 16;
    private static final int MAX_SESSIONS = 2048;
    private static final int MAX_URRS = 4096;
    private static final int BURST = 32;
    private static final int HEADROOM = 128;
    private static final int BURSTS = 3000;
    private static final String[] STAGES = {"upf", "qos", "charging"};

    @TempDir
    Path dir;
    private long nowNs = 1_000_000_000L;
    private final NanoClock clock = () -> nowNs;

    @ParameterizedTest(name = "qos drops packets of no session: {0}, marks outer: {1}, receives in place: {2}")
    @CsvSource({"false, false, true", "true, true, false"})
    void pipelineForwardsAndCountsAsTheChainOfThree(boolean dropNoSession, boolean markOuter, boolean inPlace)
            throws Exception {
        Random random = new Random(29_244L + (dropNoSession ? 1 : 0));
        Subscribers subscribers = new Subscribers(random);
        QosOptions qos = new QosOptions(dropNoSession, markOuter);
        try (Side chain = Side.chain(dir.resolve("chain"), clock, qos, inPlace);
                Side pipeline = Side.pipeline(dir.resolve("pipeline"), clock, qos, inPlace)) {
            apply(subscribers.initial(), chain, pipeline);
            long out = 0;
            for (int b = 0; b < BURSTS; b++) {
                if (b > 0 && b % (BURSTS / 3) == 0) {
                    apply(subscribers.changes(), chain, pipeline);
                }
                nowNs += 10_000 + random.nextInt(190_001); // policers refill between bursts
                List<byte[]> frames = subscribers.burst();
                List<byte[]> fromChain = chain.send(frames);
                assertSameFrames(b, frames, fromChain, pipeline.send(frames));
                out += fromChain.size();
            }
            for (int k = 0; k < STAGES.length; k++) {
                assertEquals(values(chain.counters.get(k)), values(pipeline.counters.get(k)), STAGES[k] + " counters");
            }
            for (int seid = 1; seid <= subscribers.created; seid++) {
                assertEquals(chain.usage(seid), pipeline.usage(seid), "charging usage of SEID " + seid);
            }
            chain.assertNothingLostBetweenHops();
            pipeline.assertNothingLostBetweenHops();
            assertNotVacuous(chain, out);
        }
    }

    /** Applies {@code request} to every control of both sides; every change must succeed everywhere. */
    private static void apply(ApplySessionsRequest request, Side... sides) {
        for (Side side : sides) {
            for (SessionControl control : side.controls) {
                ApplySessionsResponse r = control.apply(request);
                for (ChangeResult result : r.getResultsList()) {
                    assertEquals(0, result.getCode(), side.name + ": " + result);
                }
                assertEquals(request.getChangesCount(), r.getApplied(), side.name);
            }
        }
    }

    private static void assertSameFrames(int burst, List<byte[]> sent, List<byte[]> chain, List<byte[]> pipeline) {
        assertEquals(chain.size(), pipeline.size(), () -> "burst " + burst + ": frames out of the chain and the"
                + " pipeline\nsent:\n" + hex(sent) + "chain:\n" + hex(chain) + "pipeline:\n" + hex(pipeline));
        for (int i = 0; i < chain.size(); i++) {
            int k = i;
            assertArrayEquals(chain.get(i), pipeline.get(i), () -> "burst " + burst + ", frame " + k + " out\nsent:\n"
                    + hex(sent) + "chain:    " + HexFormat.of().formatHex(chain.get(k)) + "\npipeline: "
                    + HexFormat.of().formatHex(pipeline.get(k)));
        }
    }

    private static String hex(List<byte[]> frames) {
        StringBuilder s = new StringBuilder();
        frames.forEach(f -> s.append("  ").append(HexFormat.of().formatHex(f)).append('\n'));
        return s.toString();
    }

    private static <C extends Enum<C> & FunctionCounter> Map<String, Long> values(CounterSet<C> counters) {
        Map<String, Long> out = new LinkedHashMap<>();
        for (C c : counters.counters()) {
            out.put(c.name(), counters.get(c));
        }
        return out;
    }

    /** The traffic reached every rule the comparison is about (the sides' counters are equal by now). */
    private static void assertNotVacuous(Side side, long out) {
        Map<String, Long> upf = values(side.counters.get(0));
        Map<String, Long> qos = values(side.counters.get(1));
        Map<String, Long> charging = values(side.counters.get(2));
        String all = "upf " + upf + "\nqos " + qos + "\ncharging " + charging;
        for (UpfCounter c : List.of(UpfCounter.UPF_UPLINK_FORWARDED, UpfCounter.UPF_DOWNLINK_FORWARDED,
                UpfCounter.UPF_ECHO_REPLIED, UpfCounter.SESSION_UNKNOWN, UpfCounter.UPF_MALFORMED,
                UpfCounter.UPF_FAR_DROP, UpfCounter.UPF_BUFFERED, UpfCounter.UPF_BUFFER_RELEASED,
                UpfCounter.UPF_END_MARKER_SENT)) {
            assertTrue(upf.get(c.name()) > 0, c + "\n" + all);
        }
        for (QosCounter c : List.of(QosCounter.QOS_PASS, QosCounter.QOS_MBR_EXCEEDED, QosCounter.QOS_GATE_CLOSED,
                QosCounter.QOS_GBR_PROTECTED, QosCounter.QOS_DSCP_MARKED)) {
            assertTrue(qos.get(c.name()) > 0, c + "\n" + all);
        }
        for (ChargingCounter c : List.of(ChargingCounter.CHARGING_QUOTA_EXHAUSTED, ChargingCounter.CHARGING_REDIRECTED,
                ChargingCounter.CHARGING_TOO_MANY_URRS)) {
            assertTrue(charging.get(c.name()) > 0, c + "\n" + all);
        }
        assertTrue(out > 10_000, "frames out " + out);
    }

    private record QosOptions(boolean dropNoSession, boolean markOuter) {
        QosFunction create(SharedSessions shared) {
            return new QosFunction(MAX_SESSIONS, QosBursts.DEFAULT, QfiDscpMap.parse("qfi-dscp", "1=46,5=34,9=10,12=0"),
                    markOuter, dropNoSession, shared);
        }
    }

    /** One worker behind its own memif link; the test is the agent on the link's server side. */
    private static final class Hop implements AutoCloseable {
        final MemifServer agent;
        final FunctionWorker<?> worker;
        final PacketBurst out = new PacketBurst(BURST, 2048);
        final PacketBurst in = new PacketBurst(256, 2048);

        Hop(Path socket, Path regionFile, boolean inPlace, FunctionWorkers workers) {
            agent = MemifServer.listen(MemifServer.Config.of(socket).withRequireSealedRegions(false));
            MemifClient.Config link = MemifClient.Config.of(socket);
            if (inPlace) {
                link = link.withInPlace(HEADROOM, BURST);
            }
            if (regionFile != null) {
                link = link.withRegionFile(regionFile);
            }
            worker = workers.create(MemifClient.create(link));
            worker.onStart();
        }

        /** Sends {@code frames} as one burst, runs the worker once, returns what it sent back. */
        List<byte[]> pass(List<byte[]> frames) {
            if (frames.isEmpty()) {
                return frames;
            }
            for (int i = 0; i < frames.size(); i++) {
                byte[] f = frames.get(i);
                MemorySegment.copy(MemorySegment.ofArray(f), 0, out.data(), out.resetForReceive(i), f.length);
                out.put(i, f.length, 0);
            }
            out.setCount(frames.size());
            ServerQueuePair queue = agent.queuePair(0);
            assertEquals(frames.size(), queue.txBurst(out), "the agent's ring took the burst");
            long bursts = worker.workerCounters().get(WorkerCounter.BURSTS);
            worker.doWork();
            assertEquals(bursts + 1, worker.workerCounters().get(WorkerCounter.BURSTS),
                    worker.roleName() + " took the burst whole, in one receive");
            List<byte[]> back = new ArrayList<>();
            while (queue.rxBurst(in) > 0) {
                for (int i = 0; i < in.count(); i++) {
                    back.add(in.data().asSlice(in.offset(i), in.length(i)).toArray(ValueLayout.JAVA_BYTE));
                }
            }
            return back;
        }

        @Override
        public void close() {
            worker.close();
            agent.close();
            out.close();
            in.close();
        }
    }

    @FunctionalInterface
    private interface FunctionWorkers {
        FunctionWorker<?> create(MemifClient link);
    }

    private static <C extends Enum<C> & FunctionCounter> FunctionWorker<C> worker(NetworkFunction<C> first,
            List<NetworkFunction<?>> later, MemifClient link, NanoClock clock) {
        return new FunctionWorker<>(first, later, List.of(link), clock, BURST, HEADROOM);
    }

    /** upf, qos and charging as a chain of hops or as one pipeline, and where their sessions are applied. */
    private static final class Side implements AutoCloseable {
        final String name;
        final List<Hop> hops = new ArrayList<>();
        final List<CounterSet<?>> counters = new ArrayList<>();
        final List<SessionControl> controls = new ArrayList<>();
        final UpfFunction upf;
        final ChargingFunction charging;
        final Object chargingControl;

        private Side(String name, UpfFunction upf, ChargingFunction charging) {
            this.name = name;
            this.upf = upf;
            this.charging = charging;
            this.chargingControl = call(charging, ChargingFunction.class, "control", new Class<?>[0]);
        }

        /** Three hops, each function with a table of its own: sessions go to each. */
        static Side chain(Path dir, NanoClock clock, QosOptions options, boolean inPlace) throws Exception {
            Files.createDirectories(dir);
            UpfFunction upf = new UpfFunction(UpfSettings.of(N3, null, MAX_SESSIONS), null);
            QosFunction qos = options.create(null);
            ChargingFunction charging = charging(dir, null);
            Side side = new Side("chain", upf, charging);
            side.hops.add(new Hop(dir.resolve("upf.sock"), null, inPlace, l -> worker(upf, List.of(), l, clock)));
            side.hops.add(new Hop(dir.resolve("qos.sock"), null, inPlace, l -> worker(qos, List.of(), l, clock)));
            side.hops.add(new Hop(dir.resolve("charging.sock"), dir.resolve("charging-region"), inPlace,
                    l -> worker(charging, List.of(), l, clock)));
            for (Hop hop : side.hops) {
                side.counters.add(hop.worker.counters());
            }
            side.controls.addAll(List.of(upf.sessions(), qos.sessions(), charging.sessions()));
            side.connect();
            return side;
        }

        /** One hop running the three as stages over one table: sessions go to it once. */
        static Side pipeline(Path dir, NanoClock clock, QosOptions options, boolean inPlace) throws Exception {
            Files.createDirectories(dir);
            SharedSessions shared = new SharedSessions(MAX_SESSIONS, 2 * MAX_SESSIONS, MAX_URRS, BURST);
            UpfFunction upf = new UpfFunction(UpfSettings.of(N3, null, MAX_SESSIONS), shared);
            QosFunction qos = options.create(shared);
            ChargingFunction charging = charging(dir, shared);
            Side side = new Side("pipeline", upf, charging);
            Hop hop = new Hop(dir.resolve("user-plane.sock"), dir.resolve("charging-region"), inPlace,
                    l -> worker(upf, List.of(qos, charging), l, clock));
            side.hops.add(hop);
            for (int k = 0; k < STAGES.length; k++) {
                side.counters.add(hop.worker.counters(k));
            }
            assertEquals(upf.sessions(), qos.sessions(), "one control for every stage");
            assertEquals(upf.sessions(), charging.sessions(), "one control for every stage");
            side.controls.add(upf.sessions());
            side.connect();
            return side;
        }

        private static ChargingFunction charging(Path dir, SharedSessions shared) {
            return ChargingFunction.assemble(dir.resolve("charging-state"), dir.resolve("charging-region"),
                    dir.resolve("usage.records"), MAX_URRS, MAX_SESSIONS, 4, 64, 1_000_000_000L, 100_000_000L,
                    10_000_000_000L, BURST, shared);
        }

        private void connect() {
            for (int round = 0; round < 100_000; round++) {
                boolean all = true;
                for (Hop hop : hops) {
                    hop.agent.doWork();
                    hop.worker.doWork();
                    all &= hop.agent.isConnected() && hop.worker.link(0).isConnected();
                }
                if (all) {
                    return;
                }
            }
            fail(name + ": the links did not connect");
        }

        /** {@code frames} through every hop in turn: what leaves the last. */
        List<byte[]> send(List<byte[]> frames) {
            List<byte[]> at = frames;
            for (Hop hop : hops) {
                at = hop.pass(at);
            }
            return at;
        }

        /** Every URR's usage of {@code seid} (null when unknown), without the wall-clock times each control adds. */
        List<Usage> usage(long seid) {
            GetUsageResponse r = (GetUsageResponse) call(chargingControl, chargingControl.getClass(), "usage",
                    new Class<?>[] {long.class}, seid);
            return r == null ? null : r.getUsagesList().stream()
                    .map(u -> u.toBuilder().clearFirstPacketUnixNs().clearLastPacketUnixNs().build()).toList();
        }

        void assertNothingLostBetweenHops() {
            for (Hop hop : hops) {
                assertEquals(0, hop.worker.workerCounters().drops(), name + " " + hop.worker.roleName());
            }
        }

        @Override
        public void close() throws Exception {
            for (Hop hop : hops) {
                hop.close();
            }
            upf.close();
            // the record file (as ChargingProvider.stop closes it), then the mapped usage store
            ((AutoCloseable) chargingControl).close();
            ((AutoCloseable) call(charging, ChargingFunction.class, "store", new Class<?>[0])).close();
        }
    }

    /** Charging's control and store are its package's (its provider and gRPC service reach them): reflection. */
    private static Object call(Object target, Class<?> type, String method, Class<?>[] parameters, Object... args) {
        try {
            Method m = type.getDeclaredMethod(method, parameters);
            m.setAccessible(true);
            return m.invoke(target, args);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(type.getSimpleName() + "." + method, e);
        }
    }

    /**
     * Not thread-safe. The subscribers both sides hold and their traffic: subscriber {@code i} has
     * SEID {@code i + 1}, TEID {@code TEID_BASE + i} (a replace may move it by {@code 0x10000}s),
     * UE {@code 10.60.0.0 + i} (and every fourth the IPv6 /64 {@code 2001:db8:6000:i::}); rules are
     * drawn at random. A few hot subscribers get a third of the traffic, enough to exceed their
     * MBRs and use up their quotas.
     */
    private static final class Subscribers {
        final Random random;
        final Map<Integer, Session> live = new LinkedHashMap<>();
        final int[] hot = new int[HOT];
        final int[] teid = new int[MAX_SESSIONS];
        int created;
        int rounds;

        Subscribers(Random random) {
            this.random = random;
            for (int k = 0; k < HOT; k++) {
                hot[k] = random.nextInt(SESSIONS);
            }
        }

        ApplySessionsRequest initial() {
            ApplySessionsRequest.Builder request = ApplySessionsRequest.newBuilder();
            for (int k = 0; k < SESSIONS; k++) {
                create(request);
            }
            return request.build();
        }

        /** Deletes some, replaces some (most buffering ones with rules that forward), creates some. */
        ApplySessionsRequest changes() {
            ApplySessionsRequest.Builder request = ApplySessionsRequest.newBuilder();
            rounds++;
            for (int i : List.copyOf(live.keySet())) {
                boolean buffering = live.get(i).getFars(1).getAction() == ApplyAction.BUFFER;
                int roll = random.nextInt(100);
                if (roll < 3) {
                    live.remove(i);
                    request.addChanges(SessionChange.newBuilder().setDeleteSeid(seidOf(i)));
                } else if (roll < 10 || buffering && roll < 70) {
                    if (random.nextInt(5) == 0) {
                        teid[i] = TEID_BASE + rounds * 0x1_0000 + i; // the uplink tunnel moves
                    }
                    Session s = session(i, teid[i], random, !buffering);
                    live.put(i, s);
                    request.addChanges(SessionChange.newBuilder().setReplace(s));
                }
            }
            for (int k = 0; k < ADDED_PER_CHANGE; k++) {
                create(request);
            }
            return request.build();
        }

        private void create(ApplySessionsRequest.Builder request) {
            int i = created++;
            teid[i] = TEID_BASE + i;
            Session s = session(i, teid[i], random, true);
            live.put(i, s);
            request.addChanges(SessionChange.newBuilder().setCreate(s));
        }

        List<byte[]> burst() {
            int n = 1 + random.nextInt(BURST);
            List<byte[]> frames = new ArrayList<>(n);
            for (int k = 0; k < n; k++) {
                frames.add(frame());
            }
            return frames;
        }

        private byte[] frame() {
            Random r = random;
            int kind = r.nextInt(100);
            if (kind < 40) {
                int i = pick();
                // now and then the TEID the subscriber had at first, or to another UE (through the data network)
                int tunnel = r.nextInt(8) == 0 ? TEID_BASE + i : teid[i];
                int remote = r.nextInt(20) == 0 ? UE_BASE + r.nextInt(created) : REMOTE_BASE + 1 + r.nextInt(9);
                return uplink(r, tunnel, UE_BASE + i, remote, hasIpv6(i) ? ue6Hi(i) : 0);
            } else if (kind < 78) {
                int i = pick();
                return downlink(r, UE_BASE + i, hasIpv6(i) ? ue6Hi(i) : 0);
            } else if (kind < 82) {
                int stranger = UNKNOWN_UE_BASE + r.nextInt(1000);
                return uplink(r, UNKNOWN_TEID_BASE + r.nextInt(1000), stranger, REMOTE_BASE + 1, 0);
            } else if (kind < 86) {
                return downlink(r, UNKNOWN_UE_BASE + r.nextInt(1000), r.nextBoolean() ? UE6_HI_BASE + 0xFFFF : 0);
            } else if (kind < 91) {
                return gtpuControl(r);
            } else if (kind < 98) {
                int i = pick();
                byte[] base = r.nextBoolean() ? uplink(r, teid[i], UE_BASE + i, REMOTE_BASE + 1, 0)
                        : downlink(r, UE_BASE + i, 0);
                return malformed(r, base);
            }
            return r.nextBoolean() ? transitGtpu(r) : new PacketBuilder().ethernet(MAC_UPF, MAC_GNB)
                    .arp(1, MAC_GNB, gnb(r), 0, IpAddresses.parseIpv4(N3)).toBytes();
        }

        /** A hot subscriber a third of the time, else any ever created (deleted ones have no session). */
        private int pick() {
            return random.nextInt(3) == 0 ? hot[random.nextInt(HOT)] : random.nextInt(created);
        }
    }

    private static long seidOf(int i) {
        return i + 1L;
    }

    private static boolean hasIpv6(int i) {
        return i % 4 == 0;
    }

    private static long ue6Hi(int i) {
        return UE6_HI_BASE | i;
    }

    private static int gnb(Random r) {
        return IpAddresses.parseIpv4(GNBS[r.nextInt(GNBS.length)]);
    }

    /**
     * Subscriber {@code i}'s rules: uplink PDR 1 (TEID and UE, outer header removed, FAR 1 to CORE),
     * downlink PDR 2 (UE, FAR 2 GTP-U to a gNB), QER 1 on both and sometimes a guaranteed QER 2, URR 1
     * on both (some with a volume quota that blocks or redirects) and sometimes URR 2 on the uplink;
     * rarely more URRs on the downlink than charging charges a packet to.
     */
    private static Session session(int i, int teid, Random r, boolean mayBuffer) {
        String ue = IpAddresses.ipv4ToString(UE_BASE + i);
        Pdi.Builder up = Pdi.newBuilder().setSourceInterface(Interface.ACCESS).setLocalTeid(teid).setUeIpv4(ue);
        Pdi.Builder down = Pdi.newBuilder().setSourceInterface(Interface.CORE).setUeIpv4(ue);
        if (hasIpv6(i)) {
            String prefix = "2001:db8:6000:" + Integer.toHexString(i) + "::/64";
            up.setUeIpv6(prefix);
            down.setUeIpv6(prefix);
        }
        Pdr.Builder uplink = Pdr.newBuilder().setId(1).setPrecedence(100).setRemoveOuterHeader(true).setFarId(1)
                .setPdi(up).addQerIds(1).addUrrIds(1);
        Pdr.Builder downlink = Pdr.newBuilder().setId(2).setPrecedence(100).setFarId(2).setPdi(down).addQerIds(1)
                .addUrrIds(1);
        Session.Builder s = Session.newBuilder().setSeid(seidOf(i));
        s.addFars(Far.newBuilder().setId(1).setDestinationInterface(Interface.CORE)
                .setAction(r.nextInt(40) == 0 ? ApplyAction.DROP : ApplyAction.FORWARD));
        OuterHeaderCreation.Builder tunnel = OuterHeaderCreation.newBuilder().setTeid(GNB_TEID_BASE + i)
                .setPeerAddress(GNBS[r.nextInt(GNBS.length)]);
        if (r.nextBoolean()) {
            tunnel.setQfi(1 + r.nextInt(12));
        }
        int action = r.nextInt(20);
        Far.Builder toGnb = Far.newBuilder().setId(2).setDestinationInterface(Interface.ACCESS)
                .setOuterHeaderCreation(tunnel).setAction(action == 0 ? ApplyAction.DROP
                        : action <= 2 && mayBuffer ? ApplyAction.BUFFER : ApplyAction.FORWARD);
        if (r.nextInt(4) == 0) {
            toGnb.setTransportDscp(r.nextInt(64));
        }
        s.addFars(toGnb);
        s.addQers(qer(1, r));
        if (r.nextInt(3) == 0) {
            s.addQers(guaranteedQer(2, r));
            downlink.addQerIds(2);
            if (r.nextBoolean()) {
                uplink.addQerIds(2);
            }
        }
        s.addUrrs(urr(1, r));
        if (r.nextInt(5) == 0) {
            s.addUrrs(urr(2, r));
            uplink.addUrrIds(2);
        }
        if (r.nextInt(100) == 0) {
            for (int id = 3; id <= 6; id++) {
                s.addUrrs(Urr.newBuilder().setId(id).setMeasureVolume(true));
                downlink.addUrrIds(id);
            }
        }
        return s.addPdrs(uplink).addPdrs(downlink).build();
    }

    private static Qer qer(int id, Random r) {
        Qer.Builder q = Qer.newBuilder().setId(id).setMbrUplinkBps(rate(r)).setMbrDownlinkBps(rate(r));
        if (r.nextInt(25) == 0) {
            q.setGateUplink(GateStatus.CLOSED);
        }
        if (r.nextInt(25) == 0) {
            q.setGateDownlink(GateStatus.CLOSED);
        }
        if (r.nextInt(3) == 0) {
            q.setQfi(1 + r.nextInt(12));
        }
        return q.build();
    }

    /** A QER with GBRs (and MBRs, when drawn, no lower): packets over QER 1's MBR within them pass. */
    private static Qer guaranteedQer(int id, Random r) {
        long gbrUp = 1_000_000 + r.nextInt(5_000_000);
        long gbrDown = 1_000_000 + r.nextInt(5_000_000);
        long mbrUp = rate(r);
        long mbrDown = rate(r);
        return Qer.newBuilder().setId(id).setGbrUplinkBps(gbrUp).setGbrDownlinkBps(gbrDown)
                .setMbrUplinkBps(mbrUp == 0 ? 0 : Math.max(mbrUp, gbrUp))
                .setMbrDownlinkBps(mbrDown == 0 ? 0 : Math.max(mbrDown, gbrDown)).build();
    }

    /** None, one far above the traffic, or one a hot subscriber's traffic exceeds. */
    private static long rate(Random r) {
        return switch (r.nextInt(5)) {
            case 0, 1 -> 0;
            case 2 -> 1_000_000_000L;
            default -> 500_000 + r.nextInt(8_000_000);
        };
    }

    private static Urr urr(int id, Random r) {
        Urr.Builder u = Urr.newBuilder().setId(id).setMeasureVolume(true).setMeasureDuration(r.nextBoolean());
        int quota = r.nextInt(10);
        if (quota < 3) {
            u.addTriggers(ReportingTrigger.VOLUME_QUOTA).setVolumeQuotaBytes(1_500 + r.nextInt(40_000));
            if (quota == 0) {
                u.setExhaustionAction(ExhaustionAction.REDIRECT).setRedirectAddress(PORTAL);
            }
        }
        return u.build();
    }

    /** A G-PDU to the N3 address from a gNB: with or without a sequence number and a PDU session container. */
    private static byte[] uplink(Random r, int teid, int ue, int remote, long ue6Hi) {
        PacketBuilder b = new PacketBuilder().ethernet(MAC_UPF, MAC_GNB).ipv4(gnb(r), IpAddresses.parseIpv4(N3))
                .udp(2152, 2152).gtpu(teid);
        if (r.nextInt(4) == 0) {
            b.gtpuSequence(r.nextInt(65536));
        }
        if (r.nextInt(3) != 0) {
            b.pduSessionContainer(GtpuHeader.PDU_TYPE_UPLINK, 1 + r.nextInt(12));
        }
        if (ue6Hi != 0 && r.nextInt(4) == 0) {
            b.ipv6(ue6Hi, 1 + r.nextInt(100), REMOTE6_HI, 1 + r.nextInt(9));
        } else {
            b.ipv4(ue, remote);
            if (r.nextInt(4) == 0) {
                b.ipv4Fields(r.nextInt(256), 1 + r.nextInt(255), r.nextInt(65536), 0, new byte[0]);
            }
        }
        transport(b, r, true);
        b.payload(payloadBytes(r));
        if (r.nextInt(8) == 0) {
            b.padTo(b.length() + 1 + r.nextInt(16)); // a trailer after the inner packet
        }
        return b.toBytes();
    }

    /** Plain IP from the data network to a UE: sometimes a fragment, sometimes padded to Ethernet's minimum. */
    private static byte[] downlink(Random r, int ue, long ue6Hi) {
        PacketBuilder b = new PacketBuilder().ethernet(MAC_UPF, MAC_ROUTER);
        if (ue6Hi != 0 && r.nextInt(4) == 0) {
            b.ipv6(REMOTE6_HI, 1 + r.nextInt(9), ue6Hi, 1 + r.nextInt(100));
        } else {
            b.ipv4(REMOTE_BASE + 1 + r.nextInt(9), ue);
            if (r.nextInt(5) == 0) {
                int[] fragment = {0, 0x4000, 0x2000, 0x2000 | 185, 185};
                b.ipv4Fields(r.nextInt(256), 1 + r.nextInt(255), r.nextInt(65536), fragment[r.nextInt(fragment.length)],
                        new byte[0]);
            }
        }
        transport(b, r, false);
        b.payload(payloadBytes(r));
        if (r.nextInt(5) == 0) {
            b.padTo(60 + r.nextInt(40));
        }
        return b.toBytes();
    }

    private static void transport(PacketBuilder b, Random r, boolean fromUe) {
        int ue = 10_000 + r.nextInt(50_000);
        int remote = r.nextBoolean() ? 443 : 53;
        switch (r.nextInt(10)) {
            case 0, 1, 2 -> b.tcp(fromUe ? ue : remote, fromUe ? remote : ue);
            case 3 -> b.icmp(fromUe ? 8 : 0, 0, r.nextInt());
            default -> b.udp(fromUe ? ue : remote, fromUe ? remote : ue);
        }
    }

    private static int payloadBytes(Random r) {
        return r.nextInt(4) == 0 ? r.nextInt(40) : r.nextInt(1300);
    }

    /** Echo requests (answered); echo responses, end markers, error indications, an unknown type (consumed). */
    private static byte[] gtpuControl(Random r) {
        int[] types = {GtpuHeader.ECHO_REQUEST, GtpuHeader.ECHO_REQUEST, GtpuHeader.ECHO_REQUEST,
                GtpuHeader.ECHO_RESPONSE, GtpuHeader.END_MARKER, GtpuHeader.ERROR_INDICATION, 31};
        int type = types[r.nextInt(types.length)];
        boolean echo = type == GtpuHeader.ECHO_REQUEST || type == GtpuHeader.ECHO_RESPONSE;
        PacketBuilder b = new PacketBuilder().ethernet(MAC_UPF, MAC_GNB).ipv4(gnb(r), IpAddresses.parseIpv4(N3))
                .udp(2152, 2152).gtpu(type, echo ? 0 : TEID_BASE + r.nextInt(SESSIONS));
        if (echo || r.nextBoolean()) {
            b.gtpuSequence(r.nextInt(65536));
        }
        return b.toBytes();
    }

    /** GTP-U passing by, to an address that is not the upf's: the upf takes it for downlink of no session. */
    private static byte[] transitGtpu(Random r) {
        return new PacketBuilder().ethernet(MAC_UPF, MAC_GNB).ipv4(gnb(r), IpAddresses.parseIpv4("192.0.2.99"))
                .udp(2152, 2152).gtpu(TEID_BASE + r.nextInt(SESSIONS))
                .ipv4(UE_BASE + r.nextInt(SESSIONS), REMOTE_BASE + 1).udp(40000, 53).payload(payloadBytes(r)).toBytes();
    }

    /** Cut short, or a few header bytes overwritten. */
    private static byte[] malformed(Random r, byte[] frame) {
        if (r.nextBoolean()) {
            return Arrays.copyOf(frame, 1 + r.nextInt(frame.length - 1));
        }
        byte[] b = frame.clone();
        for (int k = 0, n = 1 + r.nextInt(3); k < n; k++) {
            b[14 + r.nextInt(Math.min(60, b.length - 14))] = (byte) r.nextInt(256);
        }
        return b;
    }
}
