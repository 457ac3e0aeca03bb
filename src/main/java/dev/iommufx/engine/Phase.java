package dev.iommufx.engine;

/**
 * Where a bind or unbind stepped one kernel phase at a time has stopped (kernel-model §2.2, §2.3, §7d).
 * Between phases other devices' operations may run, as they may on a real machine wherever the group mutex
 * is not held; the device itself stays locked ({@code device_lock}).
 */
public enum Phase {
    /** really_probe(): {@code dev->driver} is set; the bus's dma_configure has not run yet. */
    DRIVER_SET("bind", "set_driver"),
    /** really_probe(): dma_configure ran under the group mutex; the driver's probe() has not run yet. */
    DMA_CONFIGURED("bind", "dma_configure"),
    /** __device_release_driver(): the driver's remove() ran; dma_cleanup has not run yet. */
    REMOVED("unbind", "remove"),
    /** __device_release_driver(): dma_cleanup ran under the group mutex; {@code dev->driver} is still set. */
    DMA_CLEANED("unbind", "dma_cleanup");

    private final String operation;
    private final String after;

    Phase(String operation, String after) {
        this.operation = operation;
        this.after = after;
    }

    /** "bind" or "unbind". */
    public String operation() {
        return operation;
    }

    /** The phase names of a stepped bind, in kernel order. */
    public static final java.util.List<String> BIND_PHASES = java.util.List.of("set_driver", "dma_configure", "probe");
    /** The phase names of a stepped unbind, in kernel order. */
    public static final java.util.List<String> UNBIND_PHASES = java.util.List.of("remove", "dma_cleanup",
            "clear_driver");

    @Override
    public String toString() {
        return operation + " stopped after " + after;
    }
}
