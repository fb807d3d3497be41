package io.nfchain.core.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CompositeAgentTest {
    private final List<String> calls = new ArrayList<>();

    private Agent agent(String name, int work, boolean failing) {
        return new Agent() {
            @Override
            public int doWork() {
                calls.add(name);
                if (failing) {
                    throw new IllegalStateException(name + " failed");
                }
                return work;
            }

            @Override
            public String roleName() {
                return name;
            }

            @Override
            public void onClose() {
                calls.add("close " + name);
                if (failing) {
                    throw new IllegalStateException(name + " close failed");
                }
            }
        };
    }

    @Test
    void runsEachAgentOnceInOrderAndSumsTheirWork() throws Exception {
        CompositeAgent composite =
                new CompositeAgent(List.of(agent("a", 3, false), agent("b", 0, false), agent("c", 5, false)));
        assertEquals(8, composite.doWork());
        assertEquals(8, composite.doWork());
        assertEquals(List.of("a", "b", "c", "a", "b", "c"), calls);
        assertEquals("[a,b,c]", composite.roleName());
    }

    @Test
    void aFailingAgentDoesNotStarveTheOnesAfterIt() {
        CompositeAgent composite =
                new CompositeAgent(List.of(agent("a", 1, false), agent("b", 0, true), agent("c", 1, false)));
        assertThrows(IllegalStateException.class, composite::doWork);
        assertThrows(IllegalStateException.class, composite::doWork);
        assertEquals(List.of("a", "b", "c", "a", "b"), calls, "the second cycle starts after the agent that failed");
    }

    @Test
    void closeReachesEveryAgentAndReportsTheFirstFailureWithTheOthersSuppressed() {
        CompositeAgent composite =
                new CompositeAgent(List.of(agent("a", 0, true), agent("b", 0, false), agent("c", 0, true)));
        IllegalStateException e = assertThrows(IllegalStateException.class, composite::onClose);
        assertEquals("a close failed", e.getMessage());
        assertEquals("c close failed", e.getSuppressed()[0].getMessage());
        assertEquals(List.of("close a", "close b", "close c"), calls);
    }

    @Test
    void needsAtLeastOneAgent() {
        assertThrows(IllegalArgumentException.class, () -> new CompositeAgent(List.of()));
    }
}
