package dev.botfleet.runtime;

import com.sun.management.UnixOperatingSystemMXBean;

import java.lang.management.ManagementFactory;

/** How many client connections fit in the file descriptors the process may open. */
final class FileDescriptors {

    /** Descriptors kept for what is not a connection: jars, manifests, Secrets, the JVM's own. */
    static final long RESERVE = 512;
    /** Used where the operating system does not say. */
    static final int FALLBACK = 10_000;

    private FileDescriptors() {
    }

    /** Half of what is left after the reserve: each client connection may hold one to a provider too. */
    static int connectionsWithin() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof UnixOperatingSystemMXBean unix) {
            long max = unix.getMaxFileDescriptorCount();
            return (int) Math.max(1, Math.min(Integer.MAX_VALUE, (max - RESERVE) / 2));
        }
        return FALLBACK;
    }
}
