/**
 * The simulated kernel of one machine: the façade callers use, the kernel objects it hands out, and the value
 * types that pass through. The kernel's code is in sub-packages split as the kernel's tree is split:
 *
 * <table>
 *   <caption>Where each kernel file's functions are</caption>
 *   <tr><th>package</th><th>models</th></tr>
 *   <tr><td>{@code engine.base}</td><td>{@code drivers/base/dd.c}, {@code bus.c}, {@code driver.c}: bind, unbind,
 *       probe and release, the bus's probe and remove callbacks</td></tr>
 *   <tr><td>{@code engine.pci}</td><td>{@code drivers/pci/}: hot remove and rescan, {@code pci_dma_configure()},
 *       ACS and DMA aliases, and {@code pci_device_group()}</td></tr>
 *   <tr><td>{@code engine.iommu}</td><td>{@code drivers/iommu/iommu.c}: DMA ownership, domains, groups,
 *       the sysfs {@code type} file</td></tr>
 *   <tr><td>{@code engine.vfio}</td><td>{@code drivers/vfio/}: group and device files, the container and
 *       its type1 backend</td></tr>
 *   <tr><td>{@code engine.iommufd}</td><td>VFIO device cdevs bound to iommufd ({@code drivers/vfio/device_cdev.c},
 *       {@code drivers/iommu/iommufd/device.c})</td></tr>
 *   <tr><td>{@code engine.history}</td><td>no kernel file: the journal of every change, undo and redo</td></tr>
 *   <tr><td>{@code engine.trace}</td><td>no kernel file: what an operation shows (its call path, WARN_ONs, log)
 *       and returns besides its errno</td></tr>
 * </table>
 *
 * <p>{@link dev.iommufx.engine.Kernel} is the door: it boots the machine ({@code Boot} builds it and wires the
 * subsystems, each with what it calls), forwards every operation to the subsystem that implements it, and runs it
 * through the history and the event channel ({@link dev.iommufx.engine.KernelEvents}). Subsystems never see the
 * façade: each gets the shared {@link dev.iommufx.engine.KernelState}, the {@link dev.iommufx.engine.StateWriter},
 * the operation's trace and the subsystems it calls, through its constructor.
 *
 * <p>The kernel objects ({@link dev.iommufx.engine.Device}, {@link dev.iommufx.engine.Driver},
 * {@link dev.iommufx.engine.IommuGroup}, {@link dev.iommufx.engine.Domain}, {@link dev.iommufx.engine.VfioGroup},
 * {@link dev.iommufx.engine.VfioContainer}, {@link dev.iommufx.engine.Handle}) live here rather than beside the
 * kernel file that defines each struct, because every subsystem reads them (as every kernel file reads
 * {@code struct device}) and callers hold them, while only the {@code StateWriter} may change them: their fields are
 * package-private, and only this package makes a writer. So every change goes through the journal, and a failed
 * operation leaves the machine exactly as it was. Subsystems read the objects through their accessors.
 *
 * <p>The engine is pure Java: it uses the model and no JavaFX, Jackson or input/output code.
 */
package dev.iommufx.engine;
