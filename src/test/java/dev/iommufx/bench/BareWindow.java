package dev.iommufx.bench;

import java.lang.management.ManagementFactory;
import javafx.application.Application;
import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.layout.StackPane;
import javafx.stage.Stage;

/**
 * The floor for the start-up benchmark (docs/benchmarks.md): a JavaFX window with one label, the size of
 * iommufx's, started the way iommufx starts (a plain main class that launches the application, JavaFX on the
 * class path). At its first frame it prints the same line as iommufx's start-up report, and exits.
 */
public final class BareWindow {
    private BareWindow() {
    }

    public static void main(String[] args) {
        Application.launch(App.class, args);
    }

    /** The application: one label in a 1500 x 900 window. */
    public static final class App extends Application {
        @Override
        public void start(Stage stage) {
            Scene scene = new Scene(new StackPane(new Label("bare JavaFX window")), 1500, 900);
            stage.setTitle("bare window");
            stage.setScene(scene);
            // timed as iommufx's start-up report times its frame: once the first pulse has styled and laid it out
            scene.addPostLayoutPulseListener(new Runnable() {
                @Override
                public void run() {
                    if (stage.isShowing()) {
                        long epochMs = System.currentTimeMillis();
                        long ms = epochMs - ManagementFactory.getRuntimeMXBean().getStartTime();
                        System.out.println("bare window: first interactive frame " + ms + " ms after JVM start (at "
                                + epochMs + ")");
                        scene.removePostLayoutPulseListener(this);
                        Platform.exit();
                    }
                }
            });
            stage.show();
        }
    }
}
