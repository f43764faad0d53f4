package dev.ssekit.bench;

import java.time.Duration;

/** Settings shared by all subjects so they are compared on equal terms. */
record SubjectConfig(Duration heartbeat, Duration writeTimeout, int maxQueuedEvents) {

    /** Parses {@code key=value} style command line values (milliseconds). */
    static SubjectConfig of(long heartbeatMillis, long writeTimeoutMillis, int maxQueued) {
        return new SubjectConfig(Duration.ofMillis(heartbeatMillis),
                Duration.ofMillis(writeTimeoutMillis), maxQueued);
    }
}
