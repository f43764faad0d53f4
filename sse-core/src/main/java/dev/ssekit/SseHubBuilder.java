package dev.ssekit;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Configures and builds an {@link SseHub}. Every option has a default, listed on its setter.
 * Not thread-safe; build once and share the hub.
 */
public final class SseHubBuilder {

    int maxStreams = 1000;
    int maxStreamsPerUser = 10;
    int maxQueuedEvents = 512;
    Duration heartbeatInterval = Duration.ofSeconds(30);
    Duration writeTimeout = Duration.ofSeconds(60);
    Duration sweepInterval = Duration.ofSeconds(1);
    Duration reconnectDelay = Duration.ofSeconds(3);
    Duration shutdownGrace = Duration.ofSeconds(5);
    Duration shutdownRetryJitter = Duration.ofSeconds(10);
    int replayCapacity = 1000;
    Duration replayMaxAge = Duration.ofMinutes(5);
    ReplayStore replayStore;
    ObjectMapper objectMapper;
    Clock clock = Clock.systemUTC();
    ScheduledExecutorService scheduler;
    Executor deliveryExecutor;
    int deliveryThreads = Math.max(2, Runtime.getRuntime().availableProcessors());

    SseHubBuilder() {
    }

    /** Most streams open at once across all users; default 1000. */
    public SseHubBuilder maxStreams(int maxStreams) {
        this.maxStreams = positive("maxStreams", maxStreams);
        return this;
    }

    /** Most streams open at once for one user (tabs, devices); default 10. */
    public SseHubBuilder maxStreamsPerUser(int maxStreamsPerUser) {
        this.maxStreamsPerUser = positive("maxStreamsPerUser", maxStreamsPerUser);
        return this;
    }

    /**
     * Most events waiting to be written to one stream; a stream whose queue is full when an
     * event arrives is closed as {@link CloseReason#SLOW}. Default 512.
     */
    public SseHubBuilder maxQueuedEvents(int maxQueuedEvents) {
        this.maxQueuedEvents = positive("maxQueuedEvents", maxQueuedEvents);
        return this;
    }

    /**
     * How long a stream may stay silent before the hub writes a heartbeat comment
     * ({@code : heartbeat\n}) to it, followed by one more at the next sweep (so that a client
     * that closed its connection is noticed even where the first write after the close still
     * succeeds); default 30 s. Only idle streams get heartbeats.
     */
    public SseHubBuilder heartbeatInterval(Duration heartbeatInterval) {
        this.heartbeatInterval = positive("heartbeatInterval", heartbeatInterval);
        return this;
    }

    /**
     * How long one write may stay pending before the stream is closed as
     * {@link CloseReason#SLOW}: a client that stopped reading, or a dead connection that the
     * operating system has not noticed. Default 60 s.
     */
    public SseHubBuilder writeTimeout(Duration writeTimeout) {
        this.writeTimeout = positive("writeTimeout", writeTimeout);
        return this;
    }

    /**
     * How often the hub checks its streams for heartbeats, stalled writes and expired
     * credentials; it bounds how late those happen. Default 1 s.
     */
    public SseHubBuilder sweepInterval(Duration sweepInterval) {
        this.sweepInterval = positive("sweepInterval", sweepInterval);
        return this;
    }

    /**
     * The reconnection delay sent as {@code retry:} at the start of every stream; default 3 s.
     */
    public SseHubBuilder reconnectDelay(Duration reconnectDelay) {
        this.reconnectDelay = notNegative("reconnectDelay", reconnectDelay);
        return this;
    }

    /** How long {@link SseHub#close()} lets streams drain before closing them; default 5 s. */
    public SseHubBuilder shutdownGrace(Duration shutdownGrace) {
        this.shutdownGrace = notNegative("shutdownGrace", shutdownGrace);
        return this;
    }

    /**
     * The largest random delay added to {@link #reconnectDelay} in the {@code retry:} sent at
     * shutdown, so that clients spread their reconnections; default 10 s.
     */
    public SseHubBuilder shutdownRetryJitter(Duration shutdownRetryJitter) {
        this.shutdownRetryJitter = notNegative("shutdownRetryJitter", shutdownRetryJitter);
        return this;
    }

    /**
     * How many recent events the built-in replay store keeps; default 1000; 0 turns replay
     * off. Ignored when {@link #replayStore} is set.
     */
    public SseHubBuilder replayCapacity(int replayCapacity) {
        if (replayCapacity < 0) {
            throw new IllegalArgumentException("replayCapacity must be >= 0, got "
                    + replayCapacity);
        }
        this.replayCapacity = replayCapacity;
        return this;
    }

    /**
     * How long the built-in replay store keeps an event; default 5 minutes. Ignored when
     * {@link #replayStore} is set.
     */
    public SseHubBuilder replayMaxAge(Duration replayMaxAge) {
        this.replayMaxAge = positive("replayMaxAge", replayMaxAge);
        return this;
    }

    /** Replaces the built-in {@link InMemoryReplayStore}; default none. */
    public SseHubBuilder replayStore(ReplayStore replayStore) {
        this.replayStore = Objects.requireNonNull(replayStore, "replayStore");
        return this;
    }

    /** Serializes non-string event data to JSON; default a plain {@code new ObjectMapper()}. */
    public SseHubBuilder objectMapper(ObjectMapper objectMapper) {
        this.objectMapper = Objects.requireNonNull(objectMapper, "objectMapper");
        return this;
    }

    /** The time source for heartbeats, timeouts, expiry and replay age; default UTC system. */
    public SseHubBuilder clock(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        return this;
    }

    /**
     * The scheduler that runs the hub's one periodic sweep; default a single daemon thread
     * named {@code ssekit-sweeper}, owned and stopped by the hub. A scheduler passed here is
     * not shut down by the hub.
     */
    public SseHubBuilder scheduler(ScheduledExecutorService scheduler) {
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        return this;
    }

    /**
     * The executor that writes to streams; default a pool of {@link #deliveryThreads} daemon
     * threads named {@code ssekit-delivery-N}, owned and stopped by the hub. An executor passed
     * here is not shut down by the hub, and the hub runs at most {@link #deliveryThreads} tasks
     * on it at once. The hub hands it tasks while holding its publish lock, so {@code execute}
     * must neither block nor run the task on the calling thread (no caller-runs policy, no
     * direct executor): either would make emits wait for clients. It must run or refuse every
     * task, never drop one silently (no discard policy): streams would wait for it forever.
     */
    public SseHubBuilder deliveryExecutor(Executor deliveryExecutor) {
        this.deliveryExecutor = Objects.requireNonNull(deliveryExecutor, "deliveryExecutor");
        return this;
    }

    /**
     * Size of the default delivery pool, or how many threads of a {@link #deliveryExecutor}
     * the hub uses at once; default the number of cores, at least 2.
     */
    public SseHubBuilder deliveryThreads(int deliveryThreads) {
        this.deliveryThreads = positive("deliveryThreads", deliveryThreads);
        return this;
    }

    /** Builds and starts the hub. */
    public SseHub build() {
        return new DefaultSseHub(this);
    }

    private static int positive(String name, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive, got " + value);
        }
        return value;
    }

    private static Duration positive(String name, Duration value) {
        Objects.requireNonNull(value, name);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, got " + value);
        }
        return value;
    }

    private static Duration notNegative(String name, Duration value) {
        Objects.requireNonNull(value, name);
        if (value.isNegative()) {
            throw new IllegalArgumentException(name + " must not be negative, got " + value);
        }
        return value;
    }
}
