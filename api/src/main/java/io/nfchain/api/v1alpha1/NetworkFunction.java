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
 * Not thread-safe (a model bean). A network function: a built-in type or an image, its
 * resources (Guaranteed QoS, whole cores), placement and update strategy. The controller runs one
 * instance per hop that uses it, per node the chain is placed on.
 */
@Group(NetworkFunction.GROUP)
@Version(NetworkFunction.VERSION)
@Plural("networkfunctions")
@Singular("networkfunction")
@ShortNames("nf")
@Categories("nfchain")
@AdditionalPrinterColumn(name = "TYPE", jsonPath = ".spec.type")
@AdditionalPrinterColumn(name = "IMAGE", jsonPath = ".spec.image", priority = 1)
@AdditionalPrinterColumn(name = "DESIRED", jsonPath = ".status.desiredInstances",
        type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "READY", jsonPath = ".status.readyInstances",
        type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "AGE", jsonPath = ".metadata.creationTimestamp",
        type = AdditionalPrinterColumn.Type.DATE)
public class NetworkFunction extends CustomResource<NetworkFunctionSpec, NetworkFunctionStatus> implements Namespaced {
    public static final String GROUP = "nfchain.io";
    public static final String VERSION = "v1alpha1";
    private static final long serialVersionUID = 1L;
}
