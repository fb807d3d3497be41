package io.nfchain.cli;

import io.nfchain.api.agent.v1.Chain;
import io.nfchain.api.agent.v1.Counter;
import io.nfchain.api.agent.v1.Function;
import io.nfchain.api.agent.v1.Hop;
import io.nfchain.api.agent.v1.Port;
import io.nfchain.api.agent.v1.Worker;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * Thread-safe (stateless). The tables of {@code show}: each from the agent's messages now and,
 * under {@code --watch}, an earlier reading for rate columns ({@code before} may be null).
 */
final class Views {
    private Views() {}

    static String ports(List<Port> now, List<Port> before, Rates rates) {
        Map<String, Long> rx = Snapshots.byKey(before, Port::getName, Port::getRxPackets);
        Map<String, Long> tx = Snapshots.byKey(before, Port::getName, Port::getTxPackets);
        Table t = new Table().text("NAME").text("TYPE").text("UP");
        if (rates.shown()) {
            t.number("RX/S").number("TX/S");
        }
        t.number("RX_PKTS").number("RX_BYTES").number("TX_PKTS").number("TX_BYTES").number("DROPS").text("STATE");
        for (Port p : now) {
            Row r = new Row().add(p.getName()).add(p.getType()).add(yesNo(p.getUp()));
            if (rates.shown()) {
                r.add(rate(rates, p.getRxPackets(), rx.get(p.getName())))
                        .add(rate(rates, p.getTxPackets(), tx.get(p.getName())));
            }
            r.add(u(p.getRxPackets())).add(u(p.getRxBytes())).add(u(p.getTxPackets())).add(u(p.getTxBytes()))
                    .add(u(sum(p.getDropsList()))).add(p.getState());
            t.row(r.cells());
        }
        return t.render();
    }

    static String chains(List<Chain> now, List<Chain> before, Rates rates) {
        return chainTable(now, before, rates) + "\n" + hopTable(now, before, rates);
    }

    private static String chainTable(List<Chain> now, List<Chain> before, Rates rates) {
        Map<String, Long> received = Snapshots.byKey(before, Chain::getName, Chain::getReceived);
        Map<String, Long> delivered = Snapshots.byKey(before, Chain::getName, Chain::getDelivered);
        Map<String, Long> dropped = Snapshots.byKey(before, Chain::getName, c -> sum(c.getDropsList()));
        Table t = new Table().text("CHAIN").number("PRIO").text("INGRESS").text("VLAN").text("MATCH").text("EGRESS");
        if (rates.shown()) {
            t.number("IN/S").number("OUT/S").number("DROP/S");
        }
        t.number("RECEIVED").number("DELIVERED").number("DROPPED");
        for (Chain c : now) {
            Row r = new Row().add(c.getName()).add(Integer.toString(c.getPriority())).add(c.getIngressPort())
                    .add(vlan(c.getVlan())).add(c.getMatch()).add(c.getEgressPort());
            long drops = sum(c.getDropsList());
            if (rates.shown()) {
                r.add(rate(rates, c.getReceived(), received.get(c.getName())))
                        .add(rate(rates, c.getDelivered(), delivered.get(c.getName())))
                        .add(rate(rates, drops, dropped.get(c.getName())));
            }
            t.row(r.add(u(c.getReceived())).add(u(c.getDelivered())).add(u(drops)).cells());
        }
        return t.render();
    }

    private static String hopTable(List<Chain> now, List<Chain> before, Rates rates) {
        Map<String, Long> sent = Snapshots.byKey(hops(before), HopAt::key, h -> h.hop().getSent());
        Map<String, Long> returned = Snapshots.byKey(hops(before), HopAt::key, h -> h.hop().getReturned());
        Table t = new Table().text("CHAIN").number("HOP").text("FUNCTION").text("POLICY").text("STATE");
        if (rates.shown()) {
            t.number("SENT/S").number("RETURNED/S");
        }
        t.number("SENT").number("RETURNED").number("BYPASSED").number("DROPPED_DOWN").number("RING_FULL");
        for (HopAt at : hops(now)) {
            Hop h = at.hop();
            Row r = new Row().add(at.chain()).add(Integer.toString(at.index())).add(h.getFunction())
                    .add(h.getFailurePolicy()).add(h.getState());
            if (rates.shown()) {
                r.add(rate(rates, h.getSent(), sent.get(at.key()))).add(rate(rates, h.getReturned(),
                        returned.get(at.key())));
            }
            t.row(r.add(u(h.getSent())).add(u(h.getReturned())).add(u(h.getBypassed())).add(u(h.getDroppedDown()))
                    .add(u(h.getRingFull())).cells());
        }
        return t.render();
    }

    /** One hop with where it is: chain name and position. */
    record HopAt(String chain, int index, Hop hop) {
        String key() {
            return chain + "[" + index + "]";
        }
    }

    static List<HopAt> hops(List<Chain> chains) {
        if (chains == null) {
            return List.of();
        }
        return chains.stream().flatMap(c -> IntStream.range(0, c.getHopsCount())
                .mapToObj(i -> new HopAt(c.getName(), i, c.getHops(i)))).toList();
    }

