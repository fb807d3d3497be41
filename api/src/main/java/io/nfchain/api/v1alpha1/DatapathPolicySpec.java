package io.nfchain.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Which nodes, which NICs with how many VFs, hugepages and poll cores. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class DatapathPolicySpec {
    /** Node labels; absent or empty: every node. */
    @Size(max = 32)
    public Map<String, String> nodeSelector;
    @Size(max = 16)
    public List<Nic> nics = new ArrayList<>();
    public Hugepages hugepages;
    /** The CPUs the agent's poll loops run on, {@code 2-3}. */
    @Pattern(Patterns.CPU_LIST)
    @Size(max = 256)
    public String pollCores;
    /** CPUs kept from NFs (system daemons, the kubelet), {@code 0}. */
    @Pattern(Patterns.CPU_LIST)
    @Size(max = 256)
    public String reservedCores;

    public DatapathPolicySpec() {}

    /** A NIC by name or PCI address and its virtual functions. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @ValidationRule(value = "has(self.name) != has(self.pciAddress)",
            message = "give a NIC by name or by pciAddress, exactly one of them")
    public static class Nic {
        @Pattern(Patterns.INTERFACE)
        public String name;
        @Pattern(Patterns.PCI_ADDRESS)
        public String pciAddress;
        @Min(0)
        @Max(256)
        public Integer numVfs;
        /** The driver the VFs are bound to. */
        @Default("vfio-pci")
        public NicDriver driver;

        public Nic() {}
    }

    /** Hugepages to reserve, in pages per size. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class Hugepages {
        /** 2 MiB pages. */
        @Min(0)
        @Max(1048576)
        public Integer size2Mi;
        /** 1 GiB pages. */
        @Min(0)
        @Max(4096)
        public Integer size1Gi;

        public Hugepages() {}
    }

    /** The driver a VF is bound to. */
    public enum NicDriver {
        /** For userspace (DPDK-style) drivers. */
        @JsonProperty("vfio-pci")
        VFIO_PCI,
        /** The NIC's own kernel driver. */
        @JsonProperty("kernel")
        KERNEL
    }
}
