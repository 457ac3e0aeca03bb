package dev.iommufx.ui.viewmodel;

import dev.iommufx.io.TopologyWriter;
import dev.iommufx.model.Topology;
import java.io.IOException;
import java.nio.file.Path;

/**
 * File → Save machine as…: the machine on screen as its source describes it (a pasted listing, a snapshot, libvirt
 * XML), written as an iommufx topology, so that an import is kept, checked with {@code check} and shared; the same
 * file {@code iommufx import FILE -o OUT.json} writes.
 */
public final class MachineFileViewModel {
    private final MachineViewModel machine;

    MachineFileViewModel(MachineViewModel machine) {
        this.machine = machine;
    }

    /**
     * Writes the machine atomically. What the user did in the simulator since opening it is not part of a machine
     * (a recording keeps that); the devices, drivers, groups and facts the source gave are.
     *
     * @return what was written, for the status bar
     */
    public String save(Path file) throws IOException {
        Topology t = machine.describedTopology();
        TopologyWriter.write(t, file);
        return "Saved the machine (" + t.devices().size() + " devices, as its source describes it; operations since"
                + " are not part of it: a recording keeps those): " + file;
    }

    /** A file name for the chooser to offer: the machine's name in letters, digits and dashes, ".json". */
    public String suggestedName() {
        String full = machine.describedTopology().name();
        String name = full.substring(0, Math.min(full.length(), 200)).toLowerCase(java.util.Locale.ROOT)
                .replaceAll("[^a-z0-9]+", "-").replaceAll("(^-+|-+$)", "");
        if (name.length() > 60) {
            name = name.substring(0, 60);
        }
        return (name.isEmpty() ? "machine" : name) + ".json";
    }
}