    static String functions(List<Function> now, List<Function> before, Rates rates) {
        Map<String, Long> rx = Snapshots.byKey(before, Function::getName, Function::getRxPackets);
        Map<String, Long> tx = Snapshots.byKey(before, Function::getName, Function::getTxPackets);
        Table t = new Table().text("NAME").text("TYPE").text("HOP").text("CONNECTED").number("CONNECTS");
        if (rates.shown()) {
            t.number("RX/S").number("TX/S");
        }
        t.number("RX_PKTS").number("TX_PKTS").text("GRPC").text("SOCKET").text("STATE");
        for (Function f : now) {
            Row r = new Row().add(f.getName()).add(f.getType()).add(f.getHop().isEmpty() ? "-" : f.getHop())
                    .add(yesNo(f.getConnected())).add(u(f.getConnects()));
            if (rates.shown()) {
                r.add(rate(rates, f.getRxPackets(), rx.get(f.getName())))
                        .add(rate(rates, f.getTxPackets(), tx.get(f.getName())));
            }
            t.row(r.add(u(f.getRxPackets())).add(u(f.getTxPackets()))
                    .add(f.getGrpcTarget().isEmpty() ? "-" : f.getGrpcTarget()).add(f.getSocket()).add(f.getState())
                    .cells());
        }
        return t.render();
    }

    static String runtime(List<Worker> now, List<Worker> before, Rates rates) {
        Map<String, Long> packets = Snapshots.byKey(before, Worker::getName, Worker::getPackets);
        Map<String, Long> cpuNs = Snapshots.byKey(before, Worker::getName, w -> cpuNs(w));
        Table t = new Table().text("WORKER").text("IDLE").number("BUSY");
        if (rates.shown()) {
            t.number("PKTS/S").number("CPU");
        }
        t.number("PACKETS").number("LOOPS").number("EMPTY_POLLS").number("SLEEPS").number("SLEPT_MS")
                .number("MEAN_BURST").number("NS/PKT").number("CPU_S").number("GEN");
        for (Worker w : now) {
            Row r = new Row().add(w.getName()).add(w.getIdleStrategy()).add(percent(w.getBusyRatio()));
            if (rates.shown()) {
                Long cpu = rates.perSecond(cpuNs(w), cpuNs.get(w.getName()));
                r.add(rate(rates, w.getPackets(), packets.get(w.getName())))
                        .add(cpu == null ? "-" : percent(cpu / 1e9));
            }
            t.row(r.add(u(w.getPackets())).add(u(w.getLoops())).add(u(w.getEmptyPolls())).add(u(w.getSleeps()))
                    .add(u(w.getSleptNs() / 1_000_000)).add(fixed(w.getMeanBurst(), 1))
                    .add(fixed(w.getNsPerPacket(), 1)).add(fixed(w.getProcessCpuSeconds(), 2))
                    .add(u(w.getPlanGeneration())).cells());
        }
        return t.render();
    }

    static String errors(List<Counter> now, List<Counter> before, Rates rates) {
        Map<String, Long> values = Snapshots.byKey(before, Views::counterKey, Counter::getValue);
        Table t = new Table().text("SCOPE").text("NAME").number("VALUE");
        if (rates.shown()) {
            t.number("PER_S");
        }
        t.text("TEXT");
        for (Counter c : now) {
            Row r = new Row().add(c.getScope()).add(c.getName()).add(u(c.getValue()));
            if (rates.shown()) {
                r.add(rate(rates, c.getValue(), values.get(counterKey(c))));
            }
            t.row(r.add(c.getText()).cells());
        }
        return t.render();
    }

    static String counterKey(Counter c) {
        return c.getScope() + " " + c.getName();
    }

    private static long cpuNs(Worker w) {
        return Math.round(w.getProcessCpuSeconds() * 1e9);
    }

    static long sum(List<Counter> counters) {
        long total = 0;
        for (Counter c : counters) {
            total += c.getValue();
        }
        return total;
    }

    static String u(long value) {
        return Long.toUnsignedString(value);
    }

    static String rate(Rates rates, long now, Long before) {
        Long r = rates.perSecond(now, before);
        return r == null ? "-" : Long.toString(r);
    }

    static String yesNo(boolean b) {
        return b ? "yes" : "no";
    }

    static String vlan(int vlan) {
        return vlan < 0 ? "any" : vlan == 0 ? "untagged" : Integer.toString(vlan);
    }

    static String percent(double ratio) {
        return fixed(ratio * 100, 1) + "%";
    }

    static String fixed(double value, int decimals) {
        return String.format(Locale.ROOT, "%." + decimals + "f", value);
    }

    /** A table row being built, cell by cell, in the order of the columns. */
    static final class Row {
        private final List<Object> cells = new ArrayList<>();

        Row add(String cell) {
            cells.add(cell);
            return this;
        }

        Object[] cells() {
            return cells.toArray();
        }
    }
}
