package dev.ssekit.bench;

import java.time.Duration;

/** Settings shared by all subjects so they are compared on equal terms. */
record SubjectConfig(Duration heartbeat, Duration writeTimeout, int maxQueuedEvents,
        int sendBuffer) {

    /** Settings from command line values; a send buffer of 0 leaves the kernel's autotuning. */
    static SubjectConfig of(long heartbeatMillis, long writeTimeoutMillis, int maxQueued,
            int sendBuffer) {
        return new SubjectConfig(Duration.ofMillis(heartbeatMillis),
                Duration.ofMillis(writeTimeoutMillis), maxQueued, sendBuffer);
    }
}
