package dev.iommufx.ui.vm;

import dev.iommufx.engine.Device;
import dev.iommufx.engine.Driver;
import dev.iommufx.engine.IommuGroup;
import dev.iommufx.engine.Kernel;
import dev.iommufx.engine.KernelEvent;
import dev.iommufx.engine.KernelEvents;
import dev.iommufx.engine.OpResult;
import dev.iommufx.engine.Profile;
import dev.iommufx.engine.history.ChangeSets;
import dev.iommufx.model.Topology;
import dev.iommufx.scenario.Scenario;
import dev.iommufx.scenario.ScenarioPlayer;
import dev.iommufx.scenario.Step;
import dev.iommufx.scenario.StepKind;
import dev.iommufx.scenario.StepOutcome;
import dev.iommufx.scenario.StepRunner;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyIntegerProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * The machine on screen: the kernel, one item per group and device, the VMs, the selection and the last
 * operation. Every machine it shows is booted onto its one event channel; it refreshes only the groups and
 * devices an event names, so a bind in a 10,000-device machine touches one group. Used on the JavaFX thread;
 * testable without a stage.
 */
public final class MachineViewModel {
    /** Undo history of a machine on screen: long enough for any scenario the player steps through. */
    static final int HISTORY = 1_000_000;
    private final ObjectProperty<Kernel> kernel = new SimpleObjectProperty<>(this, "kernel");
    private final ObjectProperty<OpResult> lastResult = new SimpleObjectProperty<>(this, "lastResult");
    private final ObjectProperty<Selection> selection = new SimpleObjectProperty<>(this, "selection");
    private final BooleanProperty canUndo = new SimpleBooleanProperty(this, "canUndo");
    private final BooleanProperty canRedo = new SimpleBooleanProperty(this, "canRedo");
    private final ObservableList<String> vms = FXCollections.observableArrayList();
    private final Map<Integer, GroupItem> groups = new LinkedHashMap<>();
    private final Map<String, DeviceItem> devices = new LinkedHashMap<>();
    private final List<Consumer<OpResult>> refusalListeners = new java.util.ArrayList<>();
    private final List<Runnable> structureListeners = new java.util.ArrayList<>();
    private final ObjectProperty<ScenarioPlayer> player = new SimpleObjectProperty<>(this, "player");
    private final IntegerProperty playerStep = new SimpleIntegerProperty(this, "playerStep");
    private final ObjectProperty<Profile> profile = new SimpleObjectProperty<>(this, "profile", Profile.DEFAULT);
    /** The channel of every machine shown: subscribers stay subscribed when the machine is replaced. */
    private final KernelEvents events = new KernelEvents();
    private final Recorder recorder = new Recorder(this);
    private int nextVm = 1;

    /** A view-model showing no machine yet; a change of profile boots the machine shown again under it. */
    public MachineViewModel() {
        profile.addListener((o, was, now) -> rebootUnder(now));
        events.subscribe(KernelEvent.StateChanged.class, this::refreshTouched);
        events.subscribe(KernelEvent.StructureChanged.class, e -> {
            rebuildItems();
            structureListeners.forEach(Runnable::run);
        });
        events.subscribe(KernelEvent.HistoryChanged.class, e -> {
            canUndo.set(e.canUndo());
            canRedo.set(e.canRedo());
        });
    }

    /** Shows a freshly booted machine (replacing the current one), following the current profile's rules. */
    public void load(Topology topology) {
        boot(topology, profile.get());
    }

    /** Shows a freshly booted machine following the given profile's rules, which become the current profile. */
    public void load(Topology topology, Profile rules) {
        boot(topology, rules);
        profile.set(rules); // the kernel already follows them: no second boot
    }

    private void boot(Topology topology, Profile rules) {
        leavePlayer();
        // a recording describes one machine from its boot: another machine (opened, pasted, or the profile
        // changed) ends it; what was recorded stays, to be saved
        recorder.stop();
        Kernel previous = kernel.get();
        Kernel k = Kernel.boot(topology, HISTORY, rules, events);
        vms.clear();
        nextVm = 1;
        kernel.set(k);
        rebuildItems();
        selection.set(null);
        lastResult.set(null);
        canUndo.set(false);
        canRedo.set(false);
        events.machineReplaced(previous, k);
    }

    /** The kernel profile whose rules the machine on screen follows; setting it boots the machine again. */
    public ObjectProperty<Profile> profileProperty() {
        return profile;
    }

    public Profile profile() {
        return profile.get();
    }

