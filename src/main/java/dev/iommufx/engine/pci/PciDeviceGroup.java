package dev.iommufx.engine.pci;

import dev.iommufx.engine.Device;
import dev.iommufx.engine.IommuGroup;
import dev.iommufx.engine.trace.Frame;
import dev.iommufx.engine.trace.Trace;
import dev.iommufx.model.Acs;
import dev.iommufx.model.BusType;
import dev.iommufx.model.PcieType;
import java.util.BitSet;
import java.util.List;
import java.util.function.Function;

/**
 * Which IOMMU group a PCI function joins: {@code drivers/iommu/iommu.c: pci_device_group()} with
 * {@code drivers/pci/pci.c: pci_acs_enabled()/pci_acs_path_enabled()} and
 * {@code drivers/pci/search.c: pci_for_each_dma_alias()} (6.1 = newest, kernel-model §6).
 * Returns an existing group, or null when the kernel would allocate a new one.
 * It reads the kernel's current {@code multifunction} flags and groups, so results depend on probe order.
 */
public final class PciDeviceGroup {
    private final Function<Device, List<Device>> busOf;
    private final Trace trace;

    /** @param busOf the present devices on the same bus as a device (its siblings and itself) */
    public PciDeviceGroup(Function<Device, List<Device>> busOf, Trace trace) {
        this.busOf = busOf;
        this.trace = trace;
    }

    /** iommu.c: pci_device_group(). */
    public IommuGroup find(Device dev) {
        Frame f = trace.enter("pci_device_group");
        // (1) the upstream DMA alias: the callback remembers the last device walked and stops at a group
        Device[] last = {dev};
        IommuGroup g = forEachDmaAlias(dev, p -> {
            last[0] = p;
            return p.group();
        });
        if (g != null) {
            trace.leaveWith(f, "group " + g.id(), "{} is a DMA alias of {}, which is in group {}", dev, last[0],
                    g.id());
            return g;
        }
        Device pdev = last[0];
        // (2) climb while the path above is not ACS-isolated
        for (Device bridge = pdev.parent(); bridge != null; bridge = bridge.parent()) {
            if (acsPathEnabled(bridge)) {
                break;
            }
            pdev = bridge;
            if (pdev.group() != null) {
                trace.leaveWith(f, "group " + pdev.group().id(), "{} is not isolated by ACS: it shares group {} of {}",
                        dev, pdev.group().id(), pdev);
                return pdev.group();
            }
        }
        BitSet visited = new BitSet(256);
        g = aliasGroup(pdev, visited);
        if (g == null) {
            g = functionAliasGroup(pdev, visited);
        }
        if (g != null) {
            trace.leaveWith(f, "group " + g.id(), "{} shares requester IDs or a non-ACS slot with a member of group {}",
                    pdev, g.id());
            return g;
        }
        trace.leaveWith(f, "new group", "{} is isolated: nothing above or beside it has a group to share", dev);
        return null;
    }

    /** search.c: pci_for_each_dma_alias() with a callback that stops at the first device with a group. */
    private IommuGroup forEachDmaAlias(Device pdev, Function<Device, IommuGroup> fn) {
        IommuGroup g = fn.apply(pdev);
        if (g != null) {
            return g;
        }
        for (Device tmp = pdev.parent(); tmp != null; tmp = tmp.parent()) {
            if (tmp.spec().quirks().xlateRoot()) {
                return null;
            }
            PcieType type = tmp.spec().pcieType();
            if (type != null && type.isPort()) {
                continue;
            }
            if (type == null || type == PcieType.PCIE_TO_PCI_BRIDGE || type == PcieType.PCI_TO_PCIE_BRIDGE) {
                g = fn.apply(tmp);
                if (g != null) {
                    return g;
                }
            }
        }
        return null;
    }

    /** iommu.c: get_pci_alias_group(). */
    private IommuGroup aliasGroup(Device pdev, BitSet visited) {
        int devfn = pdev.bdf().devfn();
        if (visited.get(devfn)) {
            return null;
        }
        visited.set(devfn);
        if (pdev.group() != null) {
            return pdev.group();
        }
        for (Device tmp : busOf.apply(pdev)) {
            if (tmp != pdev && areDmaAliases(pdev, tmp)) {
                IommuGroup g = aliasGroup(tmp, visited);
                if (g == null) {
                    g = functionAliasGroup(tmp, visited);
                }
                if (g != null) {
                    return g;
                }
            }
        }
        return null;
    }

    /** iommu.c: get_pci_function_alias_group(): non-isolated functions of the same slot. */
    private IommuGroup functionAliasGroup(Device pdev, BitSet visited) {
        if (!pdev.kernelMultifunction() || acsEnabled(pdev)) {
            return null;
        }
        for (Device tmp : busOf.apply(pdev)) {
            if (tmp == pdev || tmp.bdf().slot() != pdev.bdf().slot() || acsEnabled(tmp)) {
                continue;
            }
            IommuGroup g = aliasGroup(tmp, visited);
            if (g != null) {
                return g;
            }
        }
        return null;
    }

    /** search.c: pci_devs_are_dma_aliases(): either function's alias mask names the other. */
    private static boolean areDmaAliases(Device a, Device b) {
        return a.spec().quirks().dmaAliases().contains(b.bdf().devfn())
                || b.spec().quirks().dmaAliases().contains(a.bdf().devfn());
    }

    /** pci.c: pci_acs_path_enabled(start, NULL, REQ_ACS_FLAGS): start and every bridge above it. */
    static boolean acsPathEnabled(Device start) {
        for (Device p = start; p != null; p = p.parent()) {
            if (!acsEnabled(p)) {
                return false;
            }
        }
        return true;
    }

    /** pci.c: pci_acs_enabled(pdev, REQ_ACS_FLAGS) (6.1). */
    public static boolean acsEnabled(Device pdev) {
        Boolean quirk = pdev.spec().quirks().acsIsolated();
        if (quirk == null) {
            quirk = AcsQuirks.lookup(pdev.spec());
        }
        if (quirk != null) {
            return quirk;
        }
        PcieType type = pdev.spec().pcieType();
        if (pdev.bus() != BusType.PCI || type == null) {
            return false; // conventional PCI and PCI-X never isolate
        }
        return switch (type) {
            case PCI_TO_PCIE_BRIDGE, PCIE_TO_PCI_BRIDGE, RC_EVENT_COLLECTOR -> false;
            case DOWNSTREAM_PORT, ROOT_PORT -> acsFlagsEnabled(pdev.spec().acs());
            case ENDPOINT, UPSTREAM_PORT, LEGACY_ENDPOINT, RC_INTEGRATED_ENDPOINT ->
                    !pdev.kernelMultifunction() || acsFlagsEnabled(pdev.spec().acs());
        };
    }

    /** pci.c: pci_acs_flags_enabled(): bits the capability lacks count as hard-wired on, except EC. */
    static boolean acsFlagsEnabled(Acs acs) {
        if (acs == null) {
            return false;
        }
        int flags = Acs.REQ_ACS_FLAGS & (acs.cap() | Acs.EC);
        return (acs.ctrl() & flags) == flags;
    }
}
