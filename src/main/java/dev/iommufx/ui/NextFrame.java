package dev.iommufx.ui;

import java.util.LinkedHashSet;
import java.util.Set;
import javafx.animation.AnimationTimer;

/**
 * Runs work one frame later: not in the next pulse, which draws the change (say, a recoloured group), but in
 * the one after, so that slower panels never delay that frame. Requests made before then are coalesced.
 */
final class NextFrame {
    private final Set<Runnable> pending = new LinkedHashSet<>();
    /** Pulses seen since the first request: the work waits for the pulse after the one drawing the change. */
    private int pulses;
    private final AnimationTimer timer = new AnimationTimer() {
        @Override
        public void handle(long now) {
            if (++pulses < 2) {
                return;
            }
            stop();
            pulses = 0;
            Runnable[] work = pending.toArray(Runnable[]::new);
            pending.clear();
            for (Runnable r : work) {
                r.run();
            }
        }
    };

    void run(Runnable r) {
        if (pending.isEmpty()) {
            pulses = 0;
        }
        pending.add(r);
        timer.start();
    }
}
