package dev.iommufx.ui.viewmodel;

import dev.iommufx.engine.GroupState;
import dev.iommufx.engine.KernelEvent;
import dev.iommufx.layout.MachineLayout;
import dev.iommufx.layout.MachineLayout.Detail;
import dev.iommufx.layout.MachineSnapshot;
import dev.iommufx.layout.StructuralLayout;
import java.util.concurrent.CompletableFuture;
import javafx.application.Platform;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ReadOnlyLongProperty;
import javafx.beans.property.ReadOnlyLongWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.SimpleBooleanProperty;

/**
 * The whole machine laid out by its structure (host bridges as blocks, groups as tiles, bridge chains and identical
 * siblings folded), for the window's overview: what a server of hundreds of functions is read with. The layout is
 * made once per machine, off the window's thread; a change of a group's state only bumps {@link #revisionProperty},
 * and the overview recolours from {@link #stateOf} without laying anything out again.
 *
 * <p>A machine of more than {@value #LARGE} devices opens in the overview, and the device graph is not built until
 * the user asks for it: a scene of thousands of cards is what made such machines slow and heavy.
 */
public final class OverviewViewModel {
    /** Devices above which a machine opens in the overview. */
    public static final int LARGE = 300;
    private final MachineViewModel machine;
    private final ReadOnlyObjectWrapper<Layouts> layouts = new ReadOnlyObjectWrapper<>(this, "layouts");
    private final ReadOnlyLongWrapper revision = new ReadOnlyLongWrapper(this, "revision");
    private final BooleanProperty shown = new SimpleBooleanProperty(this, "shown");
    /** Which machine a layout in progress is for: a newer machine's wins. */
    private long generation;
    /** The layout is not the machine's on screen: made again when the overview is shown. */
    private boolean stale = true;
    /** The groups whose state changed since the overview last took them: only their tiles are drawn again. */
    private final java.util.Set<Integer> touched = new java.util.HashSet<>();

    /** The two levels of detail of one machine: tiles at Fit, cards once zoomed in (null while being laid out). */
    public record Layouts(MachineLayout overview, MachineLayout cards) {
        /** The layout of that detail; the tiles while the cards are not ready. */
        public MachineLayout at(Detail d) {
            return d == Detail.CARDS && cards != null ? cards : overview;
        }
    }

    OverviewViewModel(MachineViewModel machine) {
        this.machine = machine;
        machine.subscribe(KernelEvent.MachineReplaced.class, e -> {
            layouts.set(null);
            stale = true;
            shown.set(machine.items().devices().size() > LARGE);
            relayoutIfShown();
        });
        machine.subscribe(KernelEvent.StructureChanged.class, e -> {
            stale = true;
            relayoutIfShown();
        });
        shown.addListener((o, was, now) -> relayoutIfShown());
        machine.subscribe(KernelEvent.StateChanged.class, e -> {
            if (!e.groupsTouched().isEmpty()) {
                touched.addAll(e.groupsTouched());
                revision.set(revision.get() + 1);
            }
        });
    }

    /** Whether the window shows the overview (true) or the device graph (false); the user may switch. */
    public BooleanProperty shownProperty() {
        return shown;
    }

    /** The machine on screen laid out; null until the first layout is done. */
    public ReadOnlyObjectProperty<Layouts> layoutsProperty() {
        return layouts.getReadOnlyProperty();
    }

    /** Bumped at every change of a group's state: the overview redraws. */
    public ReadOnlyLongProperty revisionProperty() {
        return revision.getReadOnlyProperty();
    }

    /** The groups whose state changed since the last call (the overview redraws their tiles alone). */
    public java.util.Set<Integer> takeTouched() {
        java.util.Set<Integer> out = java.util.Set.copyOf(touched);
        touched.clear();
        return out;
    }

    /** A group's state now, or null for a group the machine no longer has. */
    public GroupState stateOf(int group) {
        GroupItem g = machine.items().group(group);
        return g == null ? null : g.stateProperty().get();
    }

    /** Selects a group (a click on its tile). */
    public void select(int group) {
        machine.selectionProperty().set(Selection.group(group));
    }

    /** The group the selection is in (the group itself, or a selected device's), or -1. */
    public int selectedGroup() {
        Selection s = machine.selectionProperty().get();
        if (s == null) {
            return -1;
        }
        if (s.kind() == Selection.Kind.GROUP) {
            return Integer.parseInt(s.id());
        }
        if (s.kind() == Selection.Kind.DEVICE) {
            DeviceItem d = machine.items().device(s.id());
            Integer g = d == null ? null : d.groupId();
            return g == null ? -1 : g;
        }
        return -1;
    }

    private void relayoutIfShown() {
        if (shown.get() && stale && machine.kernel() != null) {
            stale = false;
            relayout();
        }
    }

    /** Reads the machine on this thread (the kernel's), lays it out on another, shows it back on this one. */
    private void relayout() {
        long mine = ++generation;
        MachineSnapshot snapshot = MachineSnapshot.of(machine.kernel());
        // the tiles first, which Fit shows; the cards, needed only once the user zooms in, right after
        CompletableFuture.supplyAsync(() -> StructuralLayout.compute(snapshot,
                        StructuralLayout.Options.of(Detail.OVERVIEW)))
                .thenApply(tiles -> {
                    Platform.runLater(() -> {
                        if (mine == generation) {
                            layouts.set(new Layouts(tiles, null));
                        }
                    });
                    return new Layouts(tiles, StructuralLayout.compute(snapshot,
                            StructuralLayout.Options.of(Detail.CARDS)));
                })
                .thenAccept(both -> Platform.runLater(() -> {
                    if (mine == generation) {
                        layouts.set(both);
                    }
                }));
    }
}
