package io.nfchain.bench;

/**
 * A named benchmark suite behind {@code ./nfchain bench NAME}: JMH micro-benchmarks
 * ({@link JmhSuite}) or a load run of whole processes ({@link LoadSuite}). Either prints a table,
 * then one JSON line of figures.
 */
public sealed interface Suite permits JmhSuite, LoadSuite {

    /** The name people type: {@code ./nfchain bench NAME}. */
    String name();

    /** One line for the suite listing. */
    String description();
}
