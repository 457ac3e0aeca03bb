package dev.iommufx.bench;

import dev.iommufx.engine.Device;
import dev.iommufx.model.Topology;
import dev.iommufx.ui.MainWindow;
import dev.iommufx.ui.viewmodel.MachineViewModel;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.stage.Stage;

/**
 * Drop to recoloured frame, measured in the real window (headless Monocle, software rendering): the time the
 * drop's handler takes (the move of a GPU to vfio-pci or back, the view-model's refresh of the groups the
 * event names) plus the CSS and layout of the next pulse, which draws the recoloured box. One 60 Hz pulse is
 * 16.7 ms. Also the time from asking for a machine to having it drawn (layout off the JavaFX thread, then
 * node creation), and a search's keystroke to its marked frame. Run by {@code mvn -B -Pbench test -DskipTests} after
 * the JMH benchmarks.
 */
public final class UiLatencyProbe {
    private static final int DROPS = 200;
    private static final int KEYSTROKES = 100;

    private UiLatencyProbe() {
    }

    public static void main(String[] args) throws Exception {
        Platform.startup(() -> { });
        System.out.println("UI latency (ms): machine size, drawn after load, drop handler p50/p95/max, "
                + "next pulse CSS+layout p50/p95/max, handler+pulse p95");
        for (int size : new int[] {40, 13_000}) {
            probe(size);
        }
        Platform.exit();
    }

    private static void probe(int size) throws Exception {
        Topology t = TopologyGenerator.generate(size);
        MachineViewModel machine = new MachineViewModel();
        MainWindow[] window = new MainWindow[1];
        Scene[] scene = new Scene[1];
        long asked = System.nanoTime();
        onFx(() -> {
            machine.load(t);
            Stage stage = new Stage();
            window[0] = new MainWindow(machine, stage);
            scene[0] = new Scene(window[0], 1600, 1000);
            scene[0].getStylesheets().add(MainWindow.class.getResource("/dev/iommufx/ui/iommufx.css").toExternalForm());
            stage.setScene(scene[0]);
            stage.show();
            machine.overview().shownProperty().set(false); // the device graph's drops are what is measured
            window[0].graph().rebuild();
        });
        while (!window[0].graph().laidOutProperty().get()) {
            Thread.sleep(5);
        }
        double drawn = (System.nanoTime() - asked) / 1e6;
        Device gpu = machine.kernel().devices().stream().filter(d -> "GPU".equals(d.spec().name())).findFirst().orElseThrow();
        String home = gpu.sysfsDriver().name();
        List<Double> handler = new ArrayList<>();
        List<Double> pulse = new ArrayList<>();
        List<Double> total = new ArrayList<>();
        for (int i = 0; i < DROPS; i++) {
            String to = i % 2 == 0 ? "vfio-pci" : home;
            double[] took = timed(scene[0], () -> machine.moveToDriver(gpu.id(), to));
            handler.add(took[0]);
            pulse.add(took[1]);
            total.add(took[0] + took[1]);
        }
        System.out.printf("  %6d functions: drawn %.0f; handler %.2f/%.2f/%.2f; pulse %.2f/%.2f/%.2f; total p95 %.2f%n",
                size, drawn, pct(handler, 50), pct(handler, 95), pct(handler, 100), pct(pulse, 50), pct(pulse, 95),
                pct(pulse, 100), pct(total, 95));
        for (String query : new String[] {"10de:2786", "nvme", "0000:"}) {
            search(machine, scene[0], query);
        }
    }

    /**
     * Keystroke to marked frame: the query typed a character at a time, then cleared (Escape), {@link #KEYSTROKES}
     * times; each keystroke finds the matches, marks their nodes, selects the first and zooms to it, and the next
     * pulse draws them. "0000:" matches every PCI function: every node is marked and unmarked.
     */
    private static void search(MachineViewModel machine, Scene scene, String query) throws Exception {
        List<Double> handler = new ArrayList<>();
        List<Double> pulse = new ArrayList<>();
        List<Double> total = new ArrayList<>();
        int[] matches = new int[1];
        for (int round = 0; handler.size() < KEYSTROKES; round++) {
            for (int i = 1; i <= query.length() + 1; i++) {
                String typed = i <= query.length() ? query.substring(0, i) : "";
                double[] t = timed(scene, () -> {
                    machine.search().queryProperty().set(typed);
                    matches[0] = Math.max(matches[0], machine.search().matches().size());
                });
                handler.add(t[0]);
                pulse.add(t[1]);
                total.add(t[0] + t[1]);
            }
        }
        System.out.printf("    search \"%s\" (%d matches): handler %.2f/%.2f/%.2f; pulse %.2f/%.2f/%.2f; total p95 %.2f%n",
                query, matches[0], pct(handler, 50), pct(handler, 95), pct(handler, 100), pct(pulse, 50),
                pct(pulse, 95), pct(pulse, 100), pct(total, 95));
    }

    /** The action's time on the JavaFX thread and the CSS and layout of the pulse after it, in ms. */
    private static double[] timed(Scene scene, Runnable action) throws Exception {
        double[] h = new double[1];
        long[] p = new long[2];
        CountDownLatch done = new CountDownLatch(1);
        Runnable[] pre = new Runnable[1];
        Runnable[] post = new Runnable[1];
        onFx(() -> {
            long t0 = System.nanoTime();
            action.run();
            h[0] = (System.nanoTime() - t0) / 1e6;
            pre[0] = () -> p[0] = System.nanoTime();
            post[0] = () -> {
                p[1] = System.nanoTime();
                scene.removePreLayoutPulseListener(pre[0]);
                scene.removePostLayoutPulseListener(post[0]);
                done.countDown();
            };
            scene.addPreLayoutPulseListener(pre[0]);
            scene.addPostLayoutPulseListener(post[0]);
            Platform.requestNextPulse();
        });
        done.await(5, TimeUnit.SECONDS);
        Thread.sleep(80); // let the side panels, one frame later, finish before the next action
        return new double[] {h[0], (p[1] - p[0]) / 1e6};
    }

    private static double pct(List<Double> xs, int p) {
        List<Double> s = new ArrayList<>(xs);
        Collections.sort(s);
        return s.get(Math.min(s.size() - 1, (int) Math.ceil(p / 100.0 * s.size()) - 1));
    }

    private static void onFx(Runnable r) throws InterruptedException {
        CountDownLatch l = new CountDownLatch(1);
        Platform.runLater(() -> {
            try {
                r.run();
            } finally {
                l.countDown();
            }
        });
        l.await();
    }
}
