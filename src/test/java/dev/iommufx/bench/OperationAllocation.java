package dev.iommufx.bench;

import dev.iommufx.engine.Device;
import dev.iommufx.engine.Errno;
import dev.iommufx.engine.Kernel;
import dev.iommufx.engine.OpResult;
import java.lang.management.ManagementFactory;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Heap bytes allocated by each kind of operation of the benchmark cycles, with its call-path frames and
 * state changes: the per-operation view behind {@code -prof gc}'s bytes per benchmark operation.
 * Runs the passthrough cycle and the refused bind over every GPU group of a generated machine
 * (default 1,000 devices; the first argument sets another size), 1,000 rounds of warm-up, then 1,000 measured.
 * Measured with the JVM's per-thread allocation counter, so the numbers do not depend on machine load.
 */
public final class OperationAllocation {
    private static final com.sun.management.ThreadMXBean MX =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    private static final Map<String, long[]> SEEN = new LinkedHashMap<>();

    private OperationAllocation() {
    }

    private static OpResult measure(String kind, Supplier<OpResult> op) {
        long thread = Thread.currentThread().getId();
        long before = MX.getThreadAllocatedBytes(thread);
        OpResult r = op.get();
        long after = MX.getThreadAllocatedBytes(thread);
        long[] v = SEEN.computeIfAbsent(kind, key -> new long[4]);
        v[0] += after - before;
        v[1]++;
        v[2] += r.frames().size();
        v[3] += r.changes().size();
        return r;
    }

    public static void main(String[] args) {
        int size = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        Kernel k = EngineBench.boot(size);
        List<Device[]> pairs = EngineBench.gpuPairs(k);
        String vfio = TopologyGenerator.VFIO_PCI;
        for (int round = 0; round < 2000; round++) {
            if (round == 1000) {
                SEEN.clear(); // the first half warms up the compilers
            }
            Device[] p = pairs.get(round % pairs.size());
            String gpu = p[0].id();
            String audio = p[1].id();
            String gpuDriver = p[0].spec().driver();
            String audioDriver = p[1].spec().driver();
            int group = p[0].group().id();
            measure("unbind (DMA-API driver)", () -> k.unbind(gpu));
            measure("unbind (DMA-API driver)", () -> k.unbind(audio));
            measure("driver_override set", () -> k.driverOverride(gpu, vfio));
            measure("driver_override set", () -> k.driverOverride(audio, vfio));
            measure("bind vfio-pci", () -> k.bind(gpu, vfio));
            measure("bind vfio-pci", () -> k.bind(audio, vfio));
            measure("open container", () -> k.vfioOpenContainer("container"));
            measure("open group", () -> k.vfioOpenGroup(group, "group"));
            measure("set container", () -> k.vfioSetContainer("group", "container"));
            measure("set iommu", () -> k.vfioSetIommu("container", "type1v2"));
            measure("get device fd", () -> k.vfioGetDeviceFd("group", gpu, "device"));
            measure("close device fd", () -> k.close("device"));
            measure("close group", () -> k.close("group"));
            measure("close container", () -> k.close("container"));
            measure("unbind vfio-pci", () -> k.unbind(gpu));
            measure("unbind vfio-pci", () -> k.unbind(audio));
            measure("driver_override clear", () -> k.driverOverride(gpu, null));
            measure("driver_override clear", () -> k.driverOverride(audio, null));
            measure("bind (DMA-API driver)", () -> k.bind(gpu, gpuDriver));
            measure("drivers_probe", () -> k.driversProbe(audio));
            // the refused bind: the group is claimed by VFIO user space while the audio function is unbound
            k.unbind(gpu);
            k.unbind(audio);
            k.driverOverride(gpu, vfio);
            k.bind(gpu, vfio);
            k.vfioOpenContainer("c");
            k.vfioOpenGroup(group, "g");
            k.vfioSetContainer("g", "c");
            OpResult refused = measure("bind refused (EBUSY)", () -> k.bind(audio, audioDriver));
            EngineBench.expect(refused, Errno.EBUSY);
            k.close("g");
            k.close("c");
            k.unbind(gpu);
            k.driverOverride(gpu, null);
            EngineBench.expect(k.bind(gpu, gpuDriver), Errno.OK);
            EngineBench.expect(k.bind(audio, audioDriver), Errno.OK);
        }
        System.out.printf("%-26s %8s %7s %8s%n", "operation", "bytes", "frames", "changes");
        for (Map.Entry<String, long[]> e : SEEN.entrySet()) {
            long[] v = e.getValue();
            System.out.printf("%-26s %8d %7d %8d%n", e.getKey(), v[0] / v[1], v[2] / v[1], v[3] / v[1]);
        }
    }
}
