package dev.ssekit.bench;

/**
 * One server under test: it accepts event streams on an HTTP port and broadcasts events to all
 * of them. Broadcasts come from one thread at a time (the bench server's broadcaster).
 */
interface Subject extends AutoCloseable {

    /** Starts listening on an ephemeral loopback port and returns it. */
    int start(SubjectConfig config) throws Exception;

    /**
     * The request target a client opens a stream with; every subject mounts its streams there.
     * The generator sends {@code Authorization: Bearer bench} to all of them.
     */
    default String streamPath() {
        return "/events/stream";
    }

    /** Sends event {@code seq}, due at {@code intendedNanos}, to every open stream. */
    void broadcast(long intendedNanos, long seq, int frameBytes);

    /** How many streams the subject holds open right now. */
    int openStreams();

    /** Streams the subject dropped as slow so far, or -1 when it has no such notion. */
    default long droppedSlow() {
        return -1;
    }

    @Override
    void close() throws Exception;
}
