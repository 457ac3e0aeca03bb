package dev.iommufx.ui.panels;

import dev.iommufx.engine.Device;
import dev.iommufx.engine.Driver;
import dev.iommufx.engine.GroupState;
import dev.iommufx.engine.Handle;
import dev.iommufx.engine.IommuGroup;
import dev.iommufx.engine.Kernel;
import dev.iommufx.engine.OpResult;
import dev.iommufx.ui.vm.Selection;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javafx.beans.value.ObservableValue;
import javafx.collections.FXCollections;
import javafx.scene.layout.VBox;
import org.controlsfx.control.PropertySheet;

/** The selected device, group, driver or VM, field by field, with the kernel's names for them. */
public final class InspectorPanel extends VBox {
    private final PropertySheet sheet = new PropertySheet();

    public InspectorPanel() {
        setId("inspector");
        sheet.setMode(PropertySheet.Mode.CATEGORY);
        sheet.setModeSwitcherVisible(false);
        sheet.setSearchBoxVisible(false);
        getChildren().add(sheet);
        VBox.setVgrow(sheet, javafx.scene.layout.Priority.ALWAYS);
    }

    public void show(Kernel k, Selection s, OpResult last) {
        List<PropertySheet.Item> items = new ArrayList<>();
        if (s != null) {
            switch (s.kind()) {
                case DEVICE -> device(items, k.device(s.id()));
                case GROUP -> group(items, k.group(Integer.parseInt(s.id())));
                case DRIVER -> driver(items, k, s.id());
                case VM -> vm(items, k.handles().get(s.id()));
            }
        }
        if (last != null) {
            items.add(item("Last operation", "operation", last.operation()));
            items.add(item("Last operation", "result", last.resultLabel()));
            if (last.cause() != null) {
                items.add(item("Last operation", "refused in", last.cause().function() + ": " + last.cause().reason()));
            }
        }
        sheet.getItems().setAll(FXCollections.observableArrayList(items));
    }

    /** The value shown for a field, for tests: "owner_cnt" → "2". */
    public String value(String name) {
        return sheet.getItems().stream().filter(i -> i.getName().equals(name)).map(i -> String.valueOf(i.getValue()))
                .findFirst().orElse(null);
    }

    private static void device(List<PropertySheet.Item> items, Device d) {
        if (d == null) {
            return;
        }
        String c = "Device " + d.id();
        items.add(item(c, "name", d.spec().label()));
        items.add(item(c, "bus", d.bus().sysfsName()));
        if (d.bdf() != null) {
            items.add(item(c, "vendor:device", d.spec().vendorDevice()));
            items.add(item(c, "class", String.format("%06x", d.spec().pciClass())));
            items.add(item(c, "PCIe type", d.spec().pcieType() == null ? "conventional PCI" : d.spec().pcieType().key()));
        }
        items.add(item(c, "driver", d.sysfsDriver() == null ? "none" : d.sysfsDriver().name()));
        items.add(item(c, "driver_override", d.driverOverride() == null ? "(none)" : d.driverOverride()));
        items.add(item(c, "driver_managed_dma", d.driver() == null ? "-" : String.valueOf(d.driver().driverManagedDma())));
        items.add(item(c, "IOMMU group", d.group() == null ? "none" : String.valueOf(d.group().id())));
        items.add(item(c, "open VFIO device fds", String.valueOf(d.openVfioHandles())));
        if (d.releasePending()) {
            items.add(item(c, "pending", "unbind waits until its VFIO device fd is closed"));
        }
        if (d.group() != null) {
            group(items, d.group());
        }
    }

    private static void group(List<PropertySheet.Item> items, IommuGroup g) {
        if (g == null) {
            return;
        }
        String c = "IOMMU group " + g.id();
        items.add(item(c, "state", g.state().label() + " (" + GroupState.code(g) + ")"));
        items.add(item(c, "owner_cnt", String.valueOf(g.ownerCount())));
        items.add(item(c, "owner", g.owner() == null ? "none" : g.owner()));
        items.add(item(c, "current domain", g.domainLabel()));
        items.add(item(c, "default domain type", g.sysfsType()));
        items.add(item(c, "members", String.join(", ", g.devices().stream().map(Device::id).toList())));
        items.add(item(c, "/dev/vfio", g.vfioGroup() == null ? "none" : g.vfioGroup().toString()));
    }

    private static void driver(List<PropertySheet.Item> items, Kernel k, String name) {
        for (Driver d : k.drivers()) {
            if (d.name().equals(name)) {
                String c = "Driver " + name;
                items.add(item(c, "bus", d.bus().sysfsName()));
                items.add(item(c, "driver_managed_dma", String.valueOf(d.driverManagedDma())));
                items.add(item(c, "VFIO driver", String.valueOf(d.spec().vfio())));
                items.add(item(c, "bound devices", d.boundDevices().isEmpty() ? "none"
                        : String.join(", ", d.boundDevices().stream().map(Device::id).toList())));
            }
        }
    }

    private static void vm(List<PropertySheet.Item> items, Handle h) {
        if (h == null || h.container() == null) {
            return;
        }
        String c = "VM " + h.name();
        items.add(item(c, "IOMMU backend", h.container().iommuDriver() == null ? "none yet" : h.container().iommuDriver()));
        items.add(item(c, "groups", h.container().groups().isEmpty() ? "none"
                : String.join(", ", h.container().groups().stream().map(g -> String.valueOf(g.iommuGroup().id())).toList())));
    }

    private static PropertySheet.Item item(String category, String name, String value) {
        return new ReadOnlyItem(category, name, value);
    }

    /** A read-only text row of the sheet. */
    private record ReadOnlyItem(String category, String name, String value) implements PropertySheet.Item {
        @Override
        public Class<?> getType() {
            return String.class;
        }

        @Override
        public String getCategory() {
            return category;
        }

        @Override
        public String getName() {
            return name;
        }

        @Override
        public String getDescription() {
            return value;
        }

        @Override
        public Object getValue() {
            return value;
        }

        @Override
        public void setValue(Object v) {
            // read-only: the kernel's state changes only through operations
        }

        @Override
        public Optional<ObservableValue<? extends Object>> getObservableValue() {
            return Optional.empty();
        }

        @Override
        public boolean isEditable() {
            return false;
        }
    }
}
