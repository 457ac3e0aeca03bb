package dev.iommufx.ui;

import dev.iommufx.engine.IommuGroup;
import dev.iommufx.engine.Kernel;
import dev.iommufx.io.FormatException;
import dev.iommufx.io.TopologyReader;
import dev.iommufx.model.Topology;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import javafx.application.Application;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.layout.BorderPane;
import javafx.stage.Stage;

/**
 * The desktop app. For now a window listing the bundled workstation's IOMMU groups and their states;
 * the graph view replaces it.
 */
public final class IommufxApp extends Application {
    public static final String DEFAULT_TOPOLOGY = "/topologies/workstation.json";

    @Override
    public void start(Stage stage) throws FormatException {
        Kernel k = Kernel.boot(defaultTopology());
        ListView<String> groups = new ListView<>();
        for (IommuGroup g : k.groups()) {
            groups.getItems().add("IOMMU group " + g.id() + " — " + g.state().label() + " — "
                    + g.devices().stream().map(d -> d.spec().label()).toList());
        }
        BorderPane root = new BorderPane(groups);
        root.setTop(new Label("  " + k.topology().name() + ": " + k.topology().description()));
        stage.setTitle("iommufx — " + k.topology().name());
        stage.setScene(new Scene(root, 1100, 520));
        stage.show();
    }

    /** The bundled workstation topology, from the application's resources. */
    public static Topology defaultTopology() throws FormatException {
        try (InputStream in = IommufxApp.class.getResourceAsStream(DEFAULT_TOPOLOGY)) {
            if (in == null) {
                throw new IllegalStateException("the bundled topology " + DEFAULT_TOPOLOGY + " is missing from the jar");
            }
            return TopologyReader.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), "workstation.json");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
