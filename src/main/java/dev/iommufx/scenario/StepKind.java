package dev.iommufx.scenario;

import java.util.List;

/**
 * The scenario vocabulary: each step's name, its arguments and their types. Names follow the
 * sysfs files, VFIO ioctls and kernel functions they stand for.
 */
public enum StepKind {
    BIND("bind", arg("device"), arg("driver")),
    UNBIND("unbind", arg("device"), optional("driver")),
    DRIVER_OVERRIDE("driver_override", arg("device"), nullable("driver")),
    DRIVERS_PROBE("drivers_probe", arg("device")),
    REMOVE("remove", arg("device")),
    // SR-IOV: the physical function's sysfs files
    SRIOV_NUMVFS("sriov_numvfs", arg("device"), integer("count")),
    SRIOV_DRIVERS_AUTOPROBE("sriov_drivers_autoprobe", arg("device"), arg("value")),
    RESCAN("rescan"),
    SET_GROUP_TYPE("set_group_type", integer("group"), arg("type")),
    // driver modules (kmod's modprobe and rmmod)
    MODPROBE("modprobe", arg("module"), optional("options")),
    RMMOD("rmmod", arg("module")),
    VFIO_OPEN_CONTAINER("vfio_open_container", arg("handle")),
    VFIO_OPEN_GROUP("vfio_open_group", integer("group"), arg("handle")),
    VFIO_GROUP_STATUS("vfio_group_status", arg("handle")),
    VFIO_SET_CONTAINER("vfio_set_container", arg("handle"), arg("container")),
    VFIO_SET_IOMMU("vfio_set_iommu", arg("container"), arg("type")),
    VFIO_GET_DEVICE_FD("vfio_get_device_fd", arg("handle"), arg("device"), arg("as")),
    VFIO_UNSET_CONTAINER("vfio_unset_container", arg("handle")),
    VFIO_DMA_MAP("vfio_dma_map", arg("container"), integer("iova"), integer("size")),
    VFIO_DMA_UNMAP("vfio_dma_unmap", arg("container"), integer("iova"), integer("size")),
    CLOSE("close", arg("handle")),
    // newest: VFIO device cdevs bound to iommufd (per-device claims)
    IOMMUFD_BIND("iommufd_bind", arg("device"), arg("ctx")),
    IOMMUFD_ATTACH("iommufd_attach", arg("device"), arg("hwpt")),
    IOMMUFD_UNBIND("iommufd_unbind", arg("device")),
    // a bind or unbind one kernel phase at a time, to interleave two devices (races)
    BIND_PHASE("bind_phase", arg("device"), optional("driver"), arg("phase")),
    UNBIND_PHASE("unbind_phase", arg("device"), arg("phase")),
    CLAIM_DMA_OWNER("iommu_group_claim_dma_owner", integer("group"), arg("owner")),
    RELEASE_DMA_OWNER("iommu_group_release_dma_owner", integer("group")),
    ATTACH_GROUP("iommu_attach_group", integer("group"), arg("domain")),
    DETACH_GROUP("iommu_detach_group", integer("group"), arg("domain")),
    ATTACH_DEVICE("iommu_attach_device", arg("device"), arg("domain")),
    DETACH_DEVICE("iommu_detach_device", arg("device"), arg("domain")),
    // what a user does in the window, each in several kernel calls, unwound as a whole when refused
    MOVE("move", arg("device"), arg("driver")),
    ADD_VM("add_vm", arg("vm")),
    GIVE_GROUP_TO_VM("give_group_to_vm", integer("group"), arg("vm")),
    TAKE_GROUP_FROM_VM("take_group_from_vm", integer("group"), arg("vm")),
    START_VM("start_vm", arg("vm"));

    /** How an argument is written: a string, an integer, a string that may be null, or one that may be absent. */
    public enum ArgType { STRING, INTEGER, NULLABLE_STRING, OPTIONAL_STRING }

    /** One argument of a step. */
    public record Arg(String name, ArgType type) {
        public boolean required() {
            return type != ArgType.OPTIONAL_STRING;
        }
    }

    private final String key;
    private final List<Arg> args;

    StepKind(String key, Arg... args) {
        this.key = key;
        this.args = List.of(args);
    }

    /** The name used in scenario files ({@code "do": "bind"}). */
    public String key() {
        return key;
    }

    public List<Arg> args() {
        return args;
    }

    public static StepKind fromKey(String key) {
        for (StepKind k : values()) {
            if (k.key.equals(key)) {
                return k;
            }
        }
        return null;
    }

    /** All step names, for error messages. */
    public static List<String> keys() {
        return java.util.Arrays.stream(values()).map(StepKind::key).toList();
    }

    private static Arg arg(String name) {
        return new Arg(name, ArgType.STRING);
    }

    private static Arg integer(String name) {
        return new Arg(name, ArgType.INTEGER);
    }

    private static Arg nullable(String name) {
        return new Arg(name, ArgType.NULLABLE_STRING);
    }

    private static Arg optional(String name) {
        return new Arg(name, ArgType.OPTIONAL_STRING);
    }
}
