package dev.iommufx.engine.pci;

import static dev.iommufx.engine.Errno.EBUSY;
import static dev.iommufx.engine.Errno.EINVAL;
import static dev.iommufx.engine.Errno.ENOENT;
import static dev.iommufx.engine.Errno.ERANGE;

import dev.iommufx.engine.Device;
import dev.iommufx.engine.Driver;
import dev.iommufx.engine.KernelState;
import dev.iommufx.engine.StateWriter;
import dev.iommufx.engine.trace.Frame;
import dev.iommufx.engine.trace.Trace;
import dev.iommufx.model.BusType;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * SR-IOV, Linux 6.1 {@code drivers/pci/iov.c} (kernel-model §6.5): the PF's {@code sriov_numvfs} and
 * {@code sriov_drivers_autoprobe} files; enabling adds each VF as a hot-added device is added (grouped, then
 * offered to the drivers), disabling removes them from the last to the first as a PCI remove does.
 */
public final class PciIov {
    private final KernelState state;
    private final StateWriter w;
    private final Trace trace;
    private final PciCore pci;
    /** Whether a loaded module was given an option (vfio-pci's {@code enable_sriov}). */
    private final Predicate<String> vfioPciEnableSriov;

    public PciIov(KernelState state, StateWriter w, Trace trace, PciCore pci, Predicate<String> vfioPciEnableSriov) {
        this.state = state;
        this.w = w;
        this.trace = trace;
        this.pci = pci;
        this.vfioPciEnableSriov = vfioPciEnableSriov;
    }

    /** iov.c: sriov_numvfs_store() (6.1), with its checks in the kernel's order. */
    public int sriovNumvfsStore(String devName, long numVfs) {
        Frame f = trace.enter("sriov_numvfs_store");
        Device pf = state.presentDevice(devName);
        if (pf == null || pf.bus() != BusType.PCI || pf.spec().sriov() == null) {
            return trace.leave(f, -ENOENT.code(), "{} has no SR-IOV capability: its sriov_numvfs file does not exist",
                    devName);
        }
        if (numVfs < 0 || numVfs > 0xffff) {
            return trace.leave(f, -EINVAL.code(), "kstrtou16(): {} is not a number from 0 to 65535", numVfs);
        }
        int total = pf.spec().sriov().totalVfs();
        if (numVfs > total) {
            return trace.leave(f, -ERANGE.code(), "{} VFs asked for; the PF has {} (sriov_totalvfs)", numVfs, total);
        }
        if (pf.releasePending() || pf.phase() != null) {
            return trace.leave(f, -EBUSY.code(), "{} is in the middle of an unbind or remove (the real kernel would "
                    + "block on its device lock)", pf);
        }
        if (numVfs == pf.numVfs()) {
            return trace.leave(f, 0, "{} VFs are enabled already: nothing to do", numVfs);
        }
        Driver drv = pf.driver();
        if (drv == null) {
            trace.log("pci " + pf + ": no driver bound to device; cannot configure SR-IOV");
            return trace.leave(f, -ENOENT.code(), "no driver bound to {}: nobody to enable its VFs", pf);
        }
        if (!hasSriovConfigure(drv)) {
            trace.log("pci " + pf + ": driver does not support SR-IOV configuration via sysfs");
            return trace.leave(f, -ENOENT.code(), "{} has no sriov_configure callback", drv);
        }
        if (numVfs == 0) {
            int ret = sriovConfigure(pf, drv, 0);
            return trace.leave(f, ret, trace.pendingOn() != null ? "disabling waits until {} is closed"
                    : "the VFs of {} are disabled", trace.pendingOn() != null ? trace.pendingOn() : pf);
        }
        if (pf.numVfs() > 0) {
            trace.log("pci " + pf + ": " + pf.numVfs() + " VFs already enabled. Disable before enabling " + numVfs
                    + " VFs");
            return trace.leave(f, -EBUSY.code(), "{} VFs already enabled: disable them (write 0) first",
                    pf.numVfs());
        }
        int ret = sriovConfigure(pf, drv, (int) numVfs);
        return trace.leave(f, ret, ret == 0 ? "{} VFs of {} enabled" : "{} refused", numVfs, pf);
    }

    /** iov.c: sriov_drivers_autoprobe_store() (6.1): a boolean; it changes only later probes of the VFs. */
    public int sriovDriversAutoprobeStore(String devName, String value) {
        Frame f = trace.enter("sriov_drivers_autoprobe_store");
        Device pf = state.presentDevice(devName);
        if (pf == null || pf.bus() != BusType.PCI || pf.spec().sriov() == null) {
            return trace.leave(f, -ENOENT.code(), "{} has no SR-IOV capability: no sriov_drivers_autoprobe file",
                    devName);
        }
        Boolean on = kstrtobool(value);
        if (on == null) {
            return trace.leave(f, -EINVAL.code(), "kstrtobool(): \"{}\" is not a boolean (1/0, y/n, on/off)", value);
        }
        w.vfAutoprobe(pf, on);
        return trace.leave(f, 0, on ? "new VFs of {} are probed by drivers" : "new VFs of {} get no driver unless "
                + "their driver_override names one", pf);
    }

