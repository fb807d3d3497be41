package io.nfchain.api.v1alpha1;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * Not thread-safe (a model bean). How the nodes a selector picks are prepared for the datapath:
 * NICs and VFs, hugepages, poll cores. Cluster-scoped.
 */
@Group(NetworkFunction.GROUP)
@Version(NetworkFunction.VERSION)
@Plural("datapathpolicies")
@Singular("datapathpolicy")
@ShortNames("dpp")
@Categories("nfchain")
@AdditionalPrinterColumn(name = "NODES", jsonPath = ".status.matchedNodes", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "READY", jsonPath = ".status.conditions[?(@.type==\"Ready\")].status")
@AdditionalPrinterColumn(name = "AGE", jsonPath = ".metadata.creationTimestamp",
        type = AdditionalPrinterColumn.Type.DATE)
public class DatapathPolicy extends CustomResource<DatapathPolicySpec, DatapathPolicyStatus> {
    private static final long serialVersionUID = 1L;
}
