package dev.iommufx.engine;

import dev.iommufx.model.Topology;

/** Lets tests in other packages build the real-kernel machines. */
public final class FixtureAccess {
    private FixtureAccess() {
    }

    public static Topology topology(String resource) {
        return FixtureRecord.load(resource).topology();
    }
}
