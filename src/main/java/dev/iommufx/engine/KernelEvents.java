package dev.iommufx.engine;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The one channel on which the kernel tells what happened, one event type per kind ({@link KernelEvent}):
 * a subscriber names the type it hears, and hears its subtypes too ({@code KernelEvent.class} hears everything).
 * Its guarantees, as Scene Builder's job manager gives them to its listeners:
 * <ul>
 *   <li>Events are delivered after the state is complete (the operation finished, the history recorded), in
 *       subscription order.</li>
 *   <li>No operation, undo or redo may start while events are delivered (from a listener, or from anything a
 *       listener calls): it is refused with an {@link IllegalStateException}. A listener that wants to act queues
 *       the action for later.</li>
 *   <li>A listener that throws does not stop the delivery: the other listeners still hear the event, and the
 *       failure goes to the report hook ({@link #onListenerFailure}), by default printed to standard error once
 *       per listener.</li>
 * </ul>
 * Several kernels may share one channel (the window boots every machine it shows onto its own), so a subscriber
 * stays subscribed when the machine is replaced. Used on one thread, like the kernel.
 */
public final class KernelEvents {
    /** What the report hook receives: which listener failed, on which event, with what. */
    public record ListenerFailure(KernelEvent event, Consumer<?> listener, RuntimeException error) {
    }

    private record Subscription(Class<? extends KernelEvent> type, Consumer<? super KernelEvent> listener) {
    }

    private final List<Subscription> subscriptions = new CopyOnWriteArrayList<>();
    private Consumer<ListenerFailure> report = new PrintOncePerListener();
    private boolean delivering;

    /** Hears every event of the type (and its subtypes), until {@link #unsubscribe}. */
    @SuppressWarnings("unchecked")
    public <E extends KernelEvent> void subscribe(Class<E> type, Consumer<? super E> listener) {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(listener, "listener");
        subscriptions.add(new Subscription(type, (Consumer<? super KernelEvent>) listener));
    }

    /** Stops the listener hearing anything; it may be called while events are delivered. */
    public void unsubscribe(Consumer<?> listener) {
        subscriptions.removeIf(s -> s.listener() == listener);
    }

    /** Where a listener's failure is reported (the window shows it); replaces the default, which prints it. */
    public void onListenerFailure(Consumer<ListenerFailure> hook) {
        report = Objects.requireNonNull(hook, "hook");
    }

    /** Whether events are being delivered now: an operation started now would come from a listener. */
    public boolean delivering() {
        return delivering;
    }

    /** Announces that the window shows another machine; refused while events are delivered, like an operation. */
    public void machineReplaced(Kernel previous, Kernel next) {
        refuseWhileDelivering("replace the machine");
        deliver(List.of(new KernelEvent.MachineReplaced(previous, next)));
    }

    /** Throws if events are being delivered: nothing that changes the machine may start from a listener. */
    void refuseWhileDelivering(String what) {
        if (delivering) {
            throw new IllegalStateException("cannot " + what + " while kernel events are being delivered: a listener "
                    + "may not start an operation, an undo or a redo (nor replace the machine); queue it for after "
                    + "the delivery instead");
        }
    }

    /** Whether anyone hears anything: when nobody does, the kernel builds no events at all. */
    boolean heard() {
        return !subscriptions.isEmpty();
    }

    /** Whether anyone hears events of this type. */
    boolean hears(Class<? extends KernelEvent> type) {
        for (Subscription s : subscriptions) {
            if (s.type().isAssignableFrom(type)) {
                return true;
            }
        }
        return false;
    }

    /** Delivers the events in order, each to every subscriber of its type, as one delivery. */
    void deliver(List<? extends KernelEvent> events) {
        delivering = true;
        try {
            for (KernelEvent e : events) {
                for (Subscription s : subscriptions) {
                    if (s.type().isInstance(e)) {
                        notify(s.listener(), e);
                    }
                }
            }
        } finally {
            delivering = false;
        }
    }

    private void notify(Consumer<? super KernelEvent> listener, KernelEvent e) {
        try {
            listener.accept(e);
        } catch (RuntimeException failure) {
            try {
                report.accept(new ListenerFailure(e, listener, failure));
            } catch (RuntimeException hookFailure) {
                hookFailure.addSuppressed(failure);
                hookFailure.printStackTrace();
            }
        }
    }

    /** The default report: a listener's first failure, with its stack trace; later ones of the same listener not. */
    private static final class PrintOncePerListener implements Consumer<ListenerFailure> {
        private final Set<Object> reported = Collections.newSetFromMap(new IdentityHashMap<>());

        @Override
        public void accept(ListenerFailure f) {
            if (reported.add(f.listener())) {
                System.err.println("iommufx: a listener of " + f.event().getClass().getSimpleName() + " failed (its "
                        + "later failures are not printed again); the other listeners heard the event:");
                f.error().printStackTrace();
            }
        }
    }
}
