package io.nfchain.functions.rules;

/**
 * A rule or route that cannot be applied, naming the field at fault (e.g. {@code rules[3].dstPorts}).
 *
 * <p>Immutable, so safe to share between threads. The gRPC layer maps it to INVALID_ARGUMENT with
 * {@link #field()} as the violation's field.
 */
public final class InvalidRuleException extends RuntimeException {
    private final String field;

    public InvalidRuleException(String field, String message) {
        super(field + ": " + message);
        this.field = field;
    }

    /** The path of the offending field, e.g. {@code rules[3].dstPorts}. */
    public String field() {
        return field;
    }
}
