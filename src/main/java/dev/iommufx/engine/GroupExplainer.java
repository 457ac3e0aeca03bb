package dev.iommufx.engine;

import dev.iommufx.engine.pci.AcsQuirks;
import dev.iommufx.engine.pci.PciDeviceGroup;
import dev.iommufx.model.Acs;
import dev.iommufx.model.PcieType;
import java.util.ArrayList;
import java.util.List;

/**
 * Why a PCI function is in its group, in words, following the steps of {@code pci_device_group()}
 * (kernel-model §6.4): requester-ID aliasing by bridges above it, ports on the way up that do not isolate
 * with ACS, DMA-alias quirks, and functions of the same slot that are not isolated from each other.
 */
public final class GroupExplainer {
    private final Kernel k;

    public GroupExplainer(Kernel kernel) {
        this.k = kernel;
    }

    /** The reasons, most decisive first; ends with who else is in the group. */
    public List<String> explain(Device dev) {
        List<String> why = new ArrayList<>();
        if (dev.group() == null) {
            why.add(dev.spec().groupAtDmaConfigure()
                    ? dev + " has no IOMMU group yet: its firmware (ACPI/IORT or devicetree) gives it group "
                            + dev.spec().group() + " at its first dma_configure, when a driver binds"
                    : dev + " has no IOMMU group: no IOMMU translates its DMA");
            return why;
        }
        if (dev.bdf() == null) {
            why.add(dev + " is a " + dev.bus().sysfsName() + " device: its group " + dev.group().id()
                    + " comes from the platform's IOMMU description, not from PCI");
            return why;
        }
        Device pdev = explainAliases(dev, why);
        pdev = explainClimb(pdev, why);
        explainSlot(pdev, why);
        explainQuirkAliases(pdev, why);
        if (why.isEmpty()) {
            why.add(dev + " is isolated: every port above it has ACS enabled (" + String.join(", ",
                    Acs.bitNames(Acs.REQ_ACS_FLAGS)) + "), so it has a group of its own");
        }
        why.add(membersLine(dev.group()));
        return why;
    }

    /** Step 1: bridges that take over the requester ID of everything below them. */
    private Device explainAliases(Device dev, List<String> why) {
        Device last = dev;
        for (Device tmp = dev.parent(); tmp != null; tmp = tmp.parent()) {
            PcieType t = tmp.spec().pcieType();
            if (t != null && t.isPort()) {
                continue;
            }
            String kind = t == PcieType.PCIE_TO_PCI_BRIDGE ? "PCIe-to-PCI bridge"
                    : t == PcieType.PCI_TO_PCIE_BRIDGE ? "PCI-to-PCIe bridge" : "conventional PCI bridge";
            why.add(dev + " is behind " + kind + " " + tmp + ", which takes its requester ID: the IOMMU cannot "
                    + "tell the devices below " + tmp + " apart, so they share its group");
            last = tmp;
        }
        return last;
    }

    /** Step 2: climbing while the path above is not ACS-isolated. */
    private Device explainClimb(Device pdev, List<String> why) {
        Device p = pdev;
        for (Device bridge = p.parent(); bridge != null; bridge = bridge.parent()) {
            Device blocker = firstWithoutAcs(bridge);
            if (blocker == null) {
                break;
            }
            why.add(describePort(blocker) + " does not isolate with ACS, so everything below " + bridge
                    + " shares a group with " + bridge
                    + (blocker == bridge ? "" : " (the path above it is not isolated)"));
            p = bridge;
            if (p.group() != null) {
                break;
            }
        }
        return p;
    }

    /** Step 4: non-isolated functions of one slot. */
    private void explainSlot(Device pdev, List<String> why) {
        if (!pdev.kernelMultifunction() || PciDeviceGroup.acsEnabled(pdev)) {
            if (pdev.kernelMultifunction()) {
                why.add(pdev + " is a function of a multifunction device but has ACS (or a quirk saying it is "
                        + "isolated), so it does not join its sibling functions");
            }
            return;
        }
        for (Device t : k.state().busDevices(pdev)) {
            if (t != pdev && t.bdf().slot() == pdev.bdf().slot() && !PciDeviceGroup.acsEnabled(t)
                    && t.group() == pdev.group()) {
                why.add(pdev + " is a function of a multifunction device without ACS: functions of one slot may "
                        + "talk to each other, so it shares a group with " + t);
                return;
            }
        }
    }

    /** Step 3: quirks that add DMA aliases between functions. */
    private void explainQuirkAliases(Device pdev, List<String> why) {
        for (int devfn : pdev.spec().quirks().dmaAliases()) {
            why.add(pdev + " also issues DMA as devfn " + String.format("%02x.%x", devfn >> 3, devfn & 7)
                    + " (a DMA-alias quirk), so it shares a group with that function");
        }
    }

    /** The first device on the path from {@code start} up to the root bus that does not enable ACS. */
    private static Device firstWithoutAcs(Device start) {
        for (Device p = start; p != null; p = p.parent()) {
            if (!PciDeviceGroup.acsEnabled(p)) {
                return p;
            }
        }
        return null;
    }

    private static String describePort(Device d) {
        PcieType t = d.spec().pcieType();
        String kind = t == null ? "conventional PCI device" : t.key().replace('_', ' ');
        String acs = d.spec().acs() == null ? "without an ACS capability"
                : "whose ACS control lacks " + String.join(", ", Acs.bitNames(missing(d.spec().acs())));
        if (d.spec().quirks().acsIsolated() != null || AcsQuirks.lookup(d.spec()) != null) {
            acs = "marked not isolated by a quirk";
        }
        return d + " (" + kind + " " + acs + ")";
    }

    private static int missing(Acs acs) {
        int flags = Acs.REQ_ACS_FLAGS & (acs.cap() | Acs.EC);
        return flags & ~acs.ctrl();
    }

    private static String membersLine(IommuGroup g) {
        List<String> ids = g.devices().stream().map(d -> d.id() + " (" + d.spec().label() + ")").toList();
        return "group " + g.id() + ": " + String.join(", ", ids);
    }
}
