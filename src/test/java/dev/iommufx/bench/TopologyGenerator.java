package dev.iommufx.bench;

import dev.iommufx.engine.Device;
import dev.iommufx.engine.Kernel;
import dev.iommufx.model.Acs;
import dev.iommufx.model.BusType;
import dev.iommufx.model.DeviceSpec;
import dev.iommufx.model.DomainType;
import dev.iommufx.model.DriverSpec;
import dev.iommufx.model.GroupSpec;
import dev.iommufx.model.PcieType;
import dev.iommufx.model.Topology;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Deterministic generated PCI machines of an exact number of devices, shaped like real servers, for the
 * benchmarks (and for anything else that needs a big machine: 40, 500, 1,000, 13,000, 100,000 devices).
 *
 * <p>Each PCI segment (domain) has one or more root buses ("stacks"), each with a host bridge at slot 0 and
 * up to {@value #PORTS_PER_STACK} root ports with ACS. Below every root port hangs one of these units:
 * <ul>
 *   <li>an NVMe SSD, alone in its group;</li>
 *   <li>a dual-port NIC whose functions have ACS: each function alone;</li>
 *   <li>a GPU and its HDMI audio function, multifunction without ACS: the pair shares a group;</li>
 *   <li>a PCIe switch (upstream port and 2 to 8 downstream ports) with NVMe SSDs or GPU pairs below; about one
 *       downstream port in four has no ACS, so the endpoint below shares the port's group;</li>
 *   <li>a PCIe-to-PCI bridge with conventional PCI devices behind it: the bridge and all of them share a group.</li>
 * </ul>
 * One root-complex integrated DMA engine (alone) pads the machine to the exact size when needed.
 *
 * <p>Every device carries its IOMMU group number, computed as {@code pci_device_group()} would for these shapes
 * and numbered in enumeration order (the lowest free number as each group appears), so that booting with the
 * declared groups and booting with derived groups give the same machine ({@link #main} checks this).
 * Drivers: pcieport (class 0604, PCIe ports only), the DMA-API drivers of the generated IDs, then vfio-pci and
 * pci-stub (both {@code driver_override} only). Every endpoint boots bound to its DMA-API driver; ports to
 * pcieport; host bridges and PCIe-to-PCI bridges have no driver.
 */
public final class TopologyGenerator {
    /** The seed every benchmark uses, so that all runs measure the same machines. */
    public static final long DEFAULT_SEED = 0x1_0000_5EEDL;

    public static final String PCIEPORT = "pcieport";
    public static final String NVME = "nvme";
    public static final String MLX5 = "mlx5_core";
    public static final String ICE = "ice";
    public static final String NOUVEAU = "nouveau";
    public static final String HDA = "snd_hda_intel";
    public static final String MPTSPI = "mptspi";
    public static final String E100 = "e100";
    public static final String IOAT = "ioatdma";
    public static final String VFIO_PCI = "vfio-pci";
    public static final String PCI_STUB = "pci-stub";

    /** Device names, so that benchmarks can pick the shapes they need. */
    public static final String GPU_NAME = "GPU";
    public static final String GPU_AUDIO_NAME = "GPU HDMI audio";
    public static final String NVME_NAME = "NVMe SSD";

    static final int PORTS_PER_STACK = 8;
    private static final int MAX_BUS = 0xff;

    private static final int CLASS_HOST_BRIDGE = 0x060000;
    private static final int CLASS_PCI_BRIDGE = 0x060400;
    private static final int CLASS_PCI_BRIDGE_SUBTRACTIVE = 0x060401;
    private static final int CLASS_NVME = 0x010802;
    private static final int CLASS_ETHERNET = 0x020000;
    private static final int CLASS_VGA = 0x030000;
    private static final int CLASS_HDA = 0x040300;
    private static final int CLASS_SCSI = 0x010000;
    private static final int CLASS_DMA_ENGINE = 0x088000;

    /** Root and downstream ports: SV TB RR CR UF implemented, SV RR CR UF enabled (what Linux enables). */
    private static final Acs PORT_ACS = new Acs(Acs.SV | Acs.TB | Acs.RR | Acs.CR | Acs.UF,
            Acs.SV | Acs.RR | Acs.CR | Acs.UF);
    /** Multifunction endpoint ACS: the peer-to-peer controls only (RR CR EC implemented, RR CR enabled). */
    private static final Acs FUNCTION_ACS = new Acs(Acs.RR | Acs.CR | Acs.EC, Acs.RR | Acs.CR);

    private final SplittableRandom rnd;
    private final List<Node> roots = new ArrayList<>();
    private final List<Node> all = new ArrayList<>();
    private int nextLabel;
    private int remaining;
    // position of the next unit
    private int domain = -1;
    private int nextBus;
    private Node stack;
    private int portsInStack;

    private TopologyGenerator(int devices, long seed) {
        this.rnd = new SplittableRandom(seed);
        this.remaining = devices;
    }

    /** A machine of exactly {@code devices} PCI functions, with the {@link #DEFAULT_SEED}. */
    public static Topology generate(int devices) {
        return generate(devices, DEFAULT_SEED);
    }

    /** A machine of exactly {@code devices} PCI functions; the same seed gives the same machine. */
    public static Topology generate(int devices, long seed) {
        if (devices < 1) {
            throw new IllegalArgumentException("a machine needs at least one device");
        }
        TopologyGenerator g = new TopologyGenerator(devices, seed);
        g.build();
        return g.topology(devices, seed);
    }

    // --- the tree ------------------------------------------------------------------------------

    /** One PCI function while the machine is being built. */
    private static final class Node {
        final int domain;
        final int bus;
        final int slot;
        final int function;
        final Node parent;
        final List<Node> children = new ArrayList<>();
        final String id;
        int vendor;
        int device;
        int pciClass;
        String name;
        String driver;
        PcieType type;
        Acs acs;
        boolean multifunction;
        /** Provisional group label; renumbered in enumeration order at the end. */
        int label;
        int group;

        Node(int domain, int bus, int slot, int function, Node parent) {
            this.domain = domain;
            this.bus = bus;
            this.slot = slot;
            this.function = function;
            this.parent = parent;
            this.id = String.format("%04x:%02x:%02x.%x", domain, bus, slot, function);
            if (parent != null) {
                parent.children.add(this);
            }
        }

        int devfn() {
            return slot << 3 | function;
        }
    }

    private Node add(int bus, int slot, int function, Node parent, int vendor, int device, int pciClass,
                     String name, String driver, PcieType type, Acs acs, int label) {
        Node n = new Node(domain, bus, slot, function, parent);
        n.vendor = vendor;
        n.device = device;
        n.pciClass = pciClass;
        n.name = name;
        n.driver = driver;
        n.type = type;
        n.acs = acs;
        n.label = label;
        if (parent == null) {
            roots.add(n);
        }
        all.add(n);
        remaining--;
        return n;
    }

    private int newLabel() {
        return nextLabel++;
    }

    // --- units ---------------------------------------------------------------------------------

    private enum Kind { NVME, NIC, GPU, SWITCH, BRIDGE }

    /** The first units of the machine show every shape even in a small machine; then a weighted draw. */
    private static final Kind[] SHOWCASE = {Kind.GPU, Kind.SWITCH, Kind.BRIDGE, Kind.NVME, Kind.NIC, Kind.GPU};

    private void build() {
        int unit = 0;
        while (remaining > 0) {
            if (stack == null || portsInStack == PORTS_PER_STACK) {
                openStack();
                continue;
            }
            if (remaining == 1) {
                pad();
                continue;
            }
            Kind kind = unit < SHOWCASE.length ? SHOWCASE[unit] : draw();
            // a switch or bridge is sized to what is left; the others have a fixed size (root port included)
            int size = switch (kind) {
                case NVME -> 2;
                case NIC, GPU -> 3;
                case SWITCH -> Math.min(remaining, 4 + rnd.nextInt(2, 9) * 2);
                case BRIDGE -> Math.min(remaining, 3 + rnd.nextInt(4));
            };
            if (size > remaining || kind == Kind.SWITCH && size < 6) {
                kind = Kind.NVME;
                size = 2;
            }
            if (nextBus + busesNeeded(kind, size) - 1 > MAX_BUS) {
                // out of bus numbers: the next unit goes to a new segment
                domain++;
                nextBus = 0;
                stack = null;
                continue;
            }
            unit++;
            Node port = add(stack.bus, 1 + portsInStack++, 0, null, 0x8086, 0x347a, CLASS_PCI_BRIDGE,
                    "PCIe root port", PCIEPORT, PcieType.ROOT_PORT, PORT_ACS, newLabel());
            switch (kind) {
                case NVME -> nvme(port);
                case NIC -> nic(port);
                case GPU -> gpu(port);
                case SWITCH -> pcieSwitch(port, size - 1);
                case BRIDGE -> bridge(port, size - 1);
            }
        }
    }

    private Kind draw() {
        int r = rnd.nextInt(100);
        if (r < 35) return Kind.NVME;
        if (r < 55) return Kind.NIC;
        if (r < 70) return Kind.GPU;
        if (r < 90) return Kind.SWITCH;
        return Kind.BRIDGE;
    }

    /** Bus numbers a unit needs below its root port (the port's secondary bus included). */
    private static int busesNeeded(Kind kind, int size) {
        return switch (kind) {
            case NVME, NIC, GPU -> 1;
            case BRIDGE -> 2;
            case SWITCH -> 2 + (size - 2) / 2; // at most one downstream port per two devices below the switch
        };
    }

    /** A root bus with its host bridge (one device); a new segment when the bus numbers are used up. */
    private void openStack() {
        if (domain < 0 || nextBus + 1 > MAX_BUS) {
            domain++;
            nextBus = 0;
        }
        int bus = nextBus++;
        stack = add(bus, 0, 0, null, 0x8086, 0x09a2, CLASS_HOST_BRIDGE, "Host bridge", null, null, null, newLabel());
        portsInStack = 0;
    }

    /** Secondary bus number for a bridge. */
    private int secondary() {
        return nextBus++;
    }

    private void nvme(Node port) {
        nvmeBelow(port, secondary(), newLabel());
    }

    private void nvmeBelow(Node port, int bus, int label) {
        boolean samsung = rnd.nextBoolean();
        add(bus, 0, 0, port, samsung ? 0x144d : 0x8086, samsung ? 0xa80a : 0x0a54, CLASS_NVME, NVME_NAME, NVME,
                PcieType.ENDPOINT, null, label);
    }

    private void nic(Node port) {
        int bus = secondary();
        boolean mellanox = rnd.nextBoolean();
        int vendor = mellanox ? 0x15b3 : 0x8086;
        int device = mellanox ? 0x101d : 0x159b;
        String driver = mellanox ? MLX5 : ICE;
        Node f0 = add(bus, 0, 0, port, vendor, device, CLASS_ETHERNET, "Ethernet port 0", driver, PcieType.ENDPOINT,
                FUNCTION_ACS, newLabel());
        f0.multifunction = true;
        add(bus, 0, 1, port, vendor, device, CLASS_ETHERNET, "Ethernet port 1", driver, PcieType.ENDPOINT,
                FUNCTION_ACS, newLabel());
    }

    private void gpu(Node port) {
        gpuBelow(port, secondary(), newLabel());
    }

    /** GPU and HDMI audio: a multifunction endpoint without ACS, so both functions share one group. */
    private void gpuBelow(Node port, int bus, int label) {
        boolean ada = rnd.nextBoolean();
        Node vga = add(bus, 0, 0, port, 0x10de, ada ? 0x2786 : 0x2204, CLASS_VGA, GPU_NAME, NOUVEAU,
                PcieType.ENDPOINT, null, label);
        vga.multifunction = true;
        add(bus, 0, 1, port, 0x10de, ada ? 0x22bc : 0x1aef, CLASS_HDA, GPU_AUDIO_NAME, HDA, PcieType.ENDPOINT, null,
                label);
    }

    /** Upstream port, downstream ports on the internal bus, one NVMe SSD or GPU pair below each. */
    private void pcieSwitch(Node port, int devices) {
        Node usp = add(secondary(), 0, 0, port, 0x10b5, 0x8747, CLASS_PCI_BRIDGE, "Switch upstream port", PCIEPORT,
                PcieType.UPSTREAM_PORT, null, newLabel());
        int internal = secondary();
        int left = devices - 1;
        int slot = 0;
        while (left >= 2) {
            boolean acs = rnd.nextInt(4) != 0;
            Node dsp = add(internal, slot++, 0, usp, 0x10b5, 0x8747, CLASS_PCI_BRIDGE, "Switch downstream port",
                    PCIEPORT, PcieType.DOWNSTREAM_PORT, acs ? PORT_ACS : null, newLabel());
            left--;
            // without ACS the endpoint below is not isolated from the port: it joins the port's group
            int label = acs ? newLabel() : dsp.label;
            if (left >= 2 && rnd.nextInt(3) == 0) {
                gpuBelow(dsp, secondary(), label);
                left -= 2;
            } else {
                nvmeBelow(dsp, secondary(), label);
                left -= 1;
            }
        }
        if (left == 1) { // an empty hot-plug slot's downstream port
            add(internal, slot, 0, usp, 0x10b5, 0x8747, CLASS_PCI_BRIDGE, "Switch downstream port", PCIEPORT,
                    PcieType.DOWNSTREAM_PORT, PORT_ACS, newLabel());
        }
    }

    /** A PCIe-to-PCI bridge and conventional devices behind it: they all share the bridge's group. */
    private void bridge(Node port, int devices) {
        int label = newLabel();
        Node br = add(secondary(), 0, 0, port, 0x1b21, 0x1080, CLASS_PCI_BRIDGE_SUBTRACTIVE, "PCIe-to-PCI bridge",
                null, PcieType.PCIE_TO_PCI_BRIDGE, null, label);
        int bus = secondary();
        for (int i = 0; i < devices - 1; i++) {
            boolean scsi = i % 2 == 0;
            add(bus, 4 + i, 0, br, scsi ? 0x1000 : 0x8086, scsi ? 0x0030 : 0x1229, scsi ? CLASS_SCSI : CLASS_ETHERNET,
                    scsi ? "Conventional PCI SCSI controller" : "Conventional PCI Ethernet", scsi ? MPTSPI : E100,
                    null, null, label);
        }
    }

    /** One root-complex integrated DMA engine on the current root bus, alone in its group (the last device). */
    private void pad() {
        add(stack.bus, 0x1f, 0, null, 0x8086, 0x0b00, CLASS_DMA_ENGINE, "DMA engine", IOAT,
                PcieType.RC_INTEGRATED_ENDPOINT, null, newLabel());
    }

    // --- the topology --------------------------------------------------------------------------

    private Topology topology(int devices, long seed) {
        if (all.size() != devices) {
            throw new IllegalStateException("generated " + all.size() + " devices, not " + devices);
        }
        // the multifunction header bit of function 0 when its slot has more functions
        Map<String, Node> fn0 = new HashMap<>();
        for (Node n : all) {
            if (n.function == 0) {
                fn0.put(slotKey(n), n);
            }
        }
        for (Node n : all) {
            if (n.function > 0) {
                fn0.get(slotKey(n)).multifunction = true;
            }
        }
        // group numbers in enumeration order, as the kernel hands them out
        Map<Integer, Integer> number = new HashMap<>();
        for (Node n : enumerationOrder()) {
            n.group = number.computeIfAbsent(n.label, l -> number.size());
        }
        List<GroupSpec> groups = new ArrayList<>(number.size());
        for (int i = 0; i < number.size(); i++) {
            groups.add(new GroupSpec(i, DomainType.DMA_FQ));
        }
        List<DeviceSpec> specs = new ArrayList<>(all.size());
        for (Node n : all) {
            specs.add(new DeviceSpec(n.id, BusType.PCI, n.parent == null ? null : n.parent.id, n.vendor, n.device,
                    n.pciClass, null, n.name, n.driver, n.group, n.multifunction, n.type, n.acs, null, null, null));
        }
        return new Topology(String.format("generated-%d-%x", devices, seed),
                "Generated server: " + devices + " PCI functions in " + (domain + 1) + " segment(s), "
                        + number.size() + " IOMMU groups", DomainType.DMA_FQ, specs, drivers(), groups);
    }

    private static String slotKey(Node n) {
        return n.domain + "/" + n.bus + "/" + n.slot;
    }

    /** Root buses in order, each bus's functions by devfn, then the buses below its bridges (as the engine boots). */
    private List<Node> enumerationOrder() {
        Map<Long, List<Node>> rootBuses = new java.util.TreeMap<>();
        for (Node r : roots) {
            rootBuses.computeIfAbsent((long) r.domain << 8 | r.bus, k -> new ArrayList<>()).add(r);
        }
        List<Node> out = new ArrayList<>(all.size());
        for (List<Node> bus : rootBuses.values()) {
            addBus(bus, out);
        }
        return out;
    }

    private static void addBus(List<Node> bus, List<Node> out) {
        List<Node> sorted = new ArrayList<>(bus);
        sorted.sort(Comparator.comparingInt(Node::devfn));
        out.addAll(sorted);
        for (Node n : sorted) {
            if (!n.children.isEmpty()) {
                addBus(n.children, out);
            }
        }
    }

    /** pcieport, the DMA-API drivers of the generated IDs, then the override-only drivers. */
    static List<DriverSpec> drivers() {
        List<DriverSpec> d = new ArrayList<>();
        d.add(DriverSpec.pcieport());
        d.add(DriverSpec.pciKernel(NVME, "144d:a80a", "8086:0a54"));
        d.add(DriverSpec.pciKernel(MLX5, "15b3:101d"));
        d.add(DriverSpec.pciKernel(ICE, "8086:159b"));
        d.add(DriverSpec.pciKernel(NOUVEAU, "10de:2786", "10de:2204"));
        d.add(DriverSpec.pciKernel(HDA, "10de:22bc", "10de:1aef"));
        d.add(DriverSpec.pciKernel(MPTSPI, "1000:0030"));
        d.add(DriverSpec.pciKernel(E100, "8086:1229"));
        d.add(DriverSpec.pciKernel(IOAT, "8086:0b00"));
        d.add(DriverSpec.vfioPci("vfio-pci"));
        d.add(DriverSpec.pciStub("pci-stub"));
        return d;
    }

    // --- sanity check --------------------------------------------------------------------------

    /**
     * Generates machines of the given sizes (default 40 500 1000 10000 13000), boots each with its declared groups
     * and, up to 20,000 devices, again with every group left for the engine to derive ({@code pci_device_group()}),
     * and fails unless both boots put every device in the same group. Prints a summary line per size.
     */
    public static void main(String[] args) {
        int[] sizes = args.length == 0 ? new int[] {40, 500, 1000, 10000, 13000}
                : java.util.Arrays.stream(args).mapToInt(Integer::parseInt).toArray();
        for (int size : sizes) {
            long t0 = System.nanoTime();
            Topology t = generate(size);
            long t1 = System.nanoTime();
            Kernel k = Kernel.boot(t, 0);
            long t2 = System.nanoTime();
            if (k.devices().size() != size) {
                throw new AssertionError("booted " + k.devices().size() + " devices, not " + size);
            }
            String derived = "skipped (derived boot is quadratic in groups)";
            if (size <= 20_000) {
                List<DeviceSpec> bare = new ArrayList<>();
                for (DeviceSpec s : t.devices()) {
                    bare.add(s.withGroup(null));
                }
                Kernel d = Kernel.boot(new Topology("derived", "", DomainType.DMA_FQ, bare, t.drivers(), List.of()), 0);
                int differ = 0;
                for (Device dev : k.devices()) {
                    if (dev.group().id() != d.device(dev.id()).group().id()) {
                        if (differ++ < 5) {
                            System.out.println("  " + dev.id() + " (" + dev.spec().label() + "): declared group "
                                    + dev.group().id() + ", derived " + d.device(dev.id()).group().id());
                        }
                    }
                }
                if (differ > 0) {
                    throw new AssertionError(differ + " devices are in a different group when derived");
                }
                derived = "identical to pci_device_group()";
            }
            Map<String, Integer> byName = new LinkedHashMap<>();
            for (DeviceSpec s : t.devices()) {
                byName.merge(s.name(), 1, Integer::sum);
            }
            long segments = t.devices().stream().map(s -> s.id().substring(0, 4)).distinct().count();
            long rootBuses = t.devices().stream().filter(s -> s.parent() == null)
                    .map(s -> s.id().substring(0, 7)).distinct().count();
            System.out.printf("%,d devices: %d segment(s), %d root bus(es), %,d groups; generated in %d ms, "
                            + "booted in %d ms; groups %s%n  %s%n", size, segments, rootBuses, t.groups().size(),
                    (t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000, derived, byName);
        }
    }
}
