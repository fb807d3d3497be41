package io.nfchain.bench;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A named set of JMH benchmarks and how its figures are derived from their results.
 *
 * <p>A suite names its benchmark class as a string, not a class literal, so the registry compiles
 * before that class is written; running such a suite then fails with a clear message.
 */
public non-sealed interface JmhSuite extends Suite {

    /** Fully qualified name of the class holding the suite's {@code @Benchmark} methods. */
    String benchmarkClass();

    /** The JMH include pattern: every benchmark method of {@link #benchmarkClass()}. */
    default String includeRegex() {
        return "^" + Pattern.quote(benchmarkClass()) + "\\.";
    }

    /**
     * The suite's figures for the JSON line, in the order they should appear. Called once, after
     * every benchmark of the suite ran; {@code "suite"}, {@code "jmh"} and {@code "machine"} are
     * added by the caller.
     */
    Map<String, Object> figures(SuiteResults results);

    /**
     * Whole-process measurements that belong next to this suite's JMH figures (the router as a
     * process, say), run after JMH; none by default. Progress goes to stderr.
     *
     * @throws Exception when the load run cannot be completed; the caller reports it and exits non-zero
     */
    default Optional<LoadSuite.Report> load(boolean quick) throws Exception {
        return Optional.empty();
    }

    /**
     * The figures for the JSON line when {@link #load} ran: by default the JMH figures, then the
     * load's. A suite whose targets span both overrides this.
     */
    default Map<String, Object> figures(SuiteResults results, Map<String, Object> loadFigures) {
        Map<String, Object> all = new LinkedHashMap<>(figures(results));
        all.putAll(loadFigures);
        return all;
    }
}
