package dev.iommufx.plan;

import dev.iommufx.engine.Device;
import dev.iommufx.engine.Driver;
import dev.iommufx.engine.IommuGroup;
import dev.iommufx.engine.Kernel;
import dev.iommufx.model.BusType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A sysfs look-alike in a directory, laid out like the real one: device directories under
 * {@code devices/pci0000:00/}, {@code bus/pci/devices/<bdf>} symlinks to them, a {@code driver} symlink
 * {@code ../../../bus/pci/drivers/<name>}, drivers' {@code bind} and {@code unbind} as plain files, and
 * {@code kernel/iommu_groups/<n>/devices/<bdf>} symlinks. No kernel acts on the writes: the files just keep them.
 */
final class FakeSysfs {
    final Path root;

    private FakeSysfs(Path root) {
        this.root = root;
    }

    /** Builds the tree for every present PCI device of a booted machine and every PCI driver it declares. */
    static FakeSysfs of(Kernel k, Path root) throws IOException {
        FakeSysfs s = new FakeSysfs(root);
        Files.createDirectories(root.resolve("bus/pci/devices"));
        for (Driver d : k.drivers()) {
            if (d.bus() == BusType.PCI) {
                s.addDriver(d.name());
            }
        }
        for (Device d : k.devices()) {
            if (!d.isPresent() || d.bus() != BusType.PCI) {
                continue;
            }
            Path dir = s.deviceDir(d.id());
            Files.createDirectories(dir);
            write(dir.resolve("vendor"), String.format("0x%04x%n", d.spec().vendor()));
            write(dir.resolve("device"), String.format("0x%04x%n", d.spec().device()));
            write(dir.resolve("class"), String.format("0x%06x%n", d.spec().pciClass()));
            write(dir.resolve("driver_override"), "");
            Files.createSymbolicLink(root.resolve("bus/pci/devices").resolve(d.id()),
                    Path.of("../../../devices/pci0000:00").resolve(d.id()));
            if (d.sysfsDriver() != null) {
                Files.createSymbolicLink(dir.resolve("driver"),
                        Path.of("../../../bus/pci/drivers").resolve(d.sysfsDriver().name()));
            }
            IommuGroup g = d.group();
            if (g != null) {
                Path members = root.resolve("kernel/iommu_groups/" + g.id() + "/devices");
                Files.createDirectories(members);
                Files.createSymbolicLink(members.resolve(d.id()),
                        Path.of("../../../../devices/pci0000:00").resolve(d.id()));
            }
        }
        return s;
    }

    void addDriver(String name) throws IOException {
        Path dir = driverDir(name);
        Files.createDirectories(dir);
        write(dir.resolve("bind"), "");
        write(dir.resolve("unbind"), "");
    }

    Path deviceDir(String bdf) {
        return root.resolve("devices/pci0000:00").resolve(bdf);
    }

    Path driverDir(String name) {
        return root.resolve("bus/pci/drivers").resolve(name);
    }

    String read(Path file) throws IOException {
        return Files.readString(file, StandardCharsets.UTF_8);
    }

    String driverOverride(String bdf) throws IOException {
        return read(deviceDir(bdf).resolve("driver_override"));
    }

    String bindOf(String driver) throws IOException {
        return read(driverDir(driver).resolve("bind"));
    }

    String unbindOf(String driver) throws IOException {
        return read(driverDir(driver).resolve("unbind"));
    }

    /** Every regular file under the root and its content: what "nothing changed" compares. */
    java.util.Map<String, String> contents() throws IOException {
        java.util.Map<String, String> out = new java.util.TreeMap<>();
        try (java.util.stream.Stream<Path> all = Files.walk(root)) {
            for (Path p : all.filter(Files::isRegularFile).toList()) {
                out.put(root.relativize(p).toString(), read(p));
            }
        }
        return out;
    }

    static void write(Path file, String text) throws IOException {
        Files.writeString(file, text, StandardCharsets.UTF_8);
    }
}
