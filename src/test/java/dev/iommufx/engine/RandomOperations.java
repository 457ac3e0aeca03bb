package dev.iommufx.engine;

import dev.iommufx.model.BusType;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Generates operations on a booted {@link Kernel} for {@link RandomOperationsTest}, deterministically from a
 * {@link Random}: the same seed on the same machine always gives the same sequence.
 *
 * <p>Operations are meaningful most of the time: they name present devices, the topology's own drivers,
 * existing group numbers and handle names that exist or existed. About one argument in ten is deliberately
 * wrong (a removed or unknown device, a driver that does not match, a group that does not exist, a closed or
 * never-opened handle, a handle of the wrong kind, an unknown domain type or IOMMU backend).
 *
 * <p>Roughly half of the operations are <em>guided</em>: the next natural step of the VFIO passthrough flow
 * (kernel-model §4, §9 S1) for some group, chosen from the current state — set
 * {@code driver_override}, unbind the DMA-API driver, bind the VFIO driver, open the group, set the container,
 * set the IOMMU backend, open a device fd — and the ways out of it: unbinding or removing a device whose fd
 * is open (a pending unbind, §4.1), closing fds, unsetting the container, giving the device back to its kernel
 * driver. This keeps the claimed (UB), user-domain (UU) and pending-unbind states frequent, which uniform
 * random choice alone would rarely reach. The rest are uniform over all 24 public operations of the kernel.
 *
 * <p>IOMMU kernel-API calls ({@code iommu_group_claim_dma_owner()} and friends) are issued the way a real
 * kernel driver would issue them, see {@link #claimOrRelease(boolean)}.
 */
final class RandomOperations {

    /** The public operations of {@link Kernel}, one per method. */
    enum Kind {
        BIND, UNBIND, UNBIND_FROM, DRIVER_OVERRIDE, DRIVERS_PROBE, REMOVE, RESCAN, SET_GROUP_TYPE,
        VFIO_OPEN_CONTAINER, VFIO_OPEN_GROUP, VFIO_GROUP_STATUS, VFIO_SET_CONTAINER, VFIO_SET_IOMMU,
        VFIO_GET_DEVICE_FD, VFIO_UNSET_CONTAINER, VFIO_DMA_MAP, VFIO_DMA_UNMAP, CLOSE,
        CLAIM_DMA_OWNER, RELEASE_DMA_OWNER, ATTACH_GROUP, DETACH_GROUP, ATTACH_DEVICE, DETACH_DEVICE,
        SRIOV_NUMVFS, SRIOV_DRIVERS_AUTOPROBE, MODPROBE, RMMOD
    }

    /**
     * One generated operation.
     *
     * @param kind   which kernel method it calls
     * @param text   the call as Java source ({@code k.bind("0000:01:00.0", "vfio-pci")}), to paste into a test
     * @param guided whether it came from the passthrough-flow guide rather than uniform choice
     */
    record Op(Kind kind, String text, boolean guided, Function<Kernel, OpResult> action) {
        OpResult applyTo(Kernel k) {
            return action.apply(k);
        }

        @Override
        public String toString() {
            return text;
        }
    }

    /** Cookies of the simulated kernel drivers that use the IOMMU ownership API; never null (§3.3, §8). */
    static final List<String> KERNEL_OWNERS = List.of("kdrv-a", "kdrv-b");
    /** Kernel-private unmanaged domains (a GPU driver's, a tegra-DRM-style shared one, one more). */
    static final List<String> PRIVATE_DOMAINS = List.of("gpu-dom", "drm-shared", "dom-x");
    private static final List<String> GROUP_TYPES = List.of("identity", "DMA", "DMA-FQ", "auto");
    private static final List<String> BAD_GROUP_TYPES = List.of("bogus", "blocked", "unmanaged", "");
    private static final List<String> IOMMU_TYPES = List.of("type1v2", "type1");
    private static final List<String> BAD_IOMMU_TYPES = List.of("spapr", "noiommu");

    /** Percent of arguments that are deliberately invalid. */
    private static final int INVALID_PERCENT = 10;
    /** Percent of operations taken from the passthrough-flow guide when it has a step to offer. */
    private static final int GUIDED_PERCENT = 55;

    private final Random rnd;
    private final Kernel k;
    /** Every handle name ever given to an open call, open or not any more. */
    private final List<String> namesEver = new ArrayList<>();
    private int nextName;

    RandomOperations(Random rnd, Kernel kernel) {
        this.rnd = rnd;
        this.k = kernel;
    }

    /** The next operation for the kernel's current state. */
    Op next() {
        if (rnd.nextInt(100) < GUIDED_PERCENT) {
            Op op = guided();
            if (op != null) {
                return op;
            }
        }
        return random(Kind.values()[rnd.nextInt(Kind.values().length)]);
    }

    // --- uniform choice over every operation --------------------------------------------------------

    Op random(Kind kind) {
        switch (kind) {
            case BIND: {
                String dev = deviceArg();
                return bind(dev, driverArg(dev), false);
            }
            case UNBIND:
                return unbind(deviceArg(), false);
            case UNBIND_FROM: {
                String dev = deviceArg();
                Device d = k.device(dev);
                // mostly the driver it is bound to (then it is the same as unbind), else any driver
                String drv = d != null && d.sysfsDriver() != null && rnd.nextInt(100) < 70 ? d.sysfsDriver().name()
                        : driverArg(dev);
                return op(Kind.UNBIND_FROM, false, "k.unbindFrom(" + q(dev) + ", " + q(drv) + ")",
                        kk -> kk.unbindFrom(dev, drv));
            }
            case DRIVER_OVERRIDE: {
                String dev = deviceArg();
                String drv = rnd.nextInt(100) < 25 ? null : driverArg(dev);
                return override(dev, drv, false);
            }
            case DRIVERS_PROBE:
                return driversProbe(deviceArg(), false);
            case REMOVE:
                return remove(deviceArg(), false);
            case RESCAN:
                return op(Kind.RESCAN, false, "k.rescan()", Kernel::rescan);
            case SET_GROUP_TYPE: {
                int g = groupArg();
                String type = invalid() ? pick(BAD_GROUP_TYPES) : pick(GROUP_TYPES);
                return op(Kind.SET_GROUP_TYPE, false, "k.setGroupType(" + g + ", " + q(type) + ")",
                        kk -> kk.setGroupType(g, type));
            }
            case VFIO_OPEN_CONTAINER:
                return openContainer(newName("c"), false);
            case VFIO_OPEN_GROUP: {
                int g = vfioGroupArg();
                return openGroup(g, newName("g"), false);
            }
            case VFIO_GROUP_STATUS:
                return status(handleArg(HandleKind.GROUP), false);
            case VFIO_SET_CONTAINER:
                return setContainer(handleArg(HandleKind.GROUP), handleArg(HandleKind.CONTAINER), false);
            case VFIO_SET_IOMMU:
                return setIommu(handleArg(HandleKind.CONTAINER), invalid() ? pick(BAD_IOMMU_TYPES)
                        : pick(IOMMU_TYPES), false);
            case VFIO_GET_DEVICE_FD: {
                String h = handleArg(HandleKind.GROUP);
                return getDeviceFd(h, vfioDeviceArg(h), newName("d"), false);
            }
            case VFIO_UNSET_CONTAINER:
                return unsetContainer(handleArg(HandleKind.GROUP), false);
            case VFIO_DMA_MAP:
                return dma(handleArg(HandleKind.CONTAINER), true, false);
            case VFIO_DMA_UNMAP:
                return dma(handleArg(HandleKind.CONTAINER), false, false);
            case CLOSE:
                return close(handleArg(HandleKind.ANY), false);
            case CLAIM_DMA_OWNER:
                return claimOrRelease(true);
            case RELEASE_DMA_OWNER:
                return claimOrRelease(false);
            case ATTACH_GROUP: {
                int g = groupArg();
                String dom = pick(PRIVATE_DOMAINS);
                return op(Kind.ATTACH_GROUP, false, "k.attachGroup(" + g + ", " + q(dom) + ")",
                        kk -> kk.attachGroup(g, dom));
            }
            case DETACH_GROUP: {
                int g = groupArg();
                String dom = attachedPrivateDomainOr(g);
                return op(Kind.DETACH_GROUP, false, "k.detachGroup(" + g + ", " + q(dom) + ")",
                        kk -> kk.detachGroup(g, dom));
            }
            case ATTACH_DEVICE: {
                String dev = singletonDeviceArg();
                String dom = pick(PRIVATE_DOMAINS);
                return op(Kind.ATTACH_DEVICE, false, "k.attachDevice(" + q(dev) + ", " + q(dom) + ")",
                        kk -> kk.attachDevice(dev, dom));
            }
            case DETACH_DEVICE: {
                String dev = singletonDeviceArg();
                Device d = k.device(dev);
                String dom = d != null && d.group() != null ? attachedPrivateDomainOr(d.group().id())
                        : pick(PRIVATE_DOMAINS);
                return op(Kind.DETACH_DEVICE, false, "k.detachDevice(" + q(dev) + ", " + q(dom) + ")",
                        kk -> kk.detachDevice(dev, dom));
            }
            case SRIOV_NUMVFS: {
                String dev = pfArg();
                long n = invalid() ? 65536 + rnd.nextInt(3) : rnd.nextInt(4) == 0 ? 0 : rnd.nextInt(5);
                return op(Kind.SRIOV_NUMVFS, false, "k.sriovNumvfs(" + q(dev) + ", " + n + ")",
                        kk -> kk.sriovNumvfs(dev, n));
            }
            case SRIOV_DRIVERS_AUTOPROBE: {
                String dev = pfArg();
                String value = invalid() ? "maybe" : rnd.nextBoolean() ? "1" : "0";
                return op(Kind.SRIOV_DRIVERS_AUTOPROBE, false, "k.sriovDriversAutoprobe(" + q(dev) + ", " + q(value)
                        + ")", kk -> kk.sriovDriversAutoprobe(dev, value));
            }
            case MODPROBE: {
                String module = moduleArg();
                String options = rnd.nextInt(3) == 0 ? "enable_sriov=1" : null;
                return op(Kind.MODPROBE, false, "k.modprobe(" + q(module) + ", " + q(options) + ")",
                        kk -> kk.modprobe(module, options));
            }
            case RMMOD: {
                String module = moduleArg();
                return op(Kind.RMMOD, false, "k.rmmod(" + q(module) + ")", kk -> kk.rmmod(module));
            }
            default:
                throw new AssertionError(kind);
        }
    }

    /** A physical function with an SR-IOV capability, mostly; sometimes any device. */
    private String pfArg() {
        List<String> pfs = k.devices().stream().filter(d -> d.spec().sriov() != null).map(Device::id).toList();
        return pfs.isEmpty() || invalid() ? deviceArg() : pick(pfs);
    }

    /** One of the machine's modules, or one it does not have. */
    private String moduleArg() {
        List<String> modules = new ArrayList<>(k.modules().keySet());
        return modules.isEmpty() || invalid() ? "no_such_module" : pick(modules);
    }

    /**
     * {@code iommu_group_claim_dma_owner()} / {@code iommu_group_release_dma_owner()} as a real kernel driver
     * calls them. kernel-model §8 "Not guaranteed" lists what 6.1 does not check: "claim does not reject
     * a NULL cookie" (a NULL-cookie claim leaves {@code owner == NULL, owner_cnt == 1}, breaking I5), and the
     * release has no owner check, so a driver releasing a claim it does not hold would silently hand VFIO's
     * group back to the DMA API. No in-tree driver does either, so the generator does not: claims always carry
     * a driver's own non-null cookie (any group, even one it cannot get: EPERM/EBUSY are fine), and a release
     * is issued only for a group this driver owns right now, or for a group number that does not exist (an
     * invalid argument the engine must refuse with ENOENT). With that discipline every §8 invariant still
     * holds after every operation, and the test checks all of them always instead of masking I5.
     */
    private Op claimOrRelease(boolean claim) {
        List<IommuGroup> ours = kernelOwnedGroups();
        if (!claim && !ours.isEmpty()) {
            int g = pick(ours).id();
            return op(Kind.RELEASE_DMA_OWNER, false, "k.releaseDmaOwner(" + g + ")", kk -> kk.releaseDmaOwner(g));
        }
        if (!claim && rnd.nextBoolean()) {
            int g = missingGroup();
            return op(Kind.RELEASE_DMA_OWNER, false, "k.releaseDmaOwner(" + g + ")", kk -> kk.releaseDmaOwner(g));
        }
        int g = groupArg();
        String owner = pick(KERNEL_OWNERS);
        return op(Kind.CLAIM_DMA_OWNER, false, "k.claimDmaOwner(" + g + ", " + q(owner) + ")",
                kk -> kk.claimDmaOwner(g, owner));
    }

    // --- the passthrough-flow guide -------------------------------------------------------------------

    /** Weighted next steps of the VFIO flow for every group; null if there is none. */
    private Op guided() {
        Choices c = new Choices();
        for (Device d : k.devices()) {
            if (!d.isPresent() || d.releasePending() || d.group() == null) {
                continue;
            }
            Driver vfio = vfioDriver(d.bus());
            if (vfio == null || d.spec().hasBridgeHeader()) {
                continue;
            }
            String id = d.id();
            Driver drv = d.driver();
            if (drv != null && !drv.driverManagedDma()) { // a DMA-API driver keeps the group from being viable
                if (!vfio.name().equals(d.driverOverride())) {
                    c.add(3, () -> override(id, vfio.name(), true));
                }
                c.add(3, () -> rnd.nextBoolean() ? unbind(id, true) : unbindFrom(id, drv.name()));
            } else if (drv == null) {
                if (vfio.name().equals(d.driverOverride())) {
                    c.add(4, () -> rnd.nextInt(4) == 0 ? driversProbe(id, true) : bind(id, vfio.name(), true));
                    c.add(0.5, () -> override(id, null, true)); // on the way back to the host driver
                } else if (d.driverOverride() != null) {
                    c.add(2, () -> override(id, vfio.name(), true));
                    c.add(1, () -> override(id, null, true));
                } else {
                    c.add(2, () -> override(id, vfio.name(), true));
                    Driver host = hostDriver(d);
                    if (host != null) { // give it back to its kernel driver: K(N) again
                        c.add(1, () -> rnd.nextBoolean() ? driversProbe(id, true) : bind(id, host.name(), true));
                    }
                }
            } else if (drv.spec().vfio()) {
                if (d.openVfioHandles() > 0) { // unbind or remove while open: blocks (pending unbind)
                    c.add(1.5, () -> rnd.nextInt(3) == 0 ? remove(id, true) : unbind(id, true));
                } else {
                    c.add(0.6, () -> unbind(id, true));
                }
            } else {
                c.add(1, () -> unbind(id, true)); // pci-stub, pcieport on an endpoint: let the device go on
            }
        }
        List<String> containers = openHandles(HandleKind.CONTAINER);
        for (IommuGroup g : k.groups()) {
            VfioGroup vg = g.vfioGroup();
            if (vg != null && vg.isAlive() && vg.openedBy() == null) {
                c.add(4, () -> openGroup(g.id(), newName("g"), true));
            }
        }
        for (Handle h : k.handles().values()) {
            if (h.container() != null) {
                continue;
            }
            if (h.device() != null) {
                c.add(1.2, () -> close(h.name(), true));
                continue;
            }
            VfioGroup vg = h.group();
            if (!vg.isAlive()) {
                c.add(2, () -> close(h.name(), true));
                continue;
            }
            if (vg.container() == null) {
                if (containers.isEmpty()) {
                    c.add(4, () -> openContainer(newName("c"), true));
                } else {
                    c.add(4, () -> setContainer(h.name(), pick(containers), true));
                }
                c.add(1, () -> status(h.name(), true));
                c.add(0.3, () -> close(h.name(), true));
                continue;
            }
            VfioContainer vc = vg.container();
            String ch = handleOf(vc);
            if (vc.iommuDriver() == null) {
                if (ch != null) {
                    c.add(4, () -> setIommu(ch, pick(IOMMU_TYPES), true));
                }
            } else {
                List<Device> closed = new ArrayList<>();
                for (Device d : vg.devices()) {
                    if (d.openVfioHandles() == 0) {
                        closed.add(d);
                    }
                }
                if (!closed.isEmpty()) {
                    c.add(4, () -> getDeviceFd(h.name(), pick(closed).id(), newName("d"), true));
                } else if (!vg.devices().isEmpty()) {
                    c.add(0.5, () -> getDeviceFd(h.name(), pick(vg.devices()).id(), newName("d"), true));
                }
                if (ch != null) {
                    c.add(0.8, () -> dma(ch, rnd.nextBoolean(), true));
                }
            }
            c.add(0.6, () -> unsetContainer(h.name(), true));
            c.add(0.5, () -> close(h.name(), true));
            c.add(0.4, () -> status(h.name(), true));
        }
        if (containers.isEmpty()) {
            c.add(1, () -> openContainer(newName("c"), true));
        } else if (containers.size() > 2) {
            c.add(1, () -> close(pick(containers), true));
        }
        for (IommuGroup g : kernelOwnedGroups()) { // a kernel driver's claim does not last forever
            int id = g.id();
            c.add(2, () -> op(Kind.RELEASE_DMA_OWNER, true, "k.releaseDmaOwner(" + id + ")",
                    kk -> kk.releaseDmaOwner(id)));
        }
        return c.pick();
    }

    /** A weighted choice among candidate operations. */
    private final class Choices {
        private final List<Supplier<Op>> ops = new ArrayList<>();
        private final List<Double> weights = new ArrayList<>();
        private double total;

        void add(double weight, Supplier<Op> op) {
            ops.add(op);
            weights.add(weight);
            total += weight;
        }

        Op pick() {
            if (ops.isEmpty()) {
                return null;
            }
            double x = rnd.nextDouble() * total;
            for (int i = 0; i < ops.size(); i++) {
                x -= weights.get(i);
                if (x < 0) {
                    return ops.get(i).get();
                }
            }
            return ops.get(ops.size() - 1).get();
        }
    }

    // --- operation builders ---------------------------------------------------------------------------

    private Op bind(String dev, String drv, boolean guided) {
        return op(Kind.BIND, guided, "k.bind(" + q(dev) + ", " + q(drv) + ")", kk -> kk.bind(dev, drv));
    }

    private Op unbind(String dev, boolean guided) {
        return op(Kind.UNBIND, guided, "k.unbind(" + q(dev) + ")", kk -> kk.unbind(dev));
    }

    private Op unbindFrom(String dev, String drv) {
        return op(Kind.UNBIND_FROM, true, "k.unbindFrom(" + q(dev) + ", " + q(drv) + ")",
                kk -> kk.unbindFrom(dev, drv));
    }

    private Op override(String dev, String drv, boolean guided) {
        return op(Kind.DRIVER_OVERRIDE, guided, "k.driverOverride(" + q(dev) + ", " + q(drv) + ")",
                kk -> kk.driverOverride(dev, drv));
    }

    private Op driversProbe(String dev, boolean guided) {
        return op(Kind.DRIVERS_PROBE, guided, "k.driversProbe(" + q(dev) + ")", kk -> kk.driversProbe(dev));
    }

    private Op remove(String dev, boolean guided) {
        return op(Kind.REMOVE, guided, "k.remove(" + q(dev) + ")", kk -> kk.remove(dev));
    }

    private Op openContainer(String name, boolean guided) {
        return op(Kind.VFIO_OPEN_CONTAINER, guided, "k.vfioOpenContainer(" + q(name) + ")",
                kk -> kk.vfioOpenContainer(name));
    }

    private Op openGroup(int g, String name, boolean guided) {
        return op(Kind.VFIO_OPEN_GROUP, guided, "k.vfioOpenGroup(" + g + ", " + q(name) + ")",
                kk -> kk.vfioOpenGroup(g, name));
    }

    private Op status(String h, boolean guided) {
        return op(Kind.VFIO_GROUP_STATUS, guided, "k.vfioGroupStatus(" + q(h) + ")", kk -> kk.vfioGroupStatus(h));
    }

    private Op setContainer(String h, String c, boolean guided) {
        return op(Kind.VFIO_SET_CONTAINER, guided, "k.vfioSetContainer(" + q(h) + ", " + q(c) + ")",
                kk -> kk.vfioSetContainer(h, c));
    }

    private Op setIommu(String c, String type, boolean guided) {
        return op(Kind.VFIO_SET_IOMMU, guided, "k.vfioSetIommu(" + q(c) + ", " + q(type) + ")",
                kk -> kk.vfioSetIommu(c, type));
    }

    private Op getDeviceFd(String h, String dev, String as, boolean guided) {
        return op(Kind.VFIO_GET_DEVICE_FD, guided, "k.vfioGetDeviceFd(" + q(h) + ", " + q(dev) + ", " + q(as) + ")",
                kk -> kk.vfioGetDeviceFd(h, dev, as));
    }

    private Op unsetContainer(String h, boolean guided) {
        return op(Kind.VFIO_UNSET_CONTAINER, guided, "k.vfioUnsetContainer(" + q(h) + ")",
                kk -> kk.vfioUnsetContainer(h));
    }

    private Op dma(String c, boolean map, boolean guided) {
        long iova = (long) rnd.nextInt(1 << 20) << 12;
        long size = (long) (1 + rnd.nextInt(256)) << 12;
        String call = (map ? "k.vfioDmaMap(" : "k.vfioDmaUnmap(") + q(c) + ", 0x" + Long.toHexString(iova) + "L, 0x"
                + Long.toHexString(size) + "L)";
        return op(map ? Kind.VFIO_DMA_MAP : Kind.VFIO_DMA_UNMAP, guided, call,
                map ? kk -> kk.vfioDmaMap(c, iova, size) : kk -> kk.vfioDmaUnmap(c, iova, size));
    }

    private Op close(String h, boolean guided) {
        return op(Kind.CLOSE, guided, "k.close(" + q(h) + ")", kk -> kk.close(h));
    }

    private static Op op(Kind kind, boolean guided, String text, Function<Kernel, OpResult> action) {
        return new Op(kind, text, guided, action);
    }

    // --- arguments ------------------------------------------------------------------------------------

    private enum HandleKind { CONTAINER, GROUP, DEVICE, ANY }

    private boolean invalid() {
        return rnd.nextInt(100) < INVALID_PERCENT;
    }

    private <T> T pick(List<T> list) {
        return list.get(rnd.nextInt(list.size()));
    }

    /** A present device mostly; sometimes a removed one or one the machine never had. */
    private String deviceArg() {
        List<Device> present = new ArrayList<>();
        List<Device> gone = new ArrayList<>();
        for (Device d : k.devices()) {
            (d.isPresent() ? present : gone).add(d);
        }
        if (invalid() || present.isEmpty()) {
            if (!gone.isEmpty() && rnd.nextBoolean()) {
                return pick(gone).id();
            }
            return rnd.nextBoolean() ? "0000:7f:1f.7" : "no-such-device";
        }
        return pick(present).id();
    }

    /** A device of a group with one member (iommu_attach_device() needs one, §3.8), else any device. */
    private String singletonDeviceArg() {
        List<Device> alone = new ArrayList<>();
        for (IommuGroup g : k.groups()) {
            if (g.devices().size() == 1) {
                alone.add(g.devices().get(0));
            }
        }
        if (alone.isEmpty() || rnd.nextInt(100) < 30) {
            return deviceArg();
        }
        return pick(alone).id();
    }

    /** A driver of the device's bus (matching or not); sometimes one that does not exist. */
    private String driverArg(String device) {
        Device d = k.device(device);
        BusType bus = d == null ? BusType.PCI : d.bus();
        List<String> names = new ArrayList<>();
        for (Driver drv : k.drivers()) {
            if (drv.bus() == bus) {
                names.add(drv.name());
            }
        }
        if (names.isEmpty() || invalid()) {
            return "no-such-driver";
        }
        return pick(names);
    }

    private int groupArg() {
        if (invalid() || k.groups().isEmpty()) {
            return missingGroup();
        }
        return pick(new ArrayList<>(k.groups())).id();
    }

    /** A group with /dev/vfio/N mostly (so the open can succeed), else any group number. */
    private int vfioGroupArg() {
        List<Integer> withVfio = new ArrayList<>();
        for (IommuGroup g : k.groups()) {
            if (g.vfioGroup() != null) {
                withVfio.add(g.id());
            }
        }
        if (withVfio.isEmpty() || rnd.nextInt(100) < 30) {
            return groupArg();
        }
        return pick(withVfio);
    }

    private int missingGroup() {
        int max = -1;
        for (IommuGroup g : k.groups()) {
            max = Math.max(max, g.id());
        }
        return max + 1 + rnd.nextInt(3);
    }

    /** Mostly a VFIO device of the handle's group; else any device. */
    private String vfioDeviceArg(String handle) {
        Handle h = k.handles().get(handle);
        if (h != null && h.group() != null && !h.group().devices().isEmpty() && !invalid()) {
            return pick(h.group().devices()).id();
        }
        return deviceArg();
    }

    /** The private domain attached to the group if there is one (a real driver detaches what it attached). */
    private String attachedPrivateDomainOr(int group) {
        IommuGroup g = k.group(group);
        if (g != null && g.domain() != null && rnd.nextInt(100) < 80) {
            for (String name : PRIVATE_DOMAINS) {
                if (g.domain().label().equals("private domain '" + name + "'")) {
                    return name;
                }
            }
        }
        return pick(PRIVATE_DOMAINS);
    }

    /** An open handle of the wanted kind mostly; else one of another kind, a closed one, or an unknown name. */
    private String handleArg(HandleKind want) {
        List<String> right = openHandles(want);
        int r = rnd.nextInt(100);
        if (!right.isEmpty() && r < 80) {
            return pick(right);
        }
        List<String> any = openHandles(HandleKind.ANY);
        if (!any.isEmpty() && r < 88) {
            return pick(any);
        }
        if (!namesEver.isEmpty() && r < 96) {
            return pick(namesEver);
        }
        return "fd-never-opened";
    }

    private List<String> openHandles(HandleKind want) {
        List<String> out = new ArrayList<>();
        for (Handle h : k.handles().values()) {
            boolean ok = switch (want) {
                case CONTAINER -> h.container() != null;
                case DEVICE -> h.device() != null;
                case GROUP -> h.container() == null && h.device() == null;
                case ANY -> true;
            };
            if (ok) {
                out.add(h.name());
            }
        }
        return out;
    }

    /** A fresh handle name mostly; sometimes one in use (EBADF) or one used before and closed since. */
    private String newName(String prefix) {
        if (invalid() && !namesEver.isEmpty()) {
            return pick(namesEver);
        }
        String name = prefix + nextName++;
        namesEver.add(name);
        return name;
    }

    private String handleOf(VfioContainer c) {
        for (Handle h : k.handles().values()) {
            if (h.container() == c) {
                return h.name();
            }
        }
        return null;
    }

    private Driver vfioDriver(BusType bus) {
        for (Driver d : k.drivers()) {
            if (d.bus() == bus && d.spec().vfio()) {
                return d;
            }
        }
        return null;
    }

    /** The DMA-API driver whose ID table matches the device (what autoprobe would bind), or null. */
    private Driver hostDriver(Device d) {
        for (Driver drv : k.drivers()) {
            if (drv.bus() == d.bus() && !drv.driverManagedDma() && drv.spec().match().matchesTable(d.spec())) {
                return drv;
            }
        }
        return null;
    }

    /** Groups a simulated kernel driver (not VFIO) owns now. */
    private List<IommuGroup> kernelOwnedGroups() {
        List<IommuGroup> out = new ArrayList<>();
        for (IommuGroup g : k.groups()) {
            if (g.owner() != null && KERNEL_OWNERS.contains(g.owner())) {
                out.add(g);
            }
        }
        return out;
    }

    private static String q(String s) {
        return s == null ? "null" : "\"" + s + "\"";
    }
}
