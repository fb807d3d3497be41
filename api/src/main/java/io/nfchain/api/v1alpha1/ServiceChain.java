package io.nfchain.api.v1alpha1;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * Not thread-safe (a model bean). A service chain: the packets a classifier selects on an
 * ingress port go through the hops' network functions in order, then out of the egress port.
 */
@Group(NetworkFunction.GROUP)
@Version(NetworkFunction.VERSION)
@Plural("servicechains")
@Singular("servicechain")
@ShortNames("sc")
@Categories("nfchain")
@AdditionalPrinterColumn(name = "HOPS", jsonPath = ".status.hopCount", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "NODES", jsonPath = ".status.nodeCount", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "READY", jsonPath = ".status.conditions[?(@.type==\"Ready\")].status")
@AdditionalPrinterColumn(name = "REASON", jsonPath = ".status.conditions[?(@.type==\"Ready\")].reason",
        priority = 1)
@AdditionalPrinterColumn(name = "AGE", jsonPath = ".metadata.creationTimestamp",
        type = AdditionalPrinterColumn.Type.DATE)
public class ServiceChain extends CustomResource<ServiceChainSpec, ServiceChainStatus> implements Namespaced {
    private static final long serialVersionUID = 1L;
}
