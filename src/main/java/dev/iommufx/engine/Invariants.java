package dev.iommufx.engine;

import java.util.ArrayList;
import java.util.List;

/**
 * The 6.1 invariants of kernel-model §8 (I1–I3, I5, the converse of I8) over a machine, and the engine's own
 * bookkeeping. Returns the violations in words; an empty list means the state is one the kernel allows.
 */
public final class Invariants {
    private Invariants() {
    }

    public static List<String> check(Kernel k) {
        List<String> bad = new ArrayList<>();
        for (IommuGroup g : k.groups()) {
            checkGroup(g, bad);
        }
        for (Device d : k.devices()) {
            checkDevice(d, bad);
        }
        return bad;
    }

    private static void checkGroup(IommuGroup g, List<String> bad) {
        int dmaApiUsers = countDmaApiUsers(g);
        if (g.owner() != null) {
            if (dmaApiUsers > 0) { // I1
                bad.add("I1: group " + g.id() + " is user-owned by " + g.owner() + " while " + dmaApiUsers
                        + " DMA-API driver(s) are bound");
            }
            if (g.ownerCount() != 1) { // I2 (6.1)
                bad.add("I2: group " + g.id() + " is user-owned with owner_cnt " + g.ownerCount());
            }
            if (g.domain() == g.defaultDomain() || g.domain() == null) { // I3
                bad.add("I3: user-owned group " + g.id() + " is on "
                        + (g.domain() == null ? "no domain" : "its default domain"));
            }
        } else if (g.ownerCount() != dmaApiUsers) { // I5
            bad.add("I5: group " + g.id() + " has owner_cnt " + g.ownerCount() + " but " + dmaApiUsers
                    + " bound DMA-API driver(s)");
        }
        if (g.owner() == null && g.blockingDomain() != null && g.domain() == g.blockingDomain()) { // I8 (converse)
            bad.add("I8: unowned group " + g.id() + " is on its blocking domain");
        }
        if (g.devices().isEmpty()) {
            bad.add("group " + g.id() + " exists with no devices");
        }
        for (Device d : g.devices()) {
            if (d.group() != g || !d.isPresent()) {
                bad.add("group " + g.id() + " lists " + d + ", which is not in it");
            }
        }
        if (g.vfioGroup() != null && (g.vfioGroup().devices().isEmpty() || !g.vfioGroup().isAlive())) {
            bad.add("/dev/vfio/" + g.id() + " exists without a VFIO device");
        }
    }

    /** Devices of the group bound (in dev->driver terms, from dma_configure to dma_cleanup) to DMA-API drivers. */
    private static int countDmaApiUsers(IommuGroup g) {
        int n = 0;
        for (Device d : g.devices()) {
            if (d.driver() != null && !d.driver().driverManagedDma()) {
                n++;
            }
        }
        return n;
    }

    private static void checkDevice(Device d, List<String> bad) {
        if (!d.isPresent()) {
            if (d.driver() != null || d.group() != null) {
                bad.add(d + " is removed but still has a driver or group");
            }
            return;
        }
        if (d.driver() != null && !d.driver().bound().contains(d) && !d.releasePending()) {
            bad.add(d + " has driver " + d.driver() + " which does not list it");
        }
        if (d.driverLinked && d.driver() == null) {
            bad.add(d + " has a driver link but no driver");
        }
        if (d.driver() != null && d.driver().spec().vfio()) {
            VfioGroup vg = d.group() == null ? null : d.group().vfioGroup();
            boolean registered = vg != null && vg.devices().contains(d);
            if (!registered) {
                bad.add(d + " is bound to " + d.driver() + " but not registered with VFIO");
            }
        }
        if (d.openVfioHandles() > 0 && (d.driver() == null || !d.driver().spec().vfio())) {
            bad.add(d + " has open VFIO device fds but no VFIO driver");
        }
    }
}
