package io.nfchain.api.v1alpha1;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The committed CRD YAML in crds/ and helm/nfchain/crds/ is what the classes generate now. With
 * {@code -Dnfchain.crds.write=true} the test writes the fresh YAML there instead of failing.
 */
class CrdYamlTest {
    @Test
    void committedYamlIsWhatTheClassesGenerate() throws IOException {
        Map<String, String> fresh = CrdYaml.generate();
        assertEquals(4, fresh.size(), "one file per kind: " + fresh.keySet());
        Path root = CrdYaml.repositoryRoot();
        boolean write = Boolean.getBoolean("nfchain.crds.write");
        StringBuilder stale = new StringBuilder();
        for (String dir : CrdYaml.DIRECTORIES) {
            Path target = root.resolve(dir);
            if (write) {
                Files.createDirectories(target);
                for (String old : CrdYaml.read(target).keySet()) {
                    if (!fresh.containsKey(old)) {
                        Files.delete(target.resolve(old));
                    }
                }
                for (Map.Entry<String, String> e : fresh.entrySet()) {
                    Files.writeString(target.resolve(e.getKey()), e.getValue());
                }
            }
            Map<String, String> committed = CrdYaml.read(target);
            for (String name : fresh.keySet()) {
                if (!committed.containsKey(name)) {
                    stale.append("\n  ").append(dir).append('/').append(name).append(" is missing");
                } else if (!committed.get(name).equals(fresh.get(name))) {
                    stale.append("\n  ").append(dir).append('/').append(name).append(" differs from the classes");
                }
            }
            for (String name : committed.keySet()) {
                if (!fresh.containsKey(name)) {
                    stale.append("\n  ").append(dir).append('/').append(name).append(" is no longer generated");
                }
            }
        }
        if (!stale.isEmpty()) {
            fail("the committed CRD YAML is stale:" + stale + "\nregenerate it with " + CrdYaml.REGENERATE);
        }
    }
}
