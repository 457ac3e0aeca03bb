package dev.iommufx.io.imports;

import dev.iommufx.io.Limits;
import dev.iommufx.model.DeviceFacts;
import dev.iommufx.model.MachineFacts;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The facts an import collects beside the machine (the kernel command line, kernel log lines, reset methods,
 * boot VGA...), turned into {@link MachineFacts} once the machine is built. What a source states first is kept;
 * the kernel log is kept up to {@link Limits#FACT_LOG_LINES} lines, each cut to {@link #LOG_LINE} characters.
 */
final class FactsDraft {
    /** Characters kept of one kernel log line (the kernel's own are at most 1024). */
    static final int LOG_LINE = 1024;

    private String cmdline;
    private String kernel;
    private Boolean iommuGroups;
    private Set<String> units;
    private List<String> log;
    private boolean logTruncated;
    private final Map<String, String> parameters = new LinkedHashMap<>();
    private Set<String> groupTypes;
    private final Map<String, DeviceFacts> devices = new LinkedHashMap<>();
    private boolean bootVgaFromSysfs;
    private String bootVgaFromLog;

    void cmdline(String line) {
        if (cmdline == null && line != null && !line.isBlank()) {
            cmdline = line.strip();
        }
    }

    void kernel(String version) {
        if (kernel == null && version != null && !version.isBlank()) {
            kernel = version.strip();
        }
    }

    /** @param listed true when the source lists IOMMU groups, false when a whole sysfs view has none */
    void iommuGroups(boolean listed) {
        iommuGroups = iommuGroups == null ? listed : iommuGroups || listed;
    }

    /** The source lists the IOMMU units; {@code name} null for a list that turned out empty. */
    void iommuUnit(String name) {
        units = units == null ? new TreeSet<>() : units;
        if (name != null) {
            units.add(name);
        }
    }

    /** A kernel log line (without its timestamp) worth keeping; the first {@link Limits#FACT_LOG_LINES} are kept. */
    void logLine(String line) {
        log = log == null ? new ArrayList<>() : log;
        if (log.size() >= Limits.FACT_LOG_LINES) {
            logTruncated = true;
            return;
        }
        log.add(line.length() > LOG_LINE ? line.substring(0, LOG_LINE) : line);
    }

    /** The source holds a kernel log, though perhaps no line worth keeping. */
    void hasLog() {
        log = log == null ? new ArrayList<>() : log;
    }

    /**
     * Whether the source says something of the IOMMU without listing a device: a kernel command line, or kernel log
     * lines kept for what they say (DMAR, AMD-Vi, interrupt remapping, the default domain, the boot VGA device).
     */
    boolean saysSomethingOfTheIommu() {
        return cmdline != null || (log != null && !log.isEmpty());
    }

    /** The command line's option that turns the IOMMU off ({@code intel_iommu=off}), or null. */
    String turnsIommuOff() {
        return cmdline == null ? null : dev.iommufx.model.boot.KernelCommandLine.parse(cmdline).iommuTurnedOffBy();
    }

    boolean logTruncated() {
        return logTruncated;
    }

    void parameter(String module, String name, String value) {
        if (parameters.size() < Limits.FACT_PARAMETERS) {
            parameters.putIfAbsent(module + "." + name, value);
        }
    }

    void groupType(String type) {
        groupTypes = groupTypes == null ? new TreeSet<>() : groupTypes;
        groupTypes.add(type);
    }

    void reset(String id, List<String> methods, DeviceFacts.ResetSource from) {
        DeviceFacts f = device(id);
        if (f.resetFrom() == null || precedence(from) < precedence(f.resetFrom())) {
            devices.put(id, f.withReset(methods, from));
        }
    }

    /** Only whether some reset method exists ({@code [R]}); a source that names the methods wins. */
    void resettable(String id, boolean some) {
        DeviceFacts f = device(id);
        if (f.resetFrom() == null) {
            devices.put(id, f.withResettable(some));
        }
    }

    /** sysfs {@code boot_vga}: beats what the kernel log says. */
    void bootVga(String id, boolean boot) {
        bootVgaFromSysfs = true;
        devices.put(id, device(id).withBootVga(boot));
    }

    /**
     * The kernel log's "vgaarb: setting as boot VGA device": the last such line wins (the next one says
     * "overriding previous"), and the previous device is no longer the boot device; sysfs beats the log.
     */
    void bootVgaFromLog(String id) {
        if (bootVgaFromSysfs) {
            return;
        }
        if (bootVgaFromLog != null && !bootVgaFromLog.equals(id)) {
            devices.put(bootVgaFromLog, device(bootVgaFromLog).withBootVga(false));
        }
        devices.put(id, device(id).withBootVga(true));
        bootVgaFromLog = id;
    }

    void enabledVfs(String id, int vfs) {
        devices.put(id, device(id).withEnabledVfs(vfs));
    }

    /** What is known of one device so far. */
    DeviceFacts device(String id) {
        return devices.getOrDefault(id, DeviceFacts.NONE);
    }

    /** The kernel's own list beats what the configuration space shows, which beats a bare "some reset". */
    private static int precedence(DeviceFacts.ResetSource s) {
        return switch (s) {
            case RESET_METHOD -> 0;
            case CONFIG_SPACE -> 1;
            case RESET_FILE -> 2;
        };
    }

    /** @param ids the devices of the machine built: facts about others are dropped */
    MachineFacts build(Set<String> ids) {
        Map<String, DeviceFacts> kept = new LinkedHashMap<>(devices);
        kept.keySet().retainAll(ids);
        return new MachineFacts(cmdline, kernel, iommuGroups, units == null ? null : List.copyOf(units), log,
                parameters, groupTypes == null ? null : List.copyOf(groupTypes), kept);
    }
}
