package io.nfchain.bench.router;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RunnerProcessTest {

    @Test
    void theRepositoryIsThreeLevelsAboveTheBenchClassesOrJar() {
        assertEquals(Path.of("/r"), RunnerProcess.rootAbove(Path.of("/r/bench/target/classes")));
        assertEquals(Path.of("/r"), RunnerProcess.rootAbove(Path.of("/r/bench/target/nfchain-bench-0.1.0-SNAPSHOT.jar")));
        assertThrows(IllegalStateException.class, () -> RunnerProcess.rootAbove(Path.of("/opt/bench.jar")));
        assertThrows(IllegalStateException.class, () -> RunnerProcess.rootAbove(Path.of("/target/classes")));
    }

    @Test
    void theseTestsFindTheRepositoryTheyAreBuiltIn() {
        Path root = RunnerProcess.repositoryRoot();
        assertTrue(root.resolve("bench/pom.xml").toFile().isFile(), root.toString());
    }

    @Test
    void aMissingRunnerJarIsAnErrorThatSaysHowToBuildIt() {
        String before = System.getProperty(RunnerProcess.JAR_PROPERTY);
        System.setProperty(RunnerProcess.JAR_PROPERTY, "/nonexistent/quarkus-run.jar");
        try {
            IllegalStateException e = assertThrows(IllegalStateException.class, RunnerProcess::findJar);
            assertTrue(e.getMessage().contains("/nonexistent/quarkus-run.jar") && e.getMessage().contains("package"),
                    e.getMessage());
        } finally {
            if (before == null) {
                System.clearProperty(RunnerProcess.JAR_PROPERTY);
            } else {
                System.setProperty(RunnerProcess.JAR_PROPERTY, before);
            }
        }
    }

    @Test
    void theRunnerIsConfiguredAsAOneArmedBusyPinnedRouter() {
        Map<String, String> p = RunnerProcess.properties(Path.of("/tmp/x.sock"), 1, 12345);
        assertEquals("router", p.get("nfchain.function.type"));
        assertEquals("/tmp/x.sock", p.get("nfchain.function.links[0].socket"));
        assertEquals("busy", p.get("nfchain.function.idle-strategy"));
        assertEquals("1", p.get("nfchain.function.cpu"));
        assertEquals("12345", p.get("quarkus.http.port"));
        assertEquals(io.nfchain.core.packet.NetBytes.macToString(FlowSet.ROUTER_MAC), p.get("nfchain.router.interfaces[0].mac"));
        assertEquals(RouteLoader.dotted(FlowSet.ROUTER_IPV4), p.get("nfchain.router.interfaces[0].ipv4"));
    }

    @Test
    void closingEndsTheProcessAndKeepsWhatItPrinted() throws Exception {
        Process p = new ProcessBuilder("sh", "-c", "echo started; exec sleep 600").redirectErrorStream(true).start();
        RunnerProcess runner = RunnerProcess.adopt(p, 0);
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!runner.log().contains("started") && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertTrue(runner.isAlive());
        runner.close();
        assertTrue(!p.isAlive() && ProcessHandle.of(p.pid()).map(h -> !h.isAlive()).orElse(true), "ended");
        assertEquals("started\n", runner.log());
    }
}
