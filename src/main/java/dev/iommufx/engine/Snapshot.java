package dev.iommufx.engine;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * An immutable, comparable picture of the whole kernel state: what a failed operation must leave
 * unchanged, and what {@code replay --json} prints.
 */
public record Snapshot(Map<String, DeviceView> devices, Map<Integer, GroupView> groups, Map<String, String> handles,
                       Map<Integer, VfioView> vfio, List<String> drivers, List<String> loadedModules) {

    /**
     * A device as sysfs shows it, plus what is not visible there but matters (pending release, open fds, the
     * phase a stepped bind or unbind stopped at, the iommufd context and page table of its cdev).
     */
    public record DeviceView(boolean present, String driver, String kernelDriver, String driverOverride,
                             Integer group, boolean multifunction, int openFds, boolean releasePending, Phase phase,
                             String iommufd, String hwpt) {
    }

    /** A group: its state, the fields behind it, and what sysfs {@code type} reads. */
    public record GroupView(GroupState state, String code, int ownerCount, String owner, String domain,
                            String type, List<String> members) {
    }

    /** /dev/vfio/N: its devices, opener, container and container users. */
    public record VfioView(List<String> devices, String openedBy, String container, int containerUsers,
                           String backend) {
    }

    public static Snapshot of(Kernel k) {
        Map<String, DeviceView> devices = new LinkedHashMap<>();
        for (Device d : k.devices()) {
            devices.put(d.id(), new DeviceView(d.isPresent(), name(d.sysfsDriver()), name(d.driver()),
                    d.driverOverride(), d.group() == null ? null : d.group().id(), d.kernelMultifunction(),
                    d.openVfioHandles(), d.releasePending(), d.phase(), d.iommufdContext(),
                    d.iommufdHwpt() == null ? null : d.iommufdHwpt().label()));
        }
        Map<Integer, GroupView> groups = new TreeMap<>();
        Map<Integer, VfioView> vfio = new TreeMap<>();
        for (IommuGroup g : k.groups()) {
            groups.put(g.id(), view(g));
            if (g.vfioGroup() != null) {
                vfio.put(g.id(), view(g.vfioGroup()));
            }
        }
        Map<String, String> handles = new TreeMap<>();
        for (Handle h : k.handles().values()) {
            handles.put(h.name(), h.kind() + " " + h.target());
        }
        // the registered drivers in registration order, each with its dynamic IDs, and the loaded modules
        List<String> drivers = new ArrayList<>();
        for (Driver drv : k.drivers()) {
            drivers.add(drv.bus().sysfsName() + "/" + drv.name() + (drv.dynIds().isEmpty() ? "" : " " + drv.dynIds()));
        }
        List<String> loaded = k.modules().entrySet().stream().filter(Map.Entry::getValue).map(Map.Entry::getKey)
                .sorted().toList();
        return new Snapshot(devices, groups, handles, vfio, List.copyOf(drivers), loaded);
    }

    static GroupView view(IommuGroup g) {
        List<String> members = new ArrayList<>();
        for (Device d : g.devices()) {
            members.add(d.id());
        }
        return new GroupView(g.state(), GroupState.code(g), g.ownerCount(), g.owner(),
                g.domainLabel(), g.sysfsType(), List.copyOf(members));
    }

    private static VfioView view(VfioGroup vg) {
        List<String> devs = new ArrayList<>();
        for (Device d : vg.devices()) {
            devs.add(d.id());
        }
        VfioContainer c = vg.container();
        return new VfioView(List.copyOf(devs), vg.openedBy(), c == null ? null : c.name(), vg.containerUsers(),
                c == null ? null : c.iommuDriver());
    }

    private static String name(Driver d) {
        return d == null ? null : d.name();
    }
}
