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
 * Not thread-safe (a model bean). One per node, named as the Kubernetes node: the spec (written
 * by the controller) is the agent's node spec; the status (written by the agent) is what the node
 * has and does. Cluster-scoped.
 */
@Group(NetworkFunction.GROUP)
@Version(NetworkFunction.VERSION)
@Plural("datapathnodes")
@Singular("datapathnode")
@ShortNames("dpn")
@Categories("nfchain")
@AdditionalPrinterColumn(name = "READY", jsonPath = ".status.conditions[?(@.type==\"Ready\")].status")
@AdditionalPrinterColumn(name = "PORTS", jsonPath = ".status.portCount", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "CHAINS", jsonPath = ".status.chainCount", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "CPUS", jsonPath = ".status.inventory.cpus", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "ERROR", jsonPath = ".status.lastError", priority = 1)
@AdditionalPrinterColumn(name = "AGE", jsonPath = ".metadata.creationTimestamp",
        type = AdditionalPrinterColumn.Type.DATE)
public class DatapathNode extends CustomResource<DatapathNodeSpec, DatapathNodeStatus> {
    private static final long serialVersionUID = 1L;
}
