package io.nfchain.e2e;

import io.nfchain.api.acl.v1.AclServiceGrpc;
import io.nfchain.api.agent.v1.Chain;
import io.nfchain.api.agent.v1.ChainServiceGrpc;
import io.nfchain.api.agent.v1.Hop;
import io.nfchain.api.agent.v1.ListChainsRequest;
import io.nfchain.api.function.v1.Counter;
import io.nfchain.api.function.v1.FunctionServiceGrpc;
import io.nfchain.api.function.v1.ListCountersRequest;
import io.nfchain.api.router.v1.AddRoutesRequest;
import io.nfchain.api.router.v1.RouterServiceGrpc;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code ./nfchain demo}: a whole node on this machine, as separate processes (the agent, an acl
 * and a router NF runner), fed by the agent's traffic generator through an {@code acl -> router}
 * chain with the rules and routes of {@link DemoScenario}. Prints a table every second: packet
 * rates per step, drops per second by reason, CPU of each process. {@code --duration} ends it, as
 * does Ctrl-C; either way every process and file it started is gone when it exits.
 */
public final class DemoMain {
    private final PrintStream out;
    private final boolean ansi;

    private DemoMain(PrintStream out, boolean ansi) {
        this.out = out;
        this.ansi = ansi;
    }

    public static void main(String[] args) throws Exception {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("nfchain demo: " + e.getMessage());
            System.err.println(Options.USAGE);
            System.exit(2);
            return;
        }
        if (options.help) {
            System.out.println(Options.USAGE);
            return;
        }
        System.exit(new DemoMain(System.out, System.console() != null && !options.plain).run(options));
    }

    private int run(Options o) throws Exception {
        DemoScenario scenario = new DemoScenario(o.ratePps, 4096, o.routes, o.frameBytes);
        CountDownLatch done = new CountDownLatch(1);
        try (LocalNode node = new LocalNode(LocalNode.repositoryRoot(), o.idleStrategy)) {
            Thread hook = Thread.ofPlatform().unstarted(() -> {
                done.countDown();
                try {
                    node.close();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            Runtime.getRuntime().addShutdownHook(hook);
            out.println("starting the agent, acl and router (logs in " + node.directory().resolve("logs") + ")");
            for (LocalNode.Nf nf : scenario.functions()) {
                node.startFunction(nf);
            }
            // Rules and routes go in before any traffic: the generator starts with the chain.
            node.startAgent(scenario.nodeYaml().replace("ratePps: " + o.ratePps, "ratePps: " + o.ratePps
                    + ", limitPackets: 1"));
            node.awaitReady(Duration.ofSeconds(60));
            long loadStart = System.nanoTime();
            AclServiceGrpc.newBlockingStub(node.functionChannel("acl")).replaceRules(scenario.aclRules());
            RouterServiceGrpc.RouterServiceBlockingStub router = RouterServiceGrpc.newBlockingStub(
                    node.functionChannel("router"));
            router.setNeighbors(scenario.neighbors());
            int routes = 0;
            for (AddRoutesRequest batch : scenario.routeBatches()) {
                router.addRoutes(batch);
                routes += batch.getRoutesCount();
            }
            out.printf(Locale.ROOT, "%d acl rules and %d routes loaded in %.1f s; traffic starts%n",
                    scenario.aclRules().getRulesCount(), routes, (System.nanoTime() - loadStart) / 1e9);
            node.rewriteNodeFile(scenario.nodeYaml());
            Snapshot previous = Snapshot.take(node);
            long start = System.nanoTime();
            while (!done.await(1, TimeUnit.SECONDS)) {
                Snapshot now = Snapshot.take(node);
                print(o, now, previous, (System.nanoTime() - start) / 1e9);
                previous = now;
                for (JavaProcess p : node.processes()) {
                    if (!p.isAlive()) {
                        out.println(p.name() + " exited unexpectedly; its log:\n" + p.tail(20));
                        return 1;
                    }
                }
                if (o.durationS > 0 && System.nanoTime() - start >= o.durationS * 1_000_000_000L) {
                    break;
                }
            }
            out.println("stopping: every process, socket and file the demo started is removed");
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException | io.grpc.StatusRuntimeException e) {
            System.err.println("nfchain demo: " + e.getMessage());
            return 1;
        }
        return 0;
    }

    /** Counters of the whole node at one moment. */
    private record Snapshot(long nanos, Chain chain, Map<String, List<Counter>> nfCounters, Map<String, Double> cpu,
            List<io.nfchain.api.agent.v1.Counter> portDrops) {
        static Snapshot take(LocalNode node) {
            List<Chain> chains = ChainServiceGrpc.newBlockingStub(node.agentChannel())
                    .withDeadlineAfter(2, TimeUnit.SECONDS).listChains(ListChainsRequest.getDefaultInstance())
                    .getChainsList();
            Map<String, List<Counter>> counters = new LinkedHashMap<>();
            for (String nf : List.of("acl", "router")) {
                counters.put(nf, FunctionServiceGrpc.newBlockingStub(node.functionChannel(nf))
                        .withDeadlineAfter(2, TimeUnit.SECONDS)
                        .listCounters(ListCountersRequest.newBuilder().setNonZeroOnly(true).build()).getCountersList());
            }
            Map<String, Double> cpu = new LinkedHashMap<>();
            for (JavaProcess p : node.processes()) {
                cpu.put(p.name(), p.cpuSeconds());
            }
            List<io.nfchain.api.agent.v1.Counter> portDrops = new ArrayList<>();
            for (io.nfchain.api.agent.v1.Port p : io.nfchain.api.agent.v1.PortServiceGrpc.newBlockingStub(
                    node.agentChannel()).withDeadlineAfter(2, TimeUnit.SECONDS)
                    .listPorts(io.nfchain.api.agent.v1.ListPortsRequest.getDefaultInstance()).getPortsList()) {
                portDrops.addAll(p.getDropsList());
            }
            return new Snapshot(System.nanoTime(), chains.isEmpty() ? Chain.getDefaultInstance() : chains.get(0),
                    counters, cpu, portDrops);
        }
    }

    private void print(Options o, Snapshot now, Snapshot before, double elapsedS) {
        double dt = (now.nanos - before.nanos) / 1e9;
        StringBuilder s = new StringBuilder();
        if (ansi) {
            s.append("\033[H\033[2J");
        }
        s.append(String.format(Locale.ROOT, "nfchain demo  gen0 -> acl -> router -> out   %5.0f s   offered %s pps%s%n",
                elapsedS, si(o.ratePps), o.durationS > 0 ? "" : "   (Ctrl-C ends)"));
        s.append(String.format(Locale.ROOT, "  %-16s %12s %14s%n", "step", "pps", "total"));
        Chain c = now.chain;
        Chain p = before.chain;
        List<Hop> hops = c.getHopsList();
        row(s, "gen0 -> acl", c.getReceived(), p.getReceived(), dt);
        if (hops.size() == 2 && p.getHopsCount() == 2) {
            row(s, "acl -> router", hops.get(0).getReturned(), p.getHops(0).getReturned(), dt);
            row(s, "router -> out", hops.get(1).getReturned(), p.getHops(1).getReturned(), dt);
        }
        row(s, "delivered", c.getDelivered(), p.getDelivered(), dt);
        s.append(String.format(Locale.ROOT, "  drops per second, by reason%n"));
        List<String> lines = new ArrayList<>();
        for (var d : c.getDropsList()) {
            long before2 = p.getDropsList().stream().filter(x -> x.getName().equals(d.getName())).mapToLong(
                    x -> x.getValue()).sum();
            if (d.getValue() > 0) {
                lines.add(String.format(Locale.ROOT, "    %-8s %-24s %10s   %s", "agent", d.getName(),
                        si((d.getValue() - before2) / dt), d.getText()));
            }
        }
        for (io.nfchain.api.agent.v1.Counter d : now.portDrops) {
            long was = before.portDrops.stream().filter(x -> x.getScope().equals(d.getScope())
                    && x.getName().equals(d.getName())).mapToLong(io.nfchain.api.agent.v1.Counter::getValue).sum();
            if (d.getValue() > 0) {
                lines.add(String.format(Locale.ROOT, "    %-8s %-24s %10s   %s", d.getScope().replace("port/", ""),
                        d.getName(), si((d.getValue() - was) / dt), d.getText()));
            }
        }
        now.nfCounters.forEach((nf, counters) -> {
            for (Counter k : counters) {
                if (!k.getDrop() && !k.getName().startsWith("ICMP")) {
                    continue;
                }
                long was = before.nfCounters.getOrDefault(nf, List.of()).stream()
                        .filter(x -> x.getName().equals(k.getName()) && x.getScope().equals(k.getScope()))
                        .mapToLong(Counter::getValue).sum();
                lines.add(String.format(Locale.ROOT, "    %-8s %-24s %10s   %s", nf, k.getName(),
                        si((k.getValue() - was) / dt), k.getText()));
            }
        });
        lines.forEach(l -> s.append(l).append('\n'));
        s.append("  cpu ");
        now.cpu.forEach((name, seconds) -> s.append(String.format(Locale.ROOT, "  %s %3.0f%%", name,
                100 * (seconds - before.cpu.getOrDefault(name, seconds)) / dt)));
        s.append('\n');
        out.print(s);
        out.flush();
    }

    private static void row(StringBuilder s, String step, long now, long before, double dt) {
        s.append(String.format(Locale.ROOT, "  %-16s %12s %14d%n", step, si((now - before) / dt), now));
    }

    /** 1234567 as 1.23M. */
    static String si(double v) {
        if (v >= 1e6) {
            return String.format(Locale.ROOT, "%.2fM", v / 1e6);
        }
        if (v >= 1e3) {
            return String.format(Locale.ROOT, "%.1fk", v / 1e3);
        }
        return String.format(Locale.ROOT, "%.0f", v);
    }

    /** Command line of the demo. */
    static final class Options {
        static final String USAGE = """
                usage: ./nfchain demo [--duration SECONDS] [--rate PPS] [--routes N] [--imix] [--idle STRATEGY] [--plain]
                  --duration  stop after this many seconds (default: run until Ctrl-C)
                  --rate      packets per second the generator offers (default 200000)
                  --routes    routes in the router's table (default 100000)
                  --imix      IMIX frame sizes instead of 64 bytes
                  --idle      poll loops' idle strategy: adaptive (default), backoff, busy, interrupt
                  --plain     print tables one after the other instead of redrawing the screen""";
        long durationS;
        long ratePps = 200_000;
        int routes = 100_000;
        List<Integer> frameBytes = List.of(64);
        String idleStrategy = "adaptive";
        boolean plain;
        boolean help;

        static Options parse(String[] args) {
            Options o = new Options();
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                switch (a) {
                    case "--duration" -> o.durationS = number(a, args, ++i, 1, 86_400);
                    case "--rate" -> o.ratePps = number(a, args, ++i, 1, 100_000_000);
                    case "--routes" -> o.routes = (int) number(a, args, ++i, 20, 2_000_000);
                    case "--imix" -> o.frameBytes = List.of(64, 64, 64, 64, 64, 64, 64, 576, 576, 576, 576, 1500);
                    case "--idle" -> {
                        if (++i >= args.length) {
                            throw new IllegalArgumentException("--idle needs a value");
                        }
                        o.idleStrategy = args[i];
                        if (!List.of("adaptive", "backoff", "busy", "interrupt").contains(o.idleStrategy)) {
                            throw new IllegalArgumentException("--idle: '" + o.idleStrategy
                                    + "' is not adaptive, backoff, busy or interrupt");
                        }
                    }
                    case "--plain" -> o.plain = true;
                    case "-h", "--help" -> o.help = true;
                    default -> throw new IllegalArgumentException("unknown argument '" + a + "'");
                }
            }
            return o;
        }

        private static long number(String name, String[] args, int i, long min, long max) {
            if (i >= args.length) {
                throw new IllegalArgumentException(name + " needs a value");
            }
            try {
                long v = Long.parseLong(args[i]);
                if (v < min || v > max) {
                    throw new IllegalArgumentException(name + ": " + v + " is not in " + min + ".." + max);
                }
                return v;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(name + ": '" + args[i] + "' is not a number");
            }
        }
    }
}
