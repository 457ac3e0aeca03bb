package dev.iommufx.engine;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Turns a record's step (the runner's vocabulary: {@code unbind A}, {@code group_open G A}, ...) into the
 * engine operation a user would have performed. Steps the runner decided itself (synthetic no-ops,
 * {@code snapshot}, {@code join}, {@code container_check}) and the recorder looking around the guest ({@code sh}
 * {@code lsmod}, {@code ls}) perform nothing and return null.
 */
final class FixtureReplay {
    private final FixtureRecord rec;
    private final Kernel k;

    FixtureReplay(FixtureRecord rec, Kernel k) {
        this.rec = rec;
        this.k = k;
    }

    OpResult apply(JsonNode step, JsonNode previous) {
        String op = step.get("op").asText();
        JsonNode a = step.get("args");
        boolean synthetic = step.get("result").path("synthetic").asBoolean(false);
        if (synthetic && !op.equals("close")) {
            return null;
        }
        return switch (op) {
            case "snapshot", "join", "container_check", "sh" -> null;
            case "modprobe" -> k.modprobe(a.get(0).asText(), null);
            case "rmmod" -> k.rmmod(a.get(0).asText());
            case "unbind", "ensure_unbound" -> k.unbind(dev(a, 0));
            case "override" -> k.driverOverride(dev(a, 0), a.get(1).asText().equals("-") ? null : a.get(1).asText());
            case "probe" -> k.driversProbe(dev(a, 0));
            case "bind" -> k.bind(dev(a, 1), driver(a.get(0).asText(), a.get(1).asText()));
            case "remove" -> k.remove(dev(a, 0));
            case "rescan" -> k.rescan();
            case "settype" -> k.setGroupType(groupOf(dev(a, 0), step), a.get(1).asText());
            case "container_open" -> k.vfioOpenContainer(a.get(0).asText());
            case "group_open" -> k.vfioOpenGroup(groupOf(dev(a, 1), previous), a.get(0).asText());
            case "group_status" -> k.vfioGroupStatus(a.get(0).asText());
            case "set_container" -> k.vfioSetContainer(a.get(0).asText(), a.get(1).asText());
            case "unset_container" -> k.vfioUnsetContainer(a.get(0).asText());
            case "set_iommu" -> k.vfioSetIommu(a.get(0).asText(), a.get(1).asText());
            case "device_open" -> k.vfioGetDeviceFd(a.get(1).asText(), dev(a, 2), a.get(0).asText());
            case "dma_map" -> k.vfioDmaMap(a.get(0).asText(), Long.decode(a.get(1).asText()), Long.decode(a.get(2).asText()));
            case "dma_unmap" -> k.vfioDmaUnmap(a.get(0).asText(), Long.decode(a.get(1).asText()), Long.decode(a.get(2).asText()));
            case "close" -> k.close(a.get(0).asText());
            case "spawn" -> spawn(a);
            case "write" -> write(a.get(0).asText(), a.get(1).asText());
            default -> throw new IllegalArgumentException("unknown record op " + op);
        };
    }

    /** {@code spawn U unbind A}: the unbind runs in a background process; the engine reports it pending. */
    private OpResult spawn(JsonNode a) {
        if (!a.get(1).asText().equals("unbind")) {
            throw new IllegalArgumentException("unknown background op " + a);
        }
        return k.unbind(rec.bdf(a.get(2).asText()));
    }

    /** {@code write /sys/bus/pci/devices/@ALIAS/ATTR VALUE}: the sysfs attributes the engine models. */
    private OpResult write(String path, String value) {
        String[] parts = path.split("/");
        String attr = parts[parts.length - 1];
        String device = rec.bdf(parts[parts.length - 2].replace("@", ""));
        return switch (attr) {
            case "sriov_numvfs" -> k.sriovNumvfs(device, Long.parseLong(value));
            case "sriov_drivers_autoprobe" -> k.sriovDriversAutoprobe(device, value);
            default -> throw new IllegalArgumentException("unknown sysfs attribute " + path);
        };
    }

    private String dev(JsonNode args, int i) {
        return rec.bdf(args.get(i).asText());
    }

    private String driver(String name, String alias) {
        return name.equals("@boot") ? rec.bootDrivers.get(alias) : name;
    }

    /** The group the device was in, as the record's state shows (before the step, or after it). */
    private static int groupOf(String bdf, JsonNode step) {
        return step.get("state").get("devices").get(bdf).get("group").asInt();
    }
}