    /** Boots the machine again under p (a scenario being played restarts at its boot); its undo history is lost. */
    public void setProfile(Profile p) {
        profile.set(p);
    }

    private void rebootUnder(Profile p) {
        if (kernel() == null || kernel().profile() == p) {
            return;
        }
        ScenarioPlayer playing = player.get();
        if (playing != null) {
            start(playing.scenario(), p);
        } else {
            boot(kernel().topology(), p);
        }
    }

    public ReadOnlyObjectProperty<Kernel> kernelProperty() {
        return kernel;
    }

    /** The event channel every machine shown is booted onto. */
    public KernelEvents events() {
        return events;
    }

    public Kernel kernel() {
        return kernel.get();
    }

    public ReadOnlyObjectProperty<OpResult> lastResultProperty() {
        return lastResult;
    }

    public ObjectProperty<Selection> selectionProperty() {
        return selection;
    }

    public ReadOnlyBooleanProperty canUndoProperty() {
        return canUndo;
    }

    public ReadOnlyBooleanProperty canRedoProperty() {
        return canRedo;
    }

    public ObservableList<String> vms() {
        return vms;
    }

    public GroupItem group(int id) {
        return groups.get(id);
    }

    public DeviceItem device(String id) {
        return devices.get(id);
    }

    /** Called with every refused operation (to show a notification). */
    public void onRefusal(Consumer<OpResult> l) {
        refusalListeners.add(l);
    }

    /** Called when groups appear or disappear (remove, rescan): the view lays the machine out again. */
    public void onStructureChange(Runnable r) {
        structureListeners.add(r);
    }

    // --- actions: each is a step of the scenario vocabulary, so that a recording replays exactly ------

    public OpResult moveToDriver(String device, String driver) {
        return perform(Step.of(StepKind.MOVE, "device", device, "driver", driver));
    }

    public OpResult unbind(String device) {
        return perform(Step.of(StepKind.UNBIND, "device", device));
    }

    public OpResult driverOverride(String device, String driver) {
        return perform(Step.of(StepKind.DRIVER_OVERRIDE, "device", device, "driver", driver));
    }

    public OpResult driversProbe(String device) {
        return perform(Step.of(StepKind.DRIVERS_PROBE, "device", device));
    }

    public OpResult remove(String device) {
        return perform(Step.of(StepKind.REMOVE, "device", device));
    }

    public OpResult rescan() {
        return perform(Step.of(StepKind.RESCAN));
    }

    public OpResult setGroupType(int group, String type) {
        return perform(Step.of(StepKind.SET_GROUP_TYPE, "group", group, "type", type));
    }

    /** Adds a VM (a VFIO container) named VM1, VM2, ... and returns its name. */
    public String addVm() {
        String name;
        do {
            name = "VM" + nextVm++;
        } while (kernel().handles().containsKey(name));
        perform(Step.of(StepKind.ADD_VM, "vm", name)); // the kernel's event adds it to vms (see syncVms)
        return name;
    }

    public OpResult giveGroupToVm(int group, String vm) {
        return perform(Step.of(StepKind.GIVE_GROUP_TO_VM, "group", group, "vm", vm));
    }

    /** newest: bind the device's VFIO cdev to iommufd context {@code ctx} (a per-device claim). */
    public OpResult iommufdBind(String device, String ctx) {
        return perform(Step.of(StepKind.IOMMUFD_BIND, "device", device, "ctx", ctx));
    }

    /** newest: attach the device to page table {@code hwpt} of its iommufd context. */
    public OpResult iommufdAttach(String device, String hwpt) {
        return perform(Step.of(StepKind.IOMMUFD_ATTACH, "device", device, "hwpt", hwpt));
    }

    /** newest: close the device's bound cdev (detach, then release its claim). */
    public OpResult iommufdUnbind(String device) {
        return perform(Step.of(StepKind.IOMMUFD_UNBIND, "device", device));
    }

    /** Sets the VM's IOMMU (type1v2): its groups get the VM's domain and become user-claimed. */
    public OpResult startVm(String vm) {
        return perform(Step.of(StepKind.START_VM, "vm", vm));
    }

    public OpResult takeGroupFromVm(int group) {
        GroupItem g = groups.get(group);
        String vm = g == null ? null : g.vmProperty().get();
        return perform(Step.of(StepKind.TAKE_GROUP_FROM_VM, "group", group, "vm", vm == null ? "(none)" : vm));
    }

    public void undo() {
        leavePlayer();
        lastResult.set(kernel().undo()); // the recorder hears the undo on the event channel
    }

