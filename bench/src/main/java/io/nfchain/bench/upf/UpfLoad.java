package io.nfchain.bench.upf;

import io.nfchain.bench.LoadSuite;
import io.nfchain.bench.TempDirs;
import io.nfchain.bench.memif.PeerProcess;
import io.nfchain.bench.router.RunnerProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Not thread-safe. {@code ./nfchain bench upf}: the chain upf -> qos -> charging, run twice: as one
 * {@value #PIPELINE} runner process (the three functions as one pipeline over one session table),
 * then as three runner processes behind memif ({@code -Dnfchain.bench.upf.chain=upf,qos} runs one
 * chain of the runner types named, with {@code +} joining a pipeline's). The {@link UpfTraffic}
 * process plays the agent, switching packets between the hops; each runner gets
 * {@link #SESSIONS} sessions over gRPC (timed: the install rate); then 64-byte inner
 * packets, half uplink GTP-U and half downlink. Packets per CPU-second divides what left the last
 * hop by the CPU seconds of the NF processes (from /proc), the traffic process excluded. Bytes per
 * session come from {@link SessionMemory} at 1M sessions in this JVM.
 */
public final class UpfLoad {
    static final int SESSIONS = 100_000;
    static final int MEMORY_SESSIONS = 1_048_576;
    static final int TRAFFIC_CPU = 0;
    static final int NF_CPU = 1;
    static final String CHAIN_PROPERTY = "nfchain.bench.upf.chain";
    /**
     * The runners' idle strategy. Adaptive by default: the runners share one CPU, and busy ones
     * spin away each other's time slices (rings overflow while the next hop waits; docs/upf.md).
     */
    static final String IDLE_PROPERTY = "nfchain.bench.upf.idle";
    static final String DEFAULT_IDLE = "adaptive";
    /**
     * Packets allowed in the chain at once ({@link UpfTraffic}): closed loop, lossless by
     * construction up to a ring's 1,024; 0 for open loop.
     */
    static final String WINDOW_PROPERTY = "nfchain.bench.upf.window";
    static final int DEFAULT_WINDOW = 1024;
    /**
     * ApplySessions calls the loader keeps outstanding: 4 by default, an SMF pipelining its
     * batches; 1 is one call at a time (the figure before docs/upf.md's install section changed).
     */
    static final String CALLS_IN_FLIGHT_PROPERTY = "nfchain.bench.upf.install-calls-in-flight";
    static final int DEFAULT_CALLS_IN_FLIGHT = 4;
    private static final long STARTUP_MS = 180_000;
    static final double TARGET_PKTS_PER_CPU_S = 3e6;

    static String idleStrategy() {
        return System.getProperty(IDLE_PROPERTY, DEFAULT_IDLE);
    }

    static int window() {
        return Integer.getInteger(WINDOW_PROPERTY, DEFAULT_WINDOW);
    }

    /**
     * Sessions installed before the timed ones, from index {@link #SESSIONS} up: by default as many
     * as are timed, so the timed install meets a runner (and a client) whose gRPC stack and install
     * path the JIT has compiled, as a function that has run for a while would be. That first pass
     * is reported too, as {@code session_installs_per_s_cold} (and {@code <type>_..._cold} for the
     * others): the first 100,000 sessions a just-started JVM takes. 0 times only that cold pass.
     */
    static final String PRE_INSTALL_PROPERTY = "nfchain.bench.upf.pre-install";

    static int preInstall() {
        return Math.min(SESSIONS, Integer.getInteger(PRE_INSTALL_PROPERTY, SESSIONS));
    }

    static int callsInFlight() {
        return Integer.getInteger(CALLS_IN_FLIGHT_PROPERTY, DEFAULT_CALLS_IN_FLIGHT);
    }
    static final double TARGET_INSTALLS_PER_S = 100_000;
    /** The runner type that hosts upf, qos and charging as one pipeline in one process. */
    static final String PIPELINE = "upf+qos+charging";

    /** The functions a runner of {@code type} hosts: itself, or a pipeline's stages. */
    static List<String> stageTypes(String type) {
        return List.of(type.split("\\+"));
    }
    static final double TARGET_BYTES_PER_SESSION = 1024;

    private UpfLoad() {}

    /** The chain to run: the property, else upf, qos, charging, keeping those the functions jar has. */
    static List<String> chain(String wanted) {
        List<String> chain = new ArrayList<>();
        for (String type : wanted.split(",")) {
            String t = type.strip();
            // Each built-in function has a provider named after it: io.nfchain.functions.qos.QosProvider;
            // the one-process pipeline upf+qos+charging is io.nfchain.functions.upf.UserPlaneProvider.
            String provider = t.equals(PIPELINE) ? "io/nfchain/functions/upf/UserPlaneProvider.class"
                    : t.isEmpty() || t.contains("+") ? "" : "io/nfchain/functions/" + t + "/"
                            + Character.toUpperCase(t.charAt(0)) + t.substring(1) + "Provider.class";
            if (!provider.isEmpty() && UpfLoad.class.getClassLoader().getResource(provider) != null) {
                chain.add(t);
            }
        }
        if (chain.isEmpty() || !stageTypes(chain.get(0)).get(0).equals("upf")) {
            throw new IllegalStateException("the chain must start with upf; asked " + wanted + ", available " + chain);
        }
        return chain;
    }

    /**
     * The chain the property names; without it, both ways of running upf -> qos -> charging: as
     * one process (the {@link #PIPELINE} runner: the figures without a prefix, which the targets
     * are judged on) and as three processes behind memif (the same figures prefixed
     * {@code three_processes_}).
     */
    public static LoadSuite.Report run(boolean quick) throws Exception {
        Map<String, Object> figures = new LinkedHashMap<>();
        String wanted = System.getProperty(CHAIN_PROPERTY);
        if (wanted != null) {
            figures.putAll(runChain(chain(wanted), quick));
        } else {
            figures.putAll(runChain(chain(PIPELINE), quick));
            for (Map.Entry<String, Object> e : runChain(chain("upf,qos,charging"), quick).entrySet()) {
                if (THREE_PROCESS_FIGURES.contains(e.getKey()) || e.getKey().endsWith("_cpu_share")
                        || e.getKey().endsWith("_session_installs_per_s") || e.getKey().endsWith("_cold")) {
                    figures.put("three_processes_" + e.getKey(), e.getValue());
                }
            }
        }
        SessionMemory.Result memory = SessionMemory.measure(MEMORY_SESSIONS);
        figures.put("bytes_per_session", memory.heapBytesPerSession());
        figures.put("table_bytes_per_session", memory.tableBytesPerSession());
        figures.put("session_installs_per_s_in_process", memory.installsPerSecond());
        figures.put("session_installs_per_cpu_s_in_process", memory.installsPerCpuSecond());
        figures.put("memory_sessions", memory.sessions());
        figures.put("meets_targets", (double) figures.get("upf_pkts_per_cpu_s") >= TARGET_PKTS_PER_CPU_S
                && (double) figures.get("session_installs_per_s") >= TARGET_INSTALLS_PER_S
                && memory.heapBytesPerSession() <= TARGET_BYTES_PER_SESSION);
        return new LoadSuite.Report(table(figures), figures);
    }

    /** What the three-process run adds to the report, beside its CPU shares and installs per function. */
    private static final List<String> THREE_PROCESS_FIGURES = List.of("chain", "upf_chain_mpps", "upf_pkts_per_cpu_s",
            "session_installs_per_s", "session_installs_per_s_cold", "lost_between_hops", "unanswered", "nf_cpu_seconds");

    private static Map<String, Object> runChain(List<String> chain, boolean quick) throws Exception {
        Path jar = RunnerProcess.findJar();
        Path dir = Files.createTempDirectory("nfchain-bench-upf");
        long warmupMs = quick ? 3_000 : 5_000;
        long measureMs = quick ? 2_000 : 10_000;
        System.err.println("bench upf: chain " + String.join(" -> ", chain) + ", " + SESSIONS + " sessions");
        List<RunnerProcess> runners = new ArrayList<>();
        Map<String, Object> figures = new LinkedHashMap<>();
        String prefix = dir.resolve("hop").toString();
        try (PeerProcess traffic = PeerProcess.start(UpfTraffic.class, List.of(prefix, Integer.toString(chain.size()),
                Integer.toString(SESSIONS), Integer.toString(TRAFFIC_CPU), Integer.toString(window())))) {
            traffic.await("LISTENING", STARTUP_MS);
            for (int k = 0; k < chain.size(); k++) {
                runners.add(start(jar, chain.get(k), Path.of(prefix + "-" + k + ".sock"), dir));
            }
            SessionLoader.Install[] installs = new SessionLoader.Install[chain.size()];
            double[] installCpuSeconds = new double[chain.size()];
            for (int k = 0; k < chain.size(); k++) {
                try (SessionLoader loader = new SessionLoader(runners.get(k).port())) {
                    loader.awaitReady(STARTUP_MS, runners.get(k));
                    if (preInstall() > 0) {
                        SessionLoader.Install pre = loader.install(SESSIONS, preInstall(), callsInFlight());
                        System.err.printf(Locale.ROOT, "bench upf: %s first took %d other sessions in %.2f s%n", chain.get(k),
                                pre.sessions(), pre.seconds());
                        figures.put(k == 0 ? "session_installs_per_s_cold" : chain.get(k) + "_session_installs_per_s_cold",
                                pre.perSecond());
                    }
                    long runnerCpu0 = runners.get(k).cpuNanos();
                    Map<String, Long> roles0 = TaskCpu.byRole(runners.get(k).pid());
                    installs[k] = loader.install(SESSIONS, callsInFlight());
                    installCpuSeconds[k] = (runners.get(k).cpuNanos() - runnerCpu0) / 1e9;
                    if (k == 0) {
                        // where the upf runner's install CPU went: a cold runner's JIT, the event loop, the workers
                        Map<String, Long> roles1 = TaskCpu.byRole(runners.get(k).pid());
                        for (String role : TaskCpu.ROLES) {
                            figures.put("upf_install_cpu_s_" + role, (roles1.get(role) - roles0.get(role)) / 1e9);
                        }
                    }
                }
                System.err.printf(Locale.ROOT, "bench upf: %s took %d sessions over gRPC in %.2f s (its CPU %.2f s), %d calls in"
                        + " flight (%.0f/s after the first tenth)%n", chain.get(k), SESSIONS, installs[k].seconds(),
                        installCpuSeconds[k], installs[k].callsInFlight(), installs[k].restPerSecond());
            }
            traffic.await("CONNECTED", STARTUP_MS);
            traffic.command("start");
            Thread.sleep(warmupMs);
            long[] cpu0 = cpu(runners);
            long[] poll0 = pollCpu(runners, chain);
            long trafficCpu0 = traffic.cpuNanos();
            long[] s0 = traffic.stats();
            long t0 = System.nanoTime();
            Thread.sleep(measureMs);
            long[] s1 = traffic.stats();
            double seconds = (System.nanoTime() - t0) / 1e9;
            long[] cpu1 = cpu(runners);
            long[] poll1 = pollCpu(runners, chain);
            figures.putAll(figures(chain, installs, s0, s1, seconds, cpu0, cpu1));
            for (int k = 0; k < chain.size(); k++) {
                figures.put(chain.get(k) + "_poll_cpu_share", (poll1[k] - poll0[k]) / 1e9 / seconds);
            }
            // the runner's CPU seconds (all its threads: gRPC, JIT, GC) for the install: a rate the shared cores bend less
            figures.put("session_installs_per_runner_cpu_s", SESSIONS / installCpuSeconds[0]);
            figures.put("traffic_cpu_share", (traffic.cpuNanos() - trafficCpu0) / 1e9 / seconds);
            figures.put("idle_strategy", idleStrategy());
            figures.put("window", window());
            figures.put("pre_installed_sessions", preInstall());
            figures.put("loadavg", loadAverage());
        } finally {
            for (RunnerProcess r : runners) {
                r.close();
            }
            TempDirs.deleteTree(dir);
        }
        return figures;
    }

    private static RunnerProcess start(Path jar, String type, Path socket, Path dir) throws Exception {
        int port = RunnerProcess.freePort();
        Map<String, String> p = new LinkedHashMap<>();
        p.put("nfchain.function.type", type);
        p.put("nfchain.function.instance", "bench-" + type);
        p.put("nfchain.function.links[0].socket", socket.toString());
        p.put("nfchain.function.idle-strategy", idleStrategy());
        p.put("nfchain.function.cpu", Integer.toString(NF_CPU));
        List<String> stages = stageTypes(type);
        for (String stage : stages) {
            p.put("nfchain." + stage + ".max-sessions", Integer.toString(2 * SESSIONS));
        }
        if (stages.contains("upf")) {
            p.put("nfchain.upf.n3-ipv4", UpfFlows.N3);
        }
        if (stages.contains("charging")) {
            // its durable state in this run's directory, not the defaults a real node uses
            Files.createDirectories(dir.resolve("charging-state"));
            p.put("nfchain.charging.state-dir", dir.resolve("charging-state").toString());
            // charging keeps its memif region in a file so usage survives a crash exactly
            p.put("nfchain.function.links[0].region-file", dir.resolve("charging-state").resolve("memif-region").toString());
            p.put("nfchain.charging.records-file", dir.resolve("usage.records").toString());
        }
        p.put("quarkus.http.port", Integer.toString(port));
        p.put("quarkus.http.host", "127.0.0.1");
        p.put("quarkus.grpc.server.max-inbound-message-size", Integer.toString(64 << 20));
        return RunnerProcess.start(jar, p, port);
    }

    /** Other helpers' builds share these 2 cores: the 1-minute load average says how much. */
    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (java.io.IOException e) {
            return "?";
        }
    }

    private static long[] cpu(List<RunnerProcess> runners) {
        long[] cpu = new long[runners.size()];
        for (int k = 0; k < cpu.length; k++) {
            cpu[k] = runners.get(k).cpuNanos();
        }
        return cpu;
    }

    /** CPU of each runner's poll thread ({@code <type>-poll}): the rest is JIT, GC, gRPC, timers. */
    private static long[] pollCpu(List<RunnerProcess> runners, List<String> chain) {
        long[] cpu = new long[runners.size()];
        for (int k = 0; k < cpu.length; k++) {
            // a runner's poll thread is named after its (first) function
            cpu[k] = TaskCpu.nanos(runners.get(k).pid(), stageTypes(chain.get(k)).get(0) + "-poll");
        }
        return cpu;
    }

    private static Map<String, Object> figures(List<String> chain, SessionLoader.Install[] installs, long[] s0, long[] s1,
            double seconds, long[] cpu0, long[] cpu1) {
        long received = s1[1] - s0[1];
        double nfCpu = 0;
        Map<String, Object> perHop = new LinkedHashMap<>();
        for (int k = 0; k < chain.size(); k++) {
            double c = (cpu1[k] - cpu0[k]) / 1e9;
            nfCpu += c;
            perHop.put(chain.get(k) + "_cpu_share", c / seconds);
        }
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("chain", String.join(",", chain));
        f.put("sessions", SESSIONS);
        f.put("upf_chain_mpps", received / seconds / 1e6);
        f.put("upf_pkts_per_cpu_s", received / nfCpu);
        f.put("session_installs_per_s", installs[0].perSecond());
        f.put("session_installs_per_s_after_first_tenth", installs[0].restPerSecond());
        f.put("session_install_calls_in_flight", installs[0].callsInFlight());
        for (int k = 1; k < chain.size(); k++) {
            f.put(chain.get(k) + "_session_installs_per_s", installs[k].perSecond());
        }
        f.put("offered_mpps", (s1[0] - s0[0]) / seconds / 1e6);
        f.put("uplink_out_mpps", (s1[2] - s0[2]) / seconds / 1e6);
        f.put("downlink_out_mpps", (s1[3] - s0[3]) / seconds / 1e6);
        f.put("lost_between_hops", s1[4] - s0[4]);
        f.put("unanswered", s1[6] - s0[6]);
        f.put("nf_cpu_seconds", nfCpu);
        f.put("measure_seconds", seconds);
        f.putAll(perHop);
        f.put("target_pkts_per_cpu_s", TARGET_PKTS_PER_CPU_S);
        return f;
    }

    private static String table(Map<String, Object> figures) {
        StringBuilder out = new StringBuilder();
        for (Map.Entry<String, Object> e : figures.entrySet()) {
            Object v = e.getValue();
            out.append(String.format(Locale.ROOT, "%-40s %s%n", e.getKey(),
                    v instanceof Double d ? String.format(Locale.ROOT, "%,.3f", d) : v));
        }
        return out.toString();
    }
}
