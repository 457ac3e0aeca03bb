package dev.iommufx.plan;

import dev.iommufx.engine.Device;
import dev.iommufx.engine.Driver;
import dev.iommufx.engine.Errno;
import dev.iommufx.engine.IommuGroup;
import dev.iommufx.engine.Kernel;
import dev.iommufx.model.Bdf;
import dev.iommufx.model.BusType;
import dev.iommufx.model.DeviceSpec;
import dev.iommufx.model.DriverSpec;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * "Give this device to a VM": works out, on the simulated machine as it is now, everything that must happen
 * for VFIO to take the devices' IOMMU groups (kernel-model §2, §4): the devices asked for move to the VFIO
 * driver; every other member bound to a DMA-API driver must leave it (a group is viable only when no member
 * uses the DMA API) and goes to the VM too; members without a driver or on a {@code driver_managed_dma} driver
 * need nothing. It predicts the refusals the kernel will answer and warns of what the host will miss.
 * Nothing is changed: {@link Plan#applyTo} runs a plan.
 */
public final class PassthroughPlanner {
    /** The VFIO driver of each bus, by its usual name. */
    private static final Map<BusType, String> VFIO_DRIVERS = Map.of(BusType.PCI, "vfio-pci",
            BusType.PLATFORM, "vfio-platform", BusType.AMBA, "vfio-amba", BusType.FSL_MC, "vfio-fsl-mc");

    private PassthroughPlanner() {
    }

    /** Plans for a new VM named "VM1" (or the first "VMn" the kernel has no handle of yet). */
    public static Plan plan(Kernel k, List<String> devicesToAssign) {
        return plan(k, devicesToAssign, freeVmName(k));
    }

    /** Plans giving the devices' groups to the VM {@code vm}. Devices may be named by full or short address. */
    public static Plan plan(Kernel k, List<String> devicesToAssign, String vm) {
        Set<String> requested = new LinkedHashSet<>();
        for (String id : devicesToAssign) {
            requested.add(canonicalId(k, id));
        }
        List<Refusal> refusals = new ArrayList<>();
        Set<String> modules = new LinkedHashSet<>();
        Map<Integer, IommuGroup> touched = new TreeMap<>();
        boolean iommuOff = !k.topology().iommuEnabled();
        for (String id : requested) {
            Device d = k.device(id);
            if (d != null && d.isPresent() && iommuOff && d.group() == null) {
                refusals.add(new Refusal(id, Errno.EINVAL, "the IOMMU is off on this machine: the kernel made no"
                        + " IOMMU group, and vfio-pci cannot bind a device without one (its probe fails with EINVAL)."
                        + turnOn(k) + ", then list the groups again (iommufx doctor tells more)"));
            } else if (d == null || !d.isPresent()) {
                refusals.add(new Refusal(id, Errno.ENODEV, "there is no device " + id + " on this machine"));
            } else if (vfioDriverName(k, d.bus()) == null) {
                refusals.add(new Refusal(id, Errno.ENODEV, "this machine has no VFIO driver for the "
                        + d.bus().sysfsName() + " bus, not even as a module (" + VFIO_DRIVERS.get(d.bus()) + ")"));
            } else if (d.group() == null) {
                refusals.add(new Refusal(id, Errno.EINVAL, id + " has no IOMMU group: VFIO needs one"
                        + " (is the IOMMU enabled, and is the device behind it?)"));
            } else {
                touched.put(d.group().id(), d.group());
            }
        }
        List<GroupPlan> groups = new ArrayList<>();
        for (IommuGroup g : touched.values()) {
            groups.add(planGroup(k, g, requested, vm, refusals));
            g.devices().stream().filter(Device::isPresent).map(d -> moduleToLoad(k, d.bus())).filter(
                    java.util.Objects::nonNull).forEach(modules::add);
        }
        List<PlanWarning> warnings = warnings(k, groups);
        return new Plan(vm, List.copyOf(requested), groups, refusals, warnings, List.copyOf(modules));
    }

    private static GroupPlan planGroup(Kernel k, IommuGroup g, Set<String> requested, String vm,
                                       List<Refusal> refusals) {
        List<String> askedHere = g.devices().stream().map(Device::id).filter(requested::contains).toList();
        String asked = String.join(", ", askedHere);
        if (g.owner() != null) {
            for (String id : askedHere) {
                refusals.add(new Refusal(id, Errno.EBUSY, "group " + g.id() + " is already claimed by " + g.owner()
                        + ": take it back from its VM first"));
            }
        } else if (g.vfioGroup() != null && g.vfioGroup().openedBy() != null) {
            for (String id : askedHere) {
                refusals.add(new Refusal(id, Errno.EBUSY, "/dev/vfio/" + g.id() + " is already open as "
                        + g.vfioGroup().openedBy() + ": VFIO allows one opener"));
            }
        }
        List<MemberPlan> members = new ArrayList<>();
        for (Device d : g.devices()) {
            if (!d.isPresent()) {
                continue;
            }
            members.add(requested.contains(d.id()) ? askedMember(k, d, refusals)
                    : sibling(k, d, g, askedHere, vm));
        }
        return new GroupPlan(g.id(), g.state(), members);
    }

    /** How to turn the IOMMU on: remove the command line's option that turns it off, else the firmware. */
    private static String turnOn(Kernel k) {
        String cmdline = k.topology().facts().cmdline();
        String off = cmdline == null ? null : dev.iommufx.model.boot.KernelCommandLine.parse(cmdline).iommuTurnedOffBy();
        return off != null ? " Remove " + off + " from the kernel command line"
                : " Turn on VT-d or AMD-Vi in the firmware (and intel_iommu=on on Intel)";
    }

    private static MemberPlan askedMember(Kernel k, Device d, List<Refusal> refusals) {
        Driver now = d.sysfsDriver();
        String vfio = vfioDriverName(k, d.bus());
        long vfs = d.virtfns().stream().filter(Device::isPresent).count();
        if (d.spec().hasBridgeHeader()) {
            String why = d.id() + " is a bridge: VFIO takes only normal (type 0) headers";
            refusals.add(new Refusal(d.id(), Errno.EINVAL, why));
            return member(d, now, MemberAction.REFUSED, vfio, true, why + " (EINVAL)");
        }
        if (vfs > 0) {
            String why = d.id() + " is an SR-IOV physical function with " + vfs + " virtual function"
                    + (vfs == 1 ? "" : "s") + " enabled: VFIO refuses it; disable them first (sriov_numvfs = 0)"
                    + " or give a virtual function instead";
            refusals.add(new Refusal(d.id(), Errno.EBUSY, why));
            return member(d, now, MemberAction.REFUSED, vfio, true, why + " (EBUSY)");
        }
        if (now != null && now.name().equals(vfio)) {
            return member(d, now, MemberAction.ALREADY_ASSIGNED, vfio, true, "already bound to " + vfio);
        }
        if (now != null && DriverSpec.isUnknown(now.name())) {
            return member(d, now, MemberAction.ASSIGN, vfio, true, "asked for; the source does not say which"
                    + " driver " + d.id() + " uses now (the script reads it on the machine)");
        }
        return member(d, now, MemberAction.ASSIGN, vfio, true, "asked for");
    }

    private static MemberPlan sibling(Kernel k, Device d, IommuGroup g, List<String> askedHere, String vm) {
        String asked = String.join(", ", askedHere);
        Driver now = d.sysfsDriver();
        if (now == null) {
            String what = d.spec().hasBridgeHeader() ? "a bridge without a driver" : "no driver";
            return member(d, null, MemberAction.NOTHING, null, false,
                    what + ", so nothing uses its DMA; it does not stop VFIO from taking group " + g.id());
        }
        if (now.driverManagedDma()) {
            String why = now.spec().vfio() ? "already bound to " + now.name() + ", a VFIO driver"
                    : "bound to " + now.name() + ", which manages its own DMA (driver_managed_dma)";
            return member(d, now, MemberAction.NOTHING, null, false,
                    why + "; it does not stop VFIO from taking group " + g.id());
        }
        String shares = "it shares group " + g.id() + " with " + asked + ", and VFIO takes a group only when no member"
                + " is bound to a DMA-API driver";
        if (DriverSpec.isUnknown(now.name())) {
            return unknownSibling(k, d, g, askedHere, now, shares, vm);
        }
        long vfs = d.virtfns().stream().filter(Device::isPresent).count();
        if (d.spec().hasBridgeHeader() || vfs > 0) {
            String refusal = d.spec().hasBridgeHeader() ? "VFIO does not take bridges"
                    : "VFIO does not take a physical function with virtual functions enabled";
            return member(d, now, MemberAction.UNBIND, null, false,
                    shares + "; " + refusal + ", so it is only unbound and stays without a driver");
        }
        String vfio = vfioDriverName(k, d.bus());
        return member(d, now, MemberAction.MUST_LEAVE, vfio, false, shares + "; it goes to " + vm + " with the group");
    }

    /**
     * A group mate whose driver the source does not state. An endpoint is taken to be bound to a DMA-API driver,
     * which must leave. A bridge is bound to pcieport (which manages its own DMA) or to nothing, both harmless;
     * it is planned as unbound, which the script skips for pcieport.
     */
    private static MemberPlan unknownSibling(Kernel k, Device d, IommuGroup g, List<String> askedHere, Driver now,
                                             String shares, String vm) {
        String unknown = "the source does not say which driver " + d.id() + " uses";
        if (d.spec().hasBridgeHeader() || d.spec().pciClass() >> 8 == 0x0604) {
            return member(d, now, MemberAction.UNBIND, null, false, unknown + "; a bridge is bound to pcieport, which"
                    + " manages its own DMA and is left alone, or to no driver; any other driver is unbound");
        }
        String bridge = d.spec().pciClass() != 0 || !aboveAsked(d, g, askedHere) ? ""
                : "; nor what it is: if it is a bridge (such as the root port above the device), it stays as it is,"
                + " since VFIO takes no bridge and pcieport manages its own DMA (the script reads its class first)";
        return member(d, now, MemberAction.MUST_LEAVE, vfioDriverName(k, d.bus()), false, unknown + bridge
                + "; if it is bound, " + shares + "; it goes to " + vm + " with the group");
    }

    /** Whether a device asked for sits on a higher bus than this one, which could then be the bridge above it. */
    private static boolean aboveAsked(Device d, IommuGroup g, List<String> askedHere) {
        return d.bdf() != null && g.devices().stream().filter(o -> askedHere.contains(o.id())).anyMatch(o ->
                o.bdf() != null && o.bdf().domain() == d.bdf().domain() && o.bdf().bus() > d.bdf().bus());
    }

    private static MemberPlan member(Device d, Driver now, MemberAction action, String target, boolean requested,
                                     String reason) {
        DeviceSpec s = d.spec();
        return new MemberPlan(d.id(), d.bus(), s.name(), s.vendor(), s.device(), s.pciClass(),
                now == null ? null : now.name(), action, target, requested, reason);
    }

    // --- warnings ------------------------------------------------------------------------------

    private static List<PlanWarning> warnings(Kernel k, List<GroupPlan> groups) {
        Set<String> leaving = new LinkedHashSet<>();
        for (GroupPlan g : groups) {
            g.members().forEach(m -> leaving.add(m.device()));
        }
        List<PlanWarning> out = new ArrayList<>();
        for (GroupPlan g : groups) {
            for (MemberPlan m : g.members()) {
                if (m.bus() != BusType.PCI) {
                    continue;
                }
                Device d = k.device(m.device());
                int cls = m.pciClass();
                int base = cls >> 16;
                int sub = cls >> 8;
                String who = m.device() + " (" + m.label() + ")";
                if (sub == 0x0c03) {
                    out.add(new PlanWarning(PlanWarning.Kind.USB, g.group(), m.device(),
                            who + " is a USB controller: your keyboard and mouse may be on it"));
                }
                if (base == 0x01) {
                    out.add(new PlanWarning(PlanWarning.Kind.STORAGE, g.group(), m.device(),
                            who + " is a storage controller: your root disk may be on it"));
                }
                if (base == 0x03 && !otherDisplayDriven(k, leaving)) {
                    out.add(new PlanWarning(PlanWarning.Kind.ONLY_DISPLAY, g.group(), m.device(),
                            who + " is the only display controller the host drives: the host will have no display"));
                }
                if (base == 0x02 && (d == null || !d.spec().isVirtfn())) {
                    out.add(new PlanWarning(PlanWarning.Kind.NETWORK, g.group(), m.device(),
                            who + " is a network controller: the host may lose its network"));
                }
                if (sub == 0x0600 || sub == 0x0601 || sub == 0x0c05) {
                    String part = sub == 0x0600 ? "the host bridge" : sub == 0x0601 ? "the ISA/LPC bridge"
                            : "the SMBus controller";
                    out.add(new PlanWarning(PlanWarning.Kind.CHIPSET, g.group(), m.device(),
                            who + " is a chipset function (" + part + "): the host may become unstable without it"));
                }
            }
        }
        return out;
    }

    /** Is a display controller that stays with the host bound to a kernel (DMA-API) driver? */
    private static boolean otherDisplayDriven(Kernel k, Set<String> leaving) {
        for (Device d : k.devices()) {
            Driver drv = d.sysfsDriver();
            if (d.isPresent() && !leaving.contains(d.id()) && d.bus() == BusType.PCI
                    && d.spec().pciClass() >> 16 == 0x03 && drv != null && !drv.driverManagedDma()) {
                return true;
            }
        }
        return false;
    }

    // --- helpers -------------------------------------------------------------------------------

    /**
     * The VFIO driver registered on a bus: the one with the usual name (vfio-pci, vfio-platform, ...) if the
     * topology declares it, else the first VFIO driver on that bus; null if there is none.
     */
    public static Driver vfioDriver(Kernel k, BusType bus) {
        Driver usual = k.driver(bus, VFIO_DRIVERS.get(bus));
        if (usual != null && usual.spec().vfio()) {
            return usual;
        }
        return k.drivers().stream().filter(d -> d.bus() == bus && d.spec().vfio()).findFirst().orElse(null);
    }

    /**
     * The name of the VFIO driver a device on this bus goes to: the registered one, or else one whose module the
     * machine has but has not loaded; null if there is none at all.
     */
    static String vfioDriverName(Kernel k, BusType bus) {
        Driver registered = vfioDriver(k, bus);
        if (registered != null) {
            return registered.name();
        }
        DriverSpec unloaded = unloadedVfioDriver(k, bus);
        return unloaded == null ? null : unloaded.name();
    }

    /** The module to load before a device on this bus can go to VFIO, or null when none is needed (or none exists). */
    private static String moduleToLoad(Kernel k, BusType bus) {
        if (vfioDriver(k, bus) != null) {
            return null;
        }
        DriverSpec unloaded = unloadedVfioDriver(k, bus);
        return unloaded == null ? null : unloaded.module();
    }

    /** A VFIO driver of the machine whose module is not loaded (the usual name first). */
    private static DriverSpec unloadedVfioDriver(Kernel k, BusType bus) {
        DriverSpec found = null;
        for (DriverSpec s : k.topology().drivers()) {
            if (s.bus() == bus && s.vfio() && !Boolean.TRUE.equals(k.modules().get(s.module()))) {
                if (s.name().equals(VFIO_DRIVERS.get(bus))) {
                    return s;
                }
                found = found == null ? s : found;
            }
        }
        return found;
    }

    /** "VM1", or the first "VMn" that is not yet a handle of the kernel. */
    public static String freeVmName(Kernel k) {
        int n = 1;
        while (k.handles().containsKey("VM" + n)) {
            n++;
        }
        return "VM" + n;
    }

    /** A short PCI address ("01:00.0") names the same device as the full one. */
    private static String canonicalId(Kernel k, String id) {
        if (k.device(id) != null) {
            return id;
        }
        Bdf bdf = Bdf.parseOrNull(id);
        return bdf != null && k.device(bdf.toString()) != null ? bdf.toString() : id;
    }
}