    public void redo() {
        leavePlayer();
        lastResult.set(kernel().redo());
    }

    /** Runs steps in order (a plan), as if the user did each; stops at the first refusal. */
    public OpResult performAll(java.util.List<Step> steps) {
        OpResult last = null;
        for (Step step : steps) {
            last = perform(step);
            if (!last.ok()) {
                break;
            }
        }
        return last;
    }

    /** Runs a step the user asked for: leaves a scenario being played, records it when recording. */
    private OpResult perform(Step step) {
        leavePlayer();
        OpResult r = StepRunner.apply(kernel(), step);
        recorder.performed(step, r, kernel());
        return record(r);
    }

    private OpResult record(OpResult r) {
        lastResult.set(r);
        if (!r.ok()) {
            refusalListeners.forEach(l -> l.accept(r));
        }
        return r;
    }

    // --- scenarios --------------------------------------------------------------------------------

    /** Shows the scenario's machine at boot under the scenario's profile, ready to be stepped through. */
    public ScenarioPlayer play(Scenario s) {
        ScenarioPlayer p = start(s, s.profile());
        profile.set(s.profile()); // the kernel already follows it: nothing boots again
        return p;
    }

    private ScenarioPlayer start(Scenario s, Profile rules) {
        boot(s.topology(), rules);
        ScenarioPlayer p = new ScenarioPlayer(s, kernel());
        playerStep.set(0);
        player.set(p);
        return p;
    }

    public ReadOnlyObjectProperty<ScenarioPlayer> playerProperty() {
        return player;
    }

    /** Moves the scenario being played to the state after {@code position} steps. */
    public void playTo(int position) {
        ScenarioPlayer p = player.get();
        if (p == null) {
            return;
        }
        int from = p.position();
        p.jumpTo(position);
        StepOutcome shown = p.position() == 0 ? null : p.outcome(p.position() - 1);
        if (p.position() != from) {
            lastResult.set(shown == null ? null : shown.result());
            playerStep.set(p.position());
        }
    }

    /** The position of the scenario being played (steps applied). */
    public ReadOnlyIntegerProperty playerStepProperty() {
        return playerStep;
    }

    private void leavePlayer() {
        if (player.get() != null) {
            player.set(null);
        }
    }

    public Recorder recorder() {
        return recorder;
    }

    // --- following the kernel ---------------------------------------------------------------------

    /** Refreshes what a change touched; when devices or groups came or went, StructureChanged follows and rebuilds. */
    private void refreshTouched(KernelEvent.StateChanged e) {
        Kernel k = kernel();
        for (Integer id : e.groupsTouched()) {
            IommuGroup g = k.group(id);
            GroupItem item = groups.get(id);
            if (g != null && item != null) {
                item.refresh(g);
            }
        }
        for (String id : ChangeSets.devicesTouched(e.changes())) {
            DeviceItem item = devices.get(id);
            if (item != null) {
                item.refresh();
                refreshGroupOf(item.device());
            }
        }
        syncVms(k);
    }

    private void refreshGroupOf(Device d) {
        if (d.group() != null && groups.containsKey(d.group().id())) {
            groups.get(d.group().id()).refresh(d.group());
        }
    }

    /** VMs are containers; one closed elsewhere (undo of "add VM") leaves the list. */
    private void syncVms(Kernel k) {
        Set<String> open = new TreeSet<>();
        k.handles().forEach((name, h) -> {
            if (h.container() != null) {
                open.add(name);
            }
        });
        vms.removeIf(v -> !open.contains(v));
        for (String name : open) {
            if (!vms.contains(name)) {
                vms.add(name);
            }
        }
    }

    private void rebuildItems() {
        Kernel k = kernel();
        groups.clear();
        for (IommuGroup g : k.groups()) {
            GroupItem item = new GroupItem(g.id());
            item.refresh(g);
            groups.put(g.id(), item);
        }
        devices.clear();
        for (Device d : k.devices()) {
            if (d.isPresent()) {
                devices.put(d.id(), new DeviceItem(d));
            }
        }
        syncVms(k);
    }

    /** Drivers on the device's bus that could take it, and whether only through driver_override. */
    public Map<Driver, Boolean> candidateDrivers(String deviceId) {
        Map<Driver, Boolean> out = new LinkedHashMap<>();
        Device d = kernel().device(deviceId);
        for (Driver drv : kernel().drivers()) {
            if (drv.bus() == d.bus()) {
                out.put(drv, !drv.spec().match().matchesTable(d.spec()));
            }
        }
        return out;
    }
}
