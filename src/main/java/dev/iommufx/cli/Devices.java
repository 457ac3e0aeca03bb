package dev.iommufx.cli;

import dev.iommufx.engine.Device;
import dev.iommufx.engine.Kernel;

/** Devices named on the command line. */
final class Devices {
    private Devices() {
    }

    /** A device by its full address, or by the short BB:DD.F form in domain 0000; null if there is none. */
    static Device find(Kernel k, String id) {
        Device d = k.device(id);
        if (d == null && id.length() == 7) {
            d = k.device("0000:" + id);
        }
        return d;
    }
}
