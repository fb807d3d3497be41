package io.nfchain.cli;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.PrintWriter;
import picocli.CommandLine;

/**
 * Thread-safe (stateless). The one place a failure becomes the one line on stderr and the exit
 * code: usage 2, INVALID_ARGUMENT 3, NOT_FOUND 4, an agent that cannot be reached or does not
 * answer 5, anything else 1. Expected failures print no stack trace.
 */
final class Failures implements CommandLine.IExecutionExceptionHandler, CommandLine.IParameterExceptionHandler {
    static final int OTHER = 1;
    static final int USAGE = 2;
    static final int INVALID_ARGUMENT = 3;
    static final int NOT_FOUND = 4;
    static final int UNAVAILABLE = 5;

    /** A gRPC call to the agent at {@code address} that failed with {@code status}. */
    static final class AgentCallException extends RuntimeException {
        final AgentAddress address;
        final transient Status status;
        final String deadline;

        AgentCallException(AgentAddress address, String deadline, StatusRuntimeException cause) {
            super(cause.getMessage(), cause);
            this.address = address;
            this.status = cause.getStatus();
            this.deadline = deadline;
        }
    }

    /** Something wrong with what the person asked that the CLI finds before calling the agent. */
    static final class UsageException extends RuntimeException {
        UsageException(String message) {
            super(message);
        }
    }

    @Override
    public int handleExecutionException(Exception ex, CommandLine commandLine, CommandLine.ParseResult parsed) {
        return print(commandLine.getErr(), ex);
    }

    @Override
    public int handleParseException(CommandLine.ParameterException ex, String[] args) {
        CommandLine cl = ex.getCommandLine();
        PrintWriter err = cl.getErr();
        err.println("nfchainctl: " + oneLine(ex.getMessage()) + " (see '" + cl.getCommandSpec().qualifiedName()
                + " --help')");
        err.flush();
        return USAGE;
    }

    static int print(PrintWriter err, Exception ex) {
        int code;
        String message;
        switch (ex) {
            case AgentCallException a -> {
                code = exitCode(a.status.getCode());
                message = describe(a);
            }
            case UsageException u -> {
                code = USAGE;
                message = u.getMessage();
            }
            default -> {
                // Not expected: say what it was, still on one line, and how to get more.
                code = OTHER;
                message = "internal error: " + ex + " (NFCHAIN_DEBUG=1 prints the stack trace)";
                if (System.getenv("NFCHAIN_DEBUG") != null) {
                    ex.printStackTrace(err);
                }
            }
        }
        err.println("nfchainctl: " + oneLine(message));
        err.flush();
        return code;
    }

    static int exitCode(Status.Code code) {
        return switch (code) {
            case INVALID_ARGUMENT -> INVALID_ARGUMENT;
            case NOT_FOUND -> NOT_FOUND;
            case UNAVAILABLE, DEADLINE_EXCEEDED -> UNAVAILABLE;
            default -> OTHER;
        };
    }

    private static String describe(AgentCallException a) {
        Status s = a.status;
        String code = s.getCode().name();
        return switch (s.getCode()) {
            // A transport failure has a cause (refused, no route, TLS); an NF the agent could not reach does not.
            case UNAVAILABLE -> s.getCause() != null
                    ? code + ": cannot reach the agent at " + a.address + ": " + rootMessage(s)
                    : code + ": " + s.getDescription() + " (agent at " + a.address + ")";
            case DEADLINE_EXCEEDED -> code + ": the agent at " + a.address + " did not answer within " + a.deadline;
            default -> code + ": " + (s.getDescription() == null ? "(no description)" : s.getDescription());
        };
    }

    private static String rootMessage(Status s) {
        Throwable t = s.getCause();
        while (t.getCause() != null) {
            t = t.getCause();
        }
        String text = t.getMessage();
        if (text == null || text.isBlank()) {
            return s.getDescription() == null ? t.getClass().getSimpleName() : s.getDescription();
        }
        return text;
    }

    static String oneLine(String text) {
        return text == null ? "" : text.replaceAll("[\\r\\n]+\\s*", " ").trim();
    }
}
