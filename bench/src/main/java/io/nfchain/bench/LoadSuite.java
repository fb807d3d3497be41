package io.nfchain.bench;

import java.util.Map;

/**
 * A suite that measures whole processes under load (peers, rings, CPU time from /proc) rather
 * than methods under JMH. It runs everything itself and hands back the table and figures.
 */
public non-sealed interface LoadSuite extends Suite {

    /** What a load run produced: the human table (printed first) and the figures for the JSON line. */
    record Report(String table, Map<String, Object> figures) {}

    /**
     * Runs the load; progress goes to stderr. {@code quick} is a smoke run whose figures are only
     * indicative. {@code "suite"} and {@code "machine"} are added to the figures by the caller.
     *
     * @throws Exception when a run cannot be completed; the caller reports it and exits non-zero
     */
    Report run(boolean quick) throws Exception;
}
