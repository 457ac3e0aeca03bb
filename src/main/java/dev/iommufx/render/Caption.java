package dev.iommufx.render;

import dev.iommufx.engine.Device;
import dev.iommufx.engine.GroupState;
import dev.iommufx.engine.IommuGroup;
import dev.iommufx.engine.Kernel;
import dev.iommufx.engine.Profile;
import java.util.EnumMap;
import java.util.Map;

/**
 * What a picture says about itself in its legend.
 *
 * @param machine   the machine's name
 * @param profile   the kernel profile whose rules made the groups' states
 * @param moment    "after boot", or "after step 7 of 9" of a scenario
 * @param functions how many devices the machine has
 * @param counts    how many groups are in each state
 */
public record Caption(String machine, Profile profile, String moment, int functions, Map<GroupState, Integer> counts) {
    public Caption {
        counts = Map.copyOf(counts);
    }

    /** The machine as the kernel has it now. */
    public static Caption of(Kernel k, String moment) {
        Map<GroupState, Integer> counts = new EnumMap<>(GroupState.class);
        for (IommuGroup g : k.groups()) {
            counts.merge(g.state(), 1, Integer::sum);
        }
        int present = (int) k.devices().stream().filter(Device::isPresent).count();
        return new Caption(k.topology().name(), k.profile(), moment, present, counts);
    }

    /** "workstation — kernel 6.1: Linux 6.1 (the reference) — after boot — 14 devices, 12 groups". */
    String headline() {
        int groups = counts.values().stream().mapToInt(Integer::intValue).sum();
        return machine + " — kernel " + profile.key() + ": " + profile.title() + " — " + moment + " — " + functions
                + " devices, " + groups + " groups";
    }
}
