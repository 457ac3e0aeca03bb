package dev.iommufx.ui.viewmodel;

import dev.iommufx.engine.KernelEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import javafx.beans.property.ReadOnlyIntegerProperty;
import javafx.beans.property.ReadOnlyIntegerWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * The tool bar's search: every device whose address, name, vendor:device IDs ("10de:1db4") or driver contains the
 * query (ignoring case), in the machine's order, and the one of them the user is on. Typing goes to the first match,
 * {@link #next()} and {@link #previous()} walk the others and wrap around; the match gone to is selected, so that
 * the inspector shows it. Another machine on screen clears the search; a change of drivers or devices finds the
 * matches again and stays on the same device when it still matches.
 */
public final class SearchViewModel {
    private final MachineViewModel machine;
    private final StringProperty query = new SimpleStringProperty(this, "query", "");
    private final ObservableList<DeviceItem> matches = FXCollections.observableArrayList();
    private final ObservableList<DeviceItem> readOnlyMatches = FXCollections.unmodifiableObservableList(matches);
    private final ReadOnlyIntegerWrapper index = new ReadOnlyIntegerWrapper(this, "index", -1);
    private final ReadOnlyObjectWrapper<DeviceItem> current = new ReadOnlyObjectWrapper<>(this, "current");
    private final ReadOnlyStringWrapper countText = new ReadOnlyStringWrapper(this, "countText", "");
    private final List<Consumer<DeviceItem>> visitors = new ArrayList<>();

    /** Made by the machine's view-model once its items follow the kernel's events, so that it hears them after. */
    SearchViewModel(MachineViewModel machine) {
        this.machine = machine;
        query.addListener((o, was, now) -> search());
        machine.subscribe(KernelEvent.MachineReplaced.class, e -> clear());
        // a driver's name is searched, and a device removed or rescanned is a new item: the matches are found again
        machine.subscribe(KernelEvent.StateChanged.class, e -> findAgain());
        machine.subscribe(KernelEvent.StructureChanged.class, e -> findAgain());
    }

    /** What the user typed; each change finds the matches and goes to the first. */
    public StringProperty queryProperty() {
        return query;
    }

    /** Every matching device, in the machine's order; empty while the query is blank. */
    public ObservableList<DeviceItem> matches() {
        return readOnlyMatches;
    }

    /** The position of the current match in {@link #matches()}, or -1 when there is none. */
    public ReadOnlyIntegerProperty indexProperty() {
        return index.getReadOnlyProperty();
    }

    /** The match the user is on, or null. */
    public ReadOnlyObjectProperty<DeviceItem> currentProperty() {
        return current.getReadOnlyProperty();
    }

    /** "3 of 16", "16 matches" (none gone to yet), "no match", or empty while the query is blank. */
    public ReadOnlyStringProperty countTextProperty() {
        return countText.getReadOnlyProperty();
    }

    /**
     * Calls the listener each time the search goes to a match, even the one it is on already (the user may have
     * scrolled away), with that device; with null when a query was typed that matches nothing.
     */
    public void onVisit(Consumer<DeviceItem> listener) {
        visitors.add(listener);
    }

    /** Goes to the match after the current one, from the last back to the first. */
    public void next() {
        if (!matches.isEmpty()) {
            goTo(Math.floorMod(index.get() + 1, matches.size()));
        }
    }

    /** Goes to the match before the current one, from the first back to the last. */
    public void previous() {
        if (!matches.isEmpty()) {
            // with no current match, -1 goes to the last
            goTo(Math.floorMod((index.get() < 0 ? 0 : index.get()) - 1, matches.size()));
        }
    }

    /** Forgets the query, the matches and the current one (the selection stays as it is). */
    public void clear() {
        if (query.get().isEmpty()) {
            search(); // another machine: the matches were its devices
        } else {
            query.set("");
        }
    }

    /** The status bar's words: "Found 0000:3b:00.0 (NVIDIA V100) — 3 of 16", "No device matches 'x'", or null. */
    public String statusText() {
        String q = query.get().strip();
        DeviceItem d = current.get();
        if (d != null) {
            return "Found " + d.id() + describe(d) + " — " + countText.get();
        }
        if (q.isEmpty()) {
            return null;
        }
        return matches.isEmpty() ? "No device matches '" + q + "'" : countText.get() + " of '" + q + "'";
    }

    /** The device's name, or its vendor:device IDs when it has no name of its own. */
    private static String describe(DeviceItem d) {
        if (!d.label().equals(d.id())) {
            return " (" + d.label() + ")";
        }
        return d.vendorDevice() == null ? "" : " (" + d.vendorDevice() + ")";
    }

    /** The query changed: finds its matches and goes to the first. */
    private void search() {
        matches.setAll(find(query.get()));
        if (matches.isEmpty()) {
            setCurrent(-1);
            if (!query.get().isBlank()) {
                visited(null);
            }
        } else {
            goTo(0);
        }
    }

    /** The machine changed under the same query: stays on the current device when it still matches. */
    private void findAgain() {
        if (query.get().isBlank()) {
            return;
        }
        String on = current.get() == null ? null : current.get().id();
        List<DeviceItem> found = find(query.get());
        if (!found.equals(matches)) {
            matches.setAll(found);
        }
        int at = -1;
        for (int i = 0; on != null && i < found.size(); i++) {
            if (found.get(i).id().equals(on)) {
                at = i;
                break;
            }
        }
        setCurrent(at);
    }

    private List<DeviceItem> find(String text) {
        String q = text.strip().toLowerCase(Locale.ROOT);
        List<DeviceItem> found = new ArrayList<>();
        if (q.isEmpty()) {
            return found;
        }
        for (DeviceItem d : machine.items().devices()) {
            String driver = d.driverProperty().get();
            if (d.searchText().contains(q) || driver != null && driver.toLowerCase(Locale.ROOT).contains(q)) {
                found.add(d);
            }
        }
        return found;
    }

    private void goTo(int i) {
        setCurrent(i);
        machine.selectionProperty().set(Selection.device(current.get().id()));
        visited(current.get());
    }

    private void setCurrent(int i) {
        index.set(i);
        current.set(i < 0 ? null : matches.get(i));
        countText.set(query.get().isBlank() ? ""
                : matches.isEmpty() ? "no match"
                : i >= 0 ? (i + 1) + " of " + matches.size()
                : matches.size() == 1 ? "1 match" : matches.size() + " matches");
    }

    private void visited(DeviceItem d) {
        for (Consumer<DeviceItem> v : visitors) {
            v.accept(d);
        }
    }
}
