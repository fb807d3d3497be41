package io.nfchain.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.grpc.Status;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ConnectException;
import org.junit.jupiter.api.Test;

class FailuresTest {
    private static final AgentAddress AGENT = new AgentAddress("node-7", 9190);

    private static String[] print(Exception e) {
        StringWriter err = new StringWriter();
        int code = Failures.print(new PrintWriter(err), e);
        return new String[] {Integer.toString(code), err.toString()};
    }

    private static Failures.AgentCallException call(Status status) {
        return new Failures.AgentCallException(AGENT, "10s", status.asRuntimeException());
    }

    @Test
    void everyStatusCodeHasAnExitCode() {
        for (Status.Code code : Status.Code.values()) {
            int expected = switch (code) {
                case INVALID_ARGUMENT -> 3;
                case NOT_FOUND -> 4;
                case UNAVAILABLE, DEADLINE_EXCEEDED -> 5;
                default -> 1;
            };
            String[] out = print(call(code.toStatus().withDescription("what\nhappened")));
            assertEquals(Integer.toString(expected), out[0], code.name());
            assertEquals(1, out[1].lines().count(), out[1]);
        }
    }

    @Test
    void messagesNameTheCodeAndTheAgentWhereItMatters() {
        assertEquals("nfchainctl: INVALID_ARGUMENT: chains[0].name: is required\n",
                print(call(Status.INVALID_ARGUMENT.withDescription("chains[0].name: is required")))[1]);
        assertEquals("nfchainctl: UNAVAILABLE: cannot reach the agent at node-7:9190: Connection refused\n",
                print(call(Status.UNAVAILABLE.withDescription("io exception")
                        .withCause(new RuntimeException(new ConnectException("Connection refused")))))[1]);
        assertEquals("nfchainctl: UNAVAILABLE: function acl-1 did not answer (agent at node-7:9190)\n",
                print(call(Status.UNAVAILABLE.withDescription("function acl-1 did not answer")))[1]);
        assertEquals("nfchainctl: DEADLINE_EXCEEDED: the agent at node-7:9190 did not answer within 10s\n",
                print(call(Status.DEADLINE_EXCEEDED))[1]);
        assertEquals("nfchainctl: INTERNAL: (no description)\n", print(call(Status.INTERNAL))[1]);
    }

    @Test
    void usageAndUnexpectedFailures() {
        assertEquals("2", print(new Failures.UsageException("-f x: no such file"))[0]);
        String[] other = print(new IllegalStateException("boom"));
        assertEquals("1", other[0]);
        assertEquals("nfchainctl: internal error: java.lang.IllegalStateException: boom "
                + "(NFCHAIN_DEBUG=1 prints the stack trace)\n", other[1]);
    }
}
