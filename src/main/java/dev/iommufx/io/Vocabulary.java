package dev.iommufx.io;

import dev.iommufx.engine.Errno;
import dev.iommufx.engine.GroupState;
import dev.iommufx.model.BusType;
import dev.iommufx.model.DomainType;
import dev.iommufx.model.PcieType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** The names the two file formats accept for enumerated settings (docs/formats.md), shared by readers and writers. */
final class Vocabulary {
    static final Choice<BusType> BUS = Choice.ofPairs("bus",
            Arrays.stream(BusType.values()).map(BusType::sysfsName).toList(), List.of(BusType.values()));

    static final Choice<PcieType> PCIE_TYPE = Choice.ofPairs("PCIe type",
            Arrays.stream(PcieType.values()).map(PcieType::key).toList(), List.of(PcieType.values()));

    /** The kernel's global default (iommu_def_domain_type). */
    static final Choice<DomainType> DEFAULT_DOMAIN_TYPE = Choice.ofPairs("default domain type",
            List.of("DMA", "DMA-FQ", "identity"), List.of(DomainType.DMA, DomainType.DMA_FQ, DomainType.IDENTITY));

    /** What an IOMMU driver without default domains leaves a detached group on (Topology.iommuDetach()). */
    static final Choice<DomainType> IOMMU_DETACH = Choice.ofPairs("IOMMU driver detach",
            List.of("platform", "identity"), List.of(DomainType.PLATFORM, DomainType.IDENTITY));

    /** A group's default domain; "none" (null) for IOMMU drivers without default domains. */
    static final Choice<DomainType> GROUP_DEFAULT_DOMAIN = Choice.ofPairs("default domain type",
            List.of("DMA", "DMA-FQ", "identity", "none"),
            Arrays.asList(DomainType.DMA, DomainType.DMA_FQ, DomainType.IDENTITY, null));

    /** What the IOMMU driver may demand for one device (def_domain_type). */
    static final Choice<DomainType> REQUIRED_DOMAIN = Choice.ofPairs("required domain type",
            List.of("DMA", "identity"), List.of(DomainType.DMA, DomainType.IDENTITY));

    static final Choice<String> ERRNO = Choice.ofNames("errno name", errnoNames());

    /** The kernel phases a stepped bind or unbind runs (kernel-model §2.2, §2.3). */
    static final Choice<String> BIND_PHASE = Choice.ofNames("bind phase", dev.iommufx.engine.Phase.BIND_PHASES);
    static final Choice<String> UNBIND_PHASE = Choice.ofNames("unbind phase", dev.iommufx.engine.Phase.UNBIND_PHASES);

    /** A step's expected result: "ok", "pending" (the kernel blocks) or an errno name. */
    static final Choice<String> RESULT = Choice.ofNames("result", results());

    static final Choice<GroupState> GROUP_STATE = Choice.ofPairs("group state",
            Arrays.stream(GroupState.values()).map(GroupState::name).toList(), List.of(GroupState.values()));

    /** VFIO_GROUP_GET_STATUS flags. */
    static final Choice<String> VFIO_FLAG = Choice.ofNames("VFIO group flag", List.of("VIABLE", "CONTAINER_SET"));

    /** VFIO_SET_IOMMU types the scenario format names. */
    static final Choice<String> VFIO_IOMMU_TYPE = Choice.ofNames("VFIO IOMMU type", List.of("type1", "type1v2"));

    private Vocabulary() {
    }

    private static List<String> errnoNames() {
        return Arrays.stream(Errno.values()).filter(e -> e != Errno.OK).map(Errno::name).toList();
    }

    private static List<String> results() {
        List<String> names = new ArrayList<>(List.of("ok", "pending"));
        names.addAll(errnoNames());
        return names;
    }
}
