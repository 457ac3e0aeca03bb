package dev.iommufx.ui;

import java.lang.management.ManagementFactory;
import javafx.animation.AnimationTimer;
import javafx.application.Platform;
import javafx.scene.Scene;

/**
 * With {@code -Diommufx.reportStartup=true}: prints the time from JVM start to the first frame in which the
 * machine is drawn (in the graph, or for a large machine in the overview) and the window takes input, and the wall-clock time of that frame in epoch milliseconds (for a
 * benchmark that times from exec), then exits (for the start-up benchmark in docs/benchmarks.md).
 */
final class StartupReport {
    private StartupReport() {
    }

    static void whenInteractive(MainWindow window, Scene scene) {
        new AnimationTimer() {
            @Override
            public void handle(long now) {
                if (window.machineDrawn() && scene.getWindow().isShowing()) {
                    long epochMs = System.currentTimeMillis();
                    long ms = epochMs - ManagementFactory.getRuntimeMXBean().getStartTime();
                    System.out.println("iommufx: first interactive frame " + ms + " ms after JVM start (at " + epochMs + ")");
                    stop();
                    Platform.exit();
                }
            }
        }.start();
    }
}
