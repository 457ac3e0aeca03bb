package dev.iommufx.engine;

import dev.iommufx.engine.base.BusProbe;
import dev.iommufx.engine.base.DriverCore;
import dev.iommufx.engine.base.DriverRegistry;
import dev.iommufx.engine.base.SteppedProbe;
import dev.iommufx.engine.history.Journal;
import dev.iommufx.engine.iommu.GroupTypeStore;
import dev.iommufx.engine.iommu.IommuCore;
import dev.iommufx.engine.iommu.IommuProbe;
import dev.iommufx.engine.iommufd.Iommufd;
import dev.iommufx.engine.module.ModuleLoader;
import dev.iommufx.engine.pci.BusDma;
import dev.iommufx.engine.pci.PciDriver;
import dev.iommufx.engine.pci.PciIov;
import dev.iommufx.engine.pci.PciCore;
import dev.iommufx.engine.trace.Trace;
import dev.iommufx.engine.vfio.Vfio;
import dev.iommufx.engine.vfio.VfioPciModule;

/**
 * The subsystems of one machine, wired once: each gets the state it reads, the writer, the operation's trace and
 * the subsystems it calls, the way the kernel's files call each other's functions. Only the façade and its boot
 * hold this; no subsystem sees it.
 */
record Subsystems(KernelState state, Journal journal, StateWriter writer, Trace trace, DriverCore core,
                  SteppedProbe stepped, PciCore pci, IommuCore iommu, IommuProbe iommuProbe, GroupTypeStore typeStore,
                  Vfio vfio, Iommufd iommufd, ModuleLoader modules, PciIov iov, PciDriver pciDriver) {

    static Subsystems wire(KernelState state) {
        Journal journal = new Journal();
        StateWriter w = new StateWriter(journal, state);
        Trace trace = new Trace();
        IommuCore iommu = new IommuCore(state, w, trace);
        IommuProbe iommuProbe = new IommuProbe(state, w, trace);
        GroupTypeStore typeStore = new GroupTypeStore(state, w, trace);
        Vfio vfio = new Vfio(state, w, trace, iommu);
        Iommufd iommufd = new Iommufd(state, w, trace, iommu);
        BusDma busDma = new BusDma(state, trace, iommu, iommuProbe);
        BusProbe busProbe = new BusProbe(trace, vfio);
        DriverCore core = new DriverCore(state, w, trace, busDma, busProbe);
        SteppedProbe stepped = new SteppedProbe(state, w, trace, core, busDma, busProbe);
        PciCore pci = new PciCore(state, w, trace, core, iommuProbe);
        PciDriver pciDriver = new PciDriver(w, trace, new DriverRegistry(state, w, trace, core), core);
        ModuleLoader modules = new ModuleLoader(state, w, trace, pciDriver, new VfioPciModule(trace, pciDriver));
        PciIov iov = new PciIov(state, w, trace, pci,
                module -> PciIov.kstrtobool(state.moduleOption(module, "enable_sriov")) == Boolean.TRUE);
        return new Subsystems(state, journal, w, trace, core, stepped, pci, iommu, iommuProbe, typeStore, vfio,
                iommufd, modules, iov, pciDriver);
    }
}
