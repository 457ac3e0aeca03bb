package dev.iommufx.ui.viewmodel;

import dev.iommufx.engine.Device;
import dev.iommufx.engine.GroupState;
import dev.iommufx.engine.Handle;
import dev.iommufx.engine.IommuGroup;
import dev.iommufx.engine.Kernel;
import dev.iommufx.engine.OpResult;
import java.util.ArrayList;
import java.util.List;

/** The selected device, group, driver or VM, field by field with the kernel's names for them, and the last operation. */
public final class InspectorViewModel {
    private final MachineViewModel machine;

    InspectorViewModel(MachineViewModel machine) {
        this.machine = machine;
    }

    /** The rows for the current selection and the last operation, read from the kernel now. */
    public List<InspectorRow> rows() {
        List<InspectorRow> rows = new ArrayList<>();
        Selection s = machine.selectionProperty().get();
        Kernel k = machine.kernel();
        if (s != null && k != null) {
            switch (s.kind()) {
                case DEVICE -> {
                    device(rows, k.device(s.id()));
                    readiness(rows, s.id());
                }
                case GROUP -> group(rows, k.group(Integer.parseInt(s.id())));
                case DRIVER -> driver(rows, s.id());
                case VM -> vm(rows, k.handles().get(s.id()));
            }
        }
        OpResult last = machine.lastResultProperty().get();
        if (last != null) {
            rows.add(new InspectorRow("Last operation", "operation", last.operation()));
            rows.add(new InspectorRow("Last operation", "result", last.resultLabel()));
            if (last.cause() != null) {
                rows.add(new InspectorRow("Last operation", "refused in",
                        last.cause().function() + ": " + last.cause().reason()));
            }
        }
        return rows;
    }

    private static void device(List<InspectorRow> rows, Device d) {
        if (d == null) {
            return;
        }
        String c = "Device " + d.id();
        rows.add(new InspectorRow(c, "name", d.spec().label()));
        rows.add(new InspectorRow(c, "bus", d.bus().sysfsName()));
        if (d.bdf() != null) {
            rows.add(new InspectorRow(c, "vendor:device", d.spec().vendorDevice()));
            rows.add(new InspectorRow(c, "class", String.format("%06x", d.spec().pciClass())));
            rows.add(new InspectorRow(c, "PCIe type",
                    d.spec().pcieType() == null ? "conventional PCI" : d.spec().pcieType().key()));
        }
        rows.add(new InspectorRow(c, "driver", d.sysfsDriver() == null ? "none" : d.sysfsDriver().name()));
        rows.add(new InspectorRow(c, "driver_override", d.driverOverride() == null ? "(none)" : d.driverOverride()));
        rows.add(new InspectorRow(c, "driver_managed_dma",
                d.driver() == null ? "-" : String.valueOf(d.driver().driverManagedDma())));
        rows.add(new InspectorRow(c, "IOMMU group", d.group() == null ? "none" : String.valueOf(d.group().id())));
        rows.add(new InspectorRow(c, "open VFIO device fds", String.valueOf(d.openVfioHandles())));
        if (d.releasePending()) {
            rows.add(new InspectorRow(c, "pending", "unbind waits until its VFIO device fd is closed"));
        }
        if (d.group() != null) {
            group(rows, d.group());
        }
    }

    /** What the machine's file tells of the device's reset, boot VGA and SR-IOV (the Readiness tab's answers). */
    private void readiness(List<InspectorRow> rows, String id) {
        String known = machine.readiness().device(id);
        if (known != null) {
            rows.add(new InspectorRow("Readiness", "from the file", known));
        }
    }

    private static void group(List<InspectorRow> rows, IommuGroup g) {
        if (g == null) {
            return;
        }
        String c = "IOMMU group " + g.id();
        rows.add(new InspectorRow(c, "state", g.state().label() + " (" + GroupState.code(g) + ")"));
        rows.add(new InspectorRow(c, "owner_cnt", ownerCount(g)));
        rows.add(new InspectorRow(c, "owner", g.owner() == null ? "none" : g.owner()));
        rows.add(new InspectorRow(c, "current domain", g.domainLabel()));
        rows.add(new InspectorRow(c, "default domain type", g.sysfsType()));
        rows.add(new InspectorRow(c, "members", String.join(", ", g.devices().stream().map(Device::id).toList())));
        rows.add(new InspectorRow(c, "/dev/vfio", g.vfioGroup() == null ? "none" : g.vfioGroup().toString()));
    }

    private void driver(List<InspectorRow> rows, String name) {
        for (DriverItem d : machine.items().driversNamed(name)) {
            String c = "Driver " + name;
            rows.add(new InspectorRow(c, "bus", d.bus()));
            rows.add(new InspectorRow(c, "driver_managed_dma", String.valueOf(d.driverManagedDma())));
            rows.add(new InspectorRow(c, "VFIO driver", String.valueOf(d.vfio())));
            rows.add(new InspectorRow(c, "bound devices",
                    d.boundDevices().isEmpty() ? "none" : String.join(", ", d.boundDevices())));
        }
    }

    private static void vm(List<InspectorRow> rows, Handle h) {
        if (h == null || h.container() == null) {
            return;
        }
        String c = "VM " + h.name();
        rows.add(new InspectorRow(c, "IOMMU backend",
                h.container().iommuDriver() == null ? "none yet" : h.container().iommuDriver()));
        rows.add(new InspectorRow(c, "groups", h.container().groups().isEmpty() ? "none"
                : String.join(", ", h.container().groups().stream()
                        .map(g -> String.valueOf(g.iommuGroup().id())).toList())));
    }

    /** owner_cnt with what it counts: kernel drivers using the DMA API, or the one user that claimed the group. */
    private static String ownerCount(IommuGroup g) {
        int n = g.ownerCount();
        if (n == 0) {
            return "0 (no kernel driver uses the DMA API; a user may claim it)";
        }
        if (g.owner() != null) {
            return n + " (the user " + g.owner() + ", which claimed the group)";
        }
        return n + " (kernel drivers using the DMA API: a claim gets EPERM)";
    }
}
