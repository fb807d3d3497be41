package io.nfchain.agent.spec;

/**
 * Immutable. A node or chain spec that cannot be applied: {@link #path()} names the field
 * ({@code chains[1].hops[0].function}), the message says what is wrong with it. The agent
 * refuses the whole spec and keeps running what it had.
 */
public final class SpecException extends RuntimeException {
    private final String path;
    private final String problem;

    public SpecException(String path, String problem) {
        super(path.isEmpty() ? problem : path + ": " + problem);
        this.path = path;
        this.problem = problem;
    }

    /** The field, as a path from the document's root; empty for the document itself. */
    public String path() {
        return path;
    }

    /** What is wrong, without the path. */
    public String problem() {
        return problem;
    }
}
