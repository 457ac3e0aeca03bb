package dev.iommufx.ui.viewmodel;

import dev.iommufx.engine.Device;
import dev.iommufx.engine.boot.BootReport;
import dev.iommufx.engine.boot.BootSimulation;
import dev.iommufx.io.FormatException;
import dev.iommufx.io.boot.BootConfigReader;
import dev.iommufx.io.boot.ConfigFiles;
import dev.iommufx.model.boot.BootConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * "Boot with a configuration": the machine on screen booted with the boot configuration's files (kernel-model §2.7):
 * which driver each device ends on, at which stage and by which rule, and the warnings; then, if the user wants,
 * the window shows that machine.
 */
public final class BootViewModel {
    /** The files a user edits first, each at its path on the machine. */
    public static final List<String> COMMON_FILES = List.of("etc/kernel/cmdline", "etc/modprobe.d/vfio.conf",
            "etc/initramfs-tools/modules", "etc/modules", "etc/dracut.conf.d/vfio.conf", "etc/mkinitcpio.conf");

    /** One device after the boot: its driver, and when and why it got it. */
    public record Row(String device, String label, String driver, String stage, String rule) {
    }

    private final MachineViewModel machine;
    private final Map<String, String> files = new LinkedHashMap<>();
    private final ObservableList<Row> rows = FXCollections.observableArrayList();
    private final ObservableList<String> warnings = FXCollections.observableArrayList();
    private final ReadOnlyStringWrapper problem = new ReadOnlyStringWrapper("");
    private BootConfig booted;

    BootViewModel(MachineViewModel machine) {
        this.machine = machine;
        COMMON_FILES.forEach(f -> files.put(f, ""));
    }

    /** The files as the user last left them (path to text; empty text: no such file). */
    public Map<String, String> files() {
        return files;
    }

    public ObservableList<Row> rows() {
        return rows;
    }

    /** The classic mistakes the boot shows, then what it could not follow. */
    public ObservableList<String> warnings() {
        return warnings;
    }

    /** Why the files could not be read ("etc/modprobe.d/vfio.conf:2:1: ..."), or empty. */
    public ReadOnlyStringProperty problemProperty() {
        return problem.getReadOnlyProperty();
    }

    /** Takes the boot configuration files of a directory that holds a copy of the machine's. */
    public void loadDirectory(Path dir) {
        try {
            BootConfigReader.read(dir); // refuses what it cannot read, with the place
            ConfigFiles disk = ConfigFiles.of(dir);
            Map<String, String> found = new LinkedHashMap<>();
            for (String d : List.of("etc/modprobe.d", "etc/modules-load.d", "etc/driverctl.d", "etc/dracut.conf.d",
                    "etc/mkinitcpio.conf.d", "etc/default/grub.d", "etc/initramfs-tools/conf.d")) {
                for (String f : disk.list(d, "")) {
                    found.put(f, disk.read(f));
                }
            }
            for (String f : List.of("etc/kernel/cmdline", "etc/default/grub", "proc/cmdline", "etc/modules",
                    "etc/initramfs-tools/modules", "etc/initramfs-tools/initramfs.conf", "etc/dracut.conf",
                    "etc/mkinitcpio.conf")) {
                String text = disk.read(f);
                if (text != null) {
                    found.put(f, text);
                }
            }
            files.clear();
            COMMON_FILES.forEach(f -> files.put(f, ""));
            files.putAll(found);
            problem.set("");
        } catch (FormatException e) {
            problem.set(e.getMessage());
        }
    }

    /** Boots the machine on screen's own description with the files; false when they cannot be read. */
    public boolean boot() {
        Map<String, String> nonEmpty = new LinkedHashMap<>();
        files.forEach((path, text) -> {
            if (text != null && !text.isBlank()) {
                nonEmpty.put(path, text);
            }
        });
        try {
            booted = BootConfigReader.read(ConfigFiles.inMemory(nonEmpty));
        } catch (FormatException e) {
            problem.set(e.getMessage());
            rows.clear();
            warnings.clear();
            booted = null;
            return false;
        }
        problem.set("");
        BootReport r = BootSimulation.boot(machine.describedTopology(), machine.profile(), booted);
        List<Row> out = new ArrayList<>();
        for (Device d : r.kernel().devices()) {
            if (d.isPresent()) {
                BootReport.Binding b = r.bindings().get(d.id());
                out.add(new Row(d.id(), d.spec().label(), d.driver() == null ? "no driver" : d.driver().name(),
                        b == null ? "" : b.stage().title(), b == null ? "" : b.rule()));
            }
        }
        rows.setAll(out);
        List<String> all = new ArrayList<>(r.warnings());
        r.notes().forEach(n -> all.add("note: " + n));
        warnings.setAll(all);
        return true;
    }

    /** Whether a boot succeeded, so the window can show that machine. */
    public boolean canShow() {
        return booted != null;
    }

    /** The window shows the machine as the last boot left it. */
    public void show() {
        if (booted != null) {
            machine.loadBooted(machine.describedTopology(), booted);
        }
    }
}
