/**
 * The driver core, {@code drivers/base/}: the sysfs files of {@code bus.c} ({@code bind_store()},
 * {@code unbind_store()}, {@code drivers_probe_store()}), {@code driver_override} ({@code driver.c}), and the probe
 * and release paths of {@code dd.c} ({@code device_attach()}, {@code really_probe()},
 * {@code __device_release_driver()}), also one phase at a time ({@link dev.iommufx.engine.base.SteppedProbe}).
 * The bus's callbacks that {@code dd.c} calls ({@code call_driver_probe()} → {@code pci_device_probe()},
 * {@code device_remove()}) are in {@link dev.iommufx.engine.base.BusProbe}; the bus's {@code dma_configure} is
 * PCI's ({@code engine.pci}).
 */
package dev.iommufx.engine.base;
