package dev.botfleet.runtime.config;

/** A {@link LiveFleet} serving a given configuration, for tests of what reads it. */
public final class LiveFleets {

    private LiveFleets() {
    }

    public static LiveFleet serving(Fleet fleet) {
        LiveFleet live = new LiveFleet();
        live.replace(fleet);
        return live;
    }
}
