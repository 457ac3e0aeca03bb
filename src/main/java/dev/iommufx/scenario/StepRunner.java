package dev.iommufx.scenario;

import dev.iommufx.engine.Kernel;
import dev.iommufx.engine.OpResult;
import dev.iommufx.engine.UserActions;

/** Applies a step to a kernel: the one place the vocabulary meets the engine. */
public final class StepRunner {
    private StepRunner() {
    }

    public static OpResult apply(Kernel k, Step s) {
        return switch (s.kind()) {
            case BIND -> k.bind(s.string("device"), s.string("driver"));
            case UNBIND -> s.string("driver") == null ? k.unbind(s.string("device"))
                    : k.unbindFrom(s.string("device"), s.string("driver"));
            case DRIVER_OVERRIDE -> k.driverOverride(s.string("device"), s.string("driver"));
            case DRIVERS_PROBE -> k.driversProbe(s.string("device"));
            case REMOVE -> k.remove(s.string("device"));
            case SRIOV_NUMVFS -> k.sriovNumvfs(s.string("device"), s.longArg("count"));
            case SRIOV_DRIVERS_AUTOPROBE -> k.sriovDriversAutoprobe(s.string("device"), s.string("value"));
            case RESCAN -> k.rescan();
            case SET_GROUP_TYPE -> k.setGroupType(s.integer("group"), s.string("type"));
            case MODPROBE -> k.modprobe(s.string("module"), s.string("options"));
            case RMMOD -> k.rmmod(s.string("module"));
            case VFIO_OPEN_CONTAINER -> k.vfioOpenContainer(s.string("handle"));
            case VFIO_OPEN_GROUP -> k.vfioOpenGroup(s.integer("group"), s.string("handle"));
            case VFIO_GROUP_STATUS -> k.vfioGroupStatus(s.string("handle"));
            case VFIO_SET_CONTAINER -> k.vfioSetContainer(s.string("handle"), s.string("container"));
            case VFIO_SET_IOMMU -> k.vfioSetIommu(s.string("container"), s.string("type"));
            case VFIO_GET_DEVICE_FD -> k.vfioGetDeviceFd(s.string("handle"), s.string("device"), s.string("as"));
            case VFIO_UNSET_CONTAINER -> k.vfioUnsetContainer(s.string("handle"));
            case VFIO_DMA_MAP -> k.vfioDmaMap(s.string("container"), s.longArg("iova"), s.longArg("size"));
            case VFIO_DMA_UNMAP -> k.vfioDmaUnmap(s.string("container"), s.longArg("iova"), s.longArg("size"));
            case CLOSE -> k.close(s.string("handle"));
            case IOMMUFD_BIND -> k.iommufdBind(s.string("device"), s.string("ctx"));
            case IOMMUFD_ATTACH -> k.iommufdAttach(s.string("device"), s.string("hwpt"));
            case IOMMUFD_UNBIND -> k.iommufdUnbind(s.string("device"));
            case BIND_PHASE -> k.bindPhase(s.string("device"), s.string("driver"), s.string("phase"));
            case UNBIND_PHASE -> k.unbindPhase(s.string("device"), s.string("phase"));
            case CLAIM_DMA_OWNER -> k.claimDmaOwner(s.integer("group"), s.string("owner"));
            case RELEASE_DMA_OWNER -> k.releaseDmaOwner(s.integer("group"));
            case ATTACH_GROUP -> k.attachGroup(s.integer("group"), s.string("domain"));
            case DETACH_GROUP -> k.detachGroup(s.integer("group"), s.string("domain"));
            case ATTACH_DEVICE -> k.attachDevice(s.string("device"), s.string("domain"));
            case DETACH_DEVICE -> k.detachDevice(s.string("device"), s.string("domain"));
            case MOVE -> new UserActions(k).moveToDriver(s.string("device"), s.string("driver"));
            case ADD_VM -> new UserActions(k).addVm(s.string("vm"));
            case GIVE_GROUP_TO_VM -> new UserActions(k).giveGroupToVm(s.integer("group"), s.string("vm"));
            case TAKE_GROUP_FROM_VM -> new UserActions(k).takeGroupFromVm(s.integer("group"), s.string("vm"));
            case START_VM -> new UserActions(k).startVm(s.string("vm"));
        };
    }
}
