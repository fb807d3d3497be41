package io.nfchain.controller.model;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.nfchain.api.v1alpha1.Classifier;
import io.nfchain.api.v1alpha1.FunctionType;
import io.nfchain.api.v1alpha1.NetworkFunction;
import io.nfchain.api.v1alpha1.NetworkFunctionSpec;
import io.nfchain.api.v1alpha1.ServiceChain;
import io.nfchain.api.v1alpha1.ServiceChainSpec;
import java.util.Map;

final class Fixtures {
    private Fixtures() {}

    static NetworkFunction nf(String name, FunctionType type, int cpu) {
        NetworkFunction nf = new NetworkFunction();
        nf.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace("ns").withGeneration(1L).build());
        NetworkFunctionSpec s = new NetworkFunctionSpec();
        s.type = type;
        s.resources = new NetworkFunctionSpec.Resources();
        s.resources.cpu = cpu;
        s.resources.memory = "256Mi";
        s.config = Map.of("log-level", "debug");
        nf.setSpec(s);
        return nf;
    }

    static ServiceChain chain(String name, String... functions) {
        ServiceChain sc = new ServiceChain();
        sc.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace("ns").withGeneration(1L).withUid("uid-1").build());
        ServiceChainSpec s = new ServiceChainSpec();
        s.classifier = new Classifier();
        s.classifier.ingressPort = "wan";
        s.egressPort = "lan";
        for (String f : functions) {
            s.hops.add(new ServiceChainSpec.Hop(f, null));
        }
        sc.setSpec(s);
        return sc;
    }
}