    /** The drivers that have an {@code sriov_configure} callback (kernel-model §6.5). */
    private boolean hasSriovConfigure(Driver drv) {
        String name = drv.name();
        return !name.equals("pci-stub") && !name.equals("pcieport");
    }

    /** The PF driver's sriov_configure(): pci_enable_sriov() or pci_disable_sriov(); vfio-pci's needs enable_sriov. */
    private int sriovConfigure(Device pf, Driver drv, int numVfs) {
        Frame f = trace.enter(drv.name() + " sriov_configure");
        if (drv.spec().vfio() && !vfioPciEnableSriov.test(drv.module())) {
            return trace.leave(f, -ENOENT.code(), "vfio_pci_sriov_configure(): {} was loaded without enable_sriov",
                    drv.module());
        }
        if (numVfs == 0) {
            sriovDisable(pf);
            return trace.leave(f, 0, "pci_disable_sriov()");
        }
        sriovEnable(pf, drv, numVfs);
        return trace.leave(f, 0, "pci_enable_sriov(): {} VFs", numVfs);
    }

    /** iov.c: sriov_enable() → sriov_add_vfs() (6.1): the count is set, then each VF is added in order. */
    private void sriovEnable(Device pf, Driver drv, int numVfs) {
        Frame f = trace.enter("sriov_enable");
        w.numVfs(pf, numVfs);
        List<Device> vfs = pf.virtfns();
        for (int id = 0; id < numVfs && id < vfs.size(); id++) {
            pciIovAddVirtfn(pf, drv, vfs.get(id), id);
        }
        trace.leaveWith(f, "0", "{} VFs added", numVfs);
    }

    /**
     * iov.c: pci_iov_add_virtfn() (6.1): pci_device_add() (the IOMMU groups it), the physfn/virtfn links, then
     * pci_bus_add_device() (drivers are offered it). vfio-pci's bus notifier sets the driver_override of a VF its
     * PF's vfio-pci created, so that only vfio-pci takes it.
     */
    private void pciIovAddVirtfn(Device pf, Driver drv, Device vf, int id) {
        Frame f = trace.enter("pci_iov_add_virtfn");
        pci.pciDeviceAdd(vf);
        if (drv.spec().vfio()) {
            trace.log(drv.name() + " " + pf + ": Captured SR-IOV VF " + vf + " driver_override");
            w.driverOverride(vf, drv.name());
        }
        pci.busAddDevice(vf);
        trace.leaveWith(f, "0", "virtfn{} is {}", id, vf);
    }

    /**
     * iov.c: sriov_disable() → sriov_del_vfs() (6.1): the VFs are removed from the last to the first; a VF whose
     * VFIO device is open makes the removal wait, and the ones before it wait with it. The count drops to 0 once
     * all are gone.
     */
    private void sriovDisable(Device pf) {
        Frame f = trace.enter("sriov_disable");
        List<Device> present = new ArrayList<>();
        for (Device vf : pf.virtfns()) {
            if (vf.isPresent()) {
                present.add(vf);
            }
        }
        removeFrom(pf, present, present.size() - 1);
        trace.leaveWith(f, trace.pendingOn() != null ? "blocked" : "void", "");
    }

    private void removeFrom(Device pf, List<Device> vfs, int i) {
        if (i < 0) {
            w.numVfs(pf, 0);
            return;
        }
        Frame f = trace.enter("pci_iov_remove_virtfn");
        Device vf = vfs.get(i);
        pci.pciStopAndRemoveBusDevice(vf, () -> removeFrom(pf, vfs, i - 1));
        trace.leaveWith(f, vf.isPresent() ? "blocked" : "void", "virtfn{} ({})", i, vf);
    }

    /** lib/kstrtox.c: kstrtobool() (6.1): y/Y/1/on and n/N/0/off; the first letters decide. */
    public static Boolean kstrtobool(String s) {
        if (s == null || s.isEmpty()) {
            return null;
        }
        char c = s.charAt(0);
        if (c == 'y' || c == 'Y' || c == '1') {
            return true;
        }
        if (c == 'n' || c == 'N' || c == '0') {
            return false;
        }
        if ((c == 'o' || c == 'O') && s.length() > 1) {
            char d = s.charAt(1);
            return d == 'n' || d == 'N' ? Boolean.TRUE : d == 'f' || d == 'F' ? Boolean.FALSE : null;
        }
        return null;
    }
}
