package io.nfchain.cli;

import io.nfchain.api.agent.v1.Chain;
import io.nfchain.api.agent.v1.Counter;
import io.nfchain.api.agent.v1.CounterSnapshot;
import io.nfchain.api.agent.v1.Hop;
import io.nfchain.api.agent.v1.Port;
import io.nfchain.api.agent.v1.Worker;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Thread-safe (stateless). The {@code watch} screen from two counter snapshots: packet rates
 * per chain and per hop, drops by reason, and the workers' load.
 */
final class WatchView {
    private WatchView() {}

    /** The screen for {@code now}; {@code before} is the previous snapshot, or null for the first. */
    static String render(CounterSnapshot now, CounterSnapshot before) {
        Rates rates = before == null ? Rates.FIRST : Rates.over((now.getUnixNanos() - before.getUnixNanos()) / 1e9);
        return flows(now, before, rates) + "\n" + drops(now, before, rates) + "\n"
                + Views.runtime(now.getWorkersList(), before == null ? null : before.getWorkersList(), rates);
    }

    /** One line per chain (classifier in, egress out, drops) then one per hop (to the NF, back, bypassed, dropped). */
    static String flows(CounterSnapshot now, CounterSnapshot before, Rates rates) {
        List<Chain> old = before == null ? null : before.getChainsList();
        Map<String, Long> received = Snapshots.byKey(old, Chain::getName, Chain::getReceived);
        Map<String, Long> delivered = Snapshots.byKey(old, Chain::getName, Chain::getDelivered);
        Map<String, Long> dropped = Snapshots.byKey(old, Chain::getName, c -> Views.sum(c.getDropsList()));
        List<Views.HopAt> oldHops = Views.hops(old);
        Map<String, Long> sent = Snapshots.byKey(oldHops, Views.HopAt::key, h -> h.hop().getSent());
        Map<String, Long> returned = Snapshots.byKey(oldHops, Views.HopAt::key, h -> h.hop().getReturned());
        Map<String, Long> bypassed = Snapshots.byKey(oldHops, Views.HopAt::key, h -> h.hop().getBypassed());
        Map<String, Long> hopDrops = Snapshots.byKey(oldHops, Views.HopAt::key, h -> hopDrops(h.hop()));
        Table t = new Table().text("CHAIN").text("HOP").text("FUNCTION").text("STATE").number("IN/S").number("OUT/S")
                .number("BYPASS/S").number("DROP/S");
        for (Chain c : now.getChainsList()) {
            String n = c.getName();
            t.row(n, "-", c.getIngressPort() + " > " + c.getEgressPort(), "-",
                    Views.rate(rates, c.getReceived(), received.get(n)),
                    Views.rate(rates, c.getDelivered(), delivered.get(n)), "-",
                    Views.rate(rates, Views.sum(c.getDropsList()), dropped.get(n)));
            for (int i = 0; i < c.getHopsCount(); i++) {
                Hop h = c.getHops(i);
                String k = new Views.HopAt(n, i, h).key();
                t.row(n, Integer.toString(i), h.getFunction(), h.getState(), Views.rate(rates, h.getSent(), sent.get(k)),
                        Views.rate(rates, h.getReturned(), returned.get(k)),
                        Views.rate(rates, h.getBypassed(), bypassed.get(k)),
                        Views.rate(rates, hopDrops(h), hopDrops.get(k)));
            }
        }
        return t.render();
    }

    private static long hopDrops(Hop h) {
        return h.getDroppedDown() + h.getRingFull();
    }

    /** Every drop counter of chains and ports that is not zero, with its rate. */
    static String drops(CounterSnapshot now, CounterSnapshot before, Rates rates) {
        Map<String, Long> old = Snapshots.byKey(before == null ? null : dropCounters(before), Views::counterKey,
                Counter::getValue);
        Table t = new Table().text("SCOPE").text("REASON").number("PER_S").number("TOTAL").text("TEXT");
        for (Counter c : dropCounters(now)) {
            if (c.getValue() != 0) {
                t.row(c.getScope(), c.getName(), Views.rate(rates, c.getValue(), old.get(Views.counterKey(c))),
                        Views.u(c.getValue()), c.getText());
            }
        }
        return t.render();
    }

    private static List<Counter> dropCounters(CounterSnapshot s) {
        List<Counter> all = new ArrayList<>();
        for (Chain c : s.getChainsList()) {
            all.addAll(c.getDropsList());
        }
        for (Port p : s.getPortsList()) {
            all.addAll(p.getDropsList());
        }
        return all;
    }

    /** For the title line: how busy the workers were, so a reader sees the load at a glance. */
    static double busiest(CounterSnapshot s) {
        double busiest = 0;
        for (Worker w : s.getWorkersList()) {
            busiest = Math.max(busiest, w.getBusyRatio());
        }
        return busiest;
    }
}
