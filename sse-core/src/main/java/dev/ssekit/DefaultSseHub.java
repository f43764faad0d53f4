package dev.ssekit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link SseHub} implementation.
 *
 * <p>Threading: {@code publishLock} orders everything that must see one consistent sequence of
 * events: registering a stream together with its replay, appending to the replay store, and
 * queueing each event for its streams. Under it the hub only decides and queues (no I/O, no
 * user callbacks); writes run on the delivery executor and closes after the lock is released.
 * That is why a stream that opens with a last event id receives every missed event exactly
 * once before the live ones, and why each stream's frames are queued in emit order.
 */
final class DefaultSseHub implements SseHub {

    private static final Logger log = LoggerFactory.getLogger(SseHub.class);
    private static final Duration EXECUTOR_STOP_TIMEOUT = Duration.ofSeconds(2);

    private final Object publishLock = new Object();
    private final StreamRegistry registry = new StreamRegistry();
    private final HubCounters counters = new HubCounters();
    private final BatchJoiner batchJoiner = new BatchJoiner();
    private final AtomicLong nextEventId = new AtomicLong(1);
    private final AtomicLong nextStreamId = new AtomicLong(1);

    private final int maxStreams;
    private final int maxStreamsPerUser;
    private final int maxQueuedEvents;
    private final long heartbeatMillis;
    private final long writeTimeoutMillis;
    private final Duration reconnectDelay;
    private final Duration shutdownGrace;
    private final Duration shutdownRetryJitter;
    private final ReplayStore replayStore;
    private final ObjectMapper objectMapper;
    private final Clock clock;
    private final DeliveryQueue deliveries;
    private final ExecutorService ownedDeliveryExecutor;
    private final ScheduledExecutorService ownedScheduler;
    private final ScheduledFuture<?> sweepTask;
    private final long sweepMillis;
    // Closed streams whose transport a write call still holds; see SseConnection#close.
    private final Set<SseConnection> endingTransports = ConcurrentHashMap.newKeySet();
    private final Frame openFrame;
    private final String eventIdPrefix;
    private final Instant startedAt;

    // Written under publishLock, read anywhere.
    private volatile boolean open = true;

    // Guarded by publishLock.
    private long lastProbeAllMillis = Long.MIN_VALUE / 2;

    DefaultSseHub(SseHubBuilder config) {
        this.maxStreams = config.maxStreams;
        this.maxStreamsPerUser = config.maxStreamsPerUser;
        this.maxQueuedEvents = config.maxQueuedEvents;
        this.heartbeatMillis = config.heartbeatInterval.toMillis();
        this.writeTimeoutMillis = config.writeTimeout.toMillis();
        this.reconnectDelay = config.reconnectDelay;
        this.shutdownGrace = config.shutdownGrace;
        this.shutdownRetryJitter = config.shutdownRetryJitter;
        this.clock = config.clock;
        this.objectMapper = config.objectMapper != null ? config.objectMapper : new ObjectMapper();
        this.replayStore = config.replayStore != null ? config.replayStore
                : new InMemoryReplayStore(config.replayCapacity, config.replayMaxAge, clock);
        this.startedAt = clock.instant();
        // Ids of a previous run are then unknown here, so clients get a missed-events notice
        // instead of a replay that starts from an unrelated event.
        this.eventIdPrefix = Long.toString(startedAt.toEpochMilli(), 36) + "-";
        this.openFrame = Frame.control(EventEncoder.encodeRetry(reconnectDelay));

        if (config.deliveryExecutor != null) {
            this.deliveries = new DeliveryQueue(config.deliveryExecutor, config.deliveryThreads);
            this.ownedDeliveryExecutor = null;
        } else {
            ThreadPoolExecutor pool = new ThreadPoolExecutor(config.deliveryThreads,
                    config.deliveryThreads, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(),
                    daemonThreads("ssekit-delivery-"));
            // Started now, on the thread that builds the hub, rather than lazily on the first
            // request thread: a container's request threads carry a web application's class
            // loader, which the hub's threads would otherwise pin.
            pool.prestartAllCoreThreads();
            this.ownedDeliveryExecutor = pool;
            this.deliveries = new DeliveryQueue(pool, config.deliveryThreads);
        }
        ScheduledExecutorService scheduler = config.scheduler;
        if (scheduler == null) {
            this.ownedScheduler =
                    Executors.newSingleThreadScheduledExecutor(daemonThreads("ssekit-sweeper-"));
            scheduler = ownedScheduler;
        } else {
            this.ownedScheduler = null;
        }
        this.sweepMillis = config.sweepInterval.toMillis();
        this.sweepTask = scheduler.scheduleAtFixedRate(
                this::sweep, sweepMillis, sweepMillis, TimeUnit.MILLISECONDS);

        log.info("ssekit hub started: maxStreams={}, maxStreamsPerUser={}, heartbeat={}",
                maxStreams, maxStreamsPerUser, config.heartbeatInterval);
    }

    @Override
    public SseStream open(StreamRequest request, SseTransport transport)
            throws StreamRejectedException {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(transport, "transport");

        SseConnection connection;
        synchronized (publishLock) {
            checkCanOpen(request.userId());
            connection = new SseConnection("s-" + nextStreamId.getAndIncrement(), request,
                    transport, this, deliveries, maxQueuedEvents, clock.millis());
            registry.add(connection);
            connection.offerInitial(openFrame);
            if (request.lastEventId() != null) {
                replay(connection, request);
            }
        }

        counters.recordOpened();
        log.debug("[{} user={}] opened, filter={}, resuming={}", connection.id(),
                request.userId(), request.filter(), request.lastEventId() != null);
        return connection;
    }

    private void checkCanOpen(String userId) throws StreamRejectedException {
        if (!open) {
            throw new StreamRejectedException(StreamRejectedException.Reason.SHUTTING_DOWN,
                    "the event hub is shutting down");
        }
        if (registry.size() >= maxStreams) {
            counters.recordRejectedAtLimit();
            probeAll();
            throw new StreamRejectedException(StreamRejectedException.Reason.GLOBAL_LIMIT,
                    "the server holds its maximum of " + maxStreams + " streams");
        }
        if (registry.countOf(userId) >= maxStreamsPerUser) {
            counters.recordRejectedAtLimit();
            registry.ofUser(userId).forEach(SseConnection::probe);
            throw new StreamRejectedException(StreamRejectedException.Reason.USER_LIMIT,
                    "this user already holds the maximum of " + maxStreamsPerUser + " streams");
        }
    }

    /**
     * Probes every stream, at most once a sweep interval: at the global limit, streams whose
     * clients already left must free their places soon (see {@link SseConnection#probe()}).
     */
    private void probeAll() {
        long now = clock.millis();
        if (now - lastProbeAllMillis < sweepMillis) {
            return;
        }
        lastProbeAllMillis = now;
        registry.all().forEach(SseConnection::probe);
    }

    /** Queues what the client missed as one frame, or a missed-events notice. Under lock. */
    private void replay(SseConnection connection, StreamRequest request) {
        Optional<List<StoredEvent>> missed;
        try {
            missed = replayStore.eventsAfter(request.lastEventId());
        } catch (RuntimeException e) {
            log.warn("[{} user={}] replay store failed; sending a missed-events notice",
                    connection.id(), request.userId(), e);
            missed = Optional.empty();
        }
        if (missed.isEmpty()) {
            connection.offerInitial(missedEventsNotice(request.lastEventId()));
            return;
        }

        List<StoredEvent> visible = new ArrayList<>();
        for (StoredEvent event : missed.get()) {
            if (event.isVisibleTo(request.userId()) && request.filter().matches(event.type())) {
                visible.add(event);
            }
        }
        if (!visible.isEmpty()) {
            connection.offerInitial(Frame.replay(visible));
        }
    }

    private Frame missedEventsNotice(String lastEventId) {
        String newestId;
        try {
            newestId = replayStore.newestId().orElse("");
        } catch (RuntimeException e) {
            newestId = "";
        }
        String data = toJson(Map.of("lastEventId", lastEventId));
        return Frame.event(EventEncoder.encodeEvent(newestId, MISSED_EVENTS_TYPE, null, data),
                MISSED_EVENTS_TYPE);
    }

    @Override
    public Emission emit(String type, Object data) {
        return publish(null, SseEvent.builder().type(type).data(data)
                .createdAt(clock.instant()).build());
    }

    @Override
    public Emission emitTo(String userId, String type, Object data) {
        Objects.requireNonNull(userId, "userId");
        return publish(userId, SseEvent.builder().type(type).data(data)
                .createdAt(clock.instant()).build());
    }

    @Override
    public Emission emit(SseEvent event) {
        return publish(null, Objects.requireNonNull(event, "event"));
    }

    @Override
    public Emission emitTo(String userId, SseEvent event) {
        Objects.requireNonNull(userId, "userId");
        return publish(userId, Objects.requireNonNull(event, "event"));
    }

    private Emission publish(String targetUserId, SseEvent event) {
        if (!open) {
            return new Emission(eventIdOf(event), 0);
        }
        String data = event.data() instanceof String text ? text : toJson(event.data());

        String id;
        FanOut fanOut;
        synchronized (publishLock) {
            id = eventIdOf(event);
            if (!open) {
                return new Emission(id, 0);
            }
            // Encoded under the lock so that hub-assigned ids reach every stream in order.
            byte[] bytes = EventEncoder.encodeEvent(id, event.type(), event.retry(), data);
            store(new StoredEvent(id, event.type(), targetUserId, bytes, clock.instant()));
            fanOut = fanOut(targetUserId, event.type(), Frame.event(bytes, event.effectiveType()));
        }

        counters.recordEmitted(event.effectiveType());
        for (SseConnection connection : fanOut.overflowed) {
            log.warn("[{} user={}] dropped: more than {} events waiting for the client",
                    connection.id(), connection.userId(), maxQueuedEvents);
            connection.close(CloseReason.SLOW);
        }
        return new Emission(id, fanOut.reached);
    }

    private String eventIdOf(SseEvent event) {
        return event.id() != null ? event.id() : eventIdPrefix + nextEventId.getAndIncrement();
    }

    /** Queues the frame for every matching stream. Runs under the publish lock. */
    private FanOut fanOut(String targetUserId, String type, Frame frame) {
        FanOut result = new FanOut();
        Iterable<SseConnection> targets =
                targetUserId == null ? registry.all() : registry.ofUser(targetUserId);
        for (SseConnection connection : targets) {
            if (!connection.filter().matches(type)) {
                continue;
            }
            SseConnection.Offer offer = connection.offer(frame);
            if (offer == SseConnection.Offer.QUEUED) {
                result.reached++;
            } else if (offer == SseConnection.Offer.OVERFLOW) {
                result.overflowed.add(connection);
            }
        }
        return result;
    }

    /** What one fan-out did: streams reached, and streams to close as slow after the lock. */
    private static final class FanOut {

        private int reached;
        private final List<SseConnection> overflowed = new ArrayList<>(0);
    }

    private void store(StoredEvent event) {
        try {
            replayStore.append(event);
        } catch (RuntimeException e) {
            log.warn("replay store failed to record event {}; live delivery goes on",
                    event.id(), e);
        }
    }

    private String toJson(Object data) {
        try {
            return objectMapper.writeValueAsString(data);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("event data of type "
                    + data.getClass().getName() + " cannot be serialized to JSON: "
                    + e.getOriginalMessage(), e);
        }
    }

    /** The periodic pass over all streams: heartbeats, stalled writes, expired credentials. */
    private void sweep() {
        try {
            long now = clock.millis();
            endingTransports.removeIf(connection -> connection.endStalledTransport(now,
                    sweepMillis));
            for (SseConnection connection : registry.all()) {
                CloseReason reason = connection.sweep(now, heartbeatMillis, writeTimeoutMillis);
                if (reason == CloseReason.SLOW) {
                    log.warn("[{} user={}] dropped: a write has been pending for over {} ms",
                            connection.id(), connection.userId(), writeTimeoutMillis);
                }
                if (reason != null) {
                    connection.close(reason);
                }
            }
        } catch (RuntimeException e) {
            // Thrown out of here, the scheduler would silently stop sweeping.
            log.error("ssekit sweep failed; it runs again at the next interval", e);
        }
    }

    /**
     * Called once by each stream as it closes; {@code transportStillWriting} when a write call
     * holds its transport, which the sweep then ends if the call does not return in time.
     */
    void streamClosed(SseConnection connection, CloseReason reason,
            boolean transportStillWriting) {
        if (transportStillWriting) {
            endingTransports.add(connection);
        }
        if (registry.remove(connection)) {
            counters.recordClosed(reason);
            log.debug("[{} user={}] closed: {}", connection.id(), connection.userId(), reason);
        }
    }

    BatchJoiner batchJoiner() {
        return batchJoiner;
    }

    HubCounters counters() {
        return counters;
    }

    long nowMillis() {
        return clock.millis();
    }

    @Override
    public HubStats stats() {
        Instant now = clock.instant();
        return new HubStats(registry.size(), registry.users(), registry.countsPerUser(),
                counters.emitted(), counters.emittedByType(), counters.deliveredByType(),
                counters.opened(), counters.closedByReason(), counters.heartbeats(), startedAt,
                Math.max(0, Duration.between(startedAt, now).toSeconds()));
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public void close() {
        close(shutdownGrace);
    }

    @Override
    public void close(Duration grace) {
        Objects.requireNonNull(grace, "grace");
        synchronized (publishLock) {
            if (!open) {
                return;
            }
            open = false;
        }

        log.info("ssekit hub shutting down: {} streams open, grace {}", registry.size(), grace);
        long deadline = System.nanoTime() + grace.toNanos();
        for (SseConnection connection : List.copyOf(registry.all())) {
            connection.finish(Frame.control(EventEncoder.encodeRetry(jitteredRetry())));
        }
        awaitDrained(deadline);
        for (SseConnection connection : List.copyOf(registry.all())) {
            connection.close(CloseReason.SHUTDOWN);
        }
        endingTransports.removeIf(connection -> connection.endStalledTransport(
                Long.MAX_VALUE, 0));

        sweepTask.cancel(false);
        stop(ownedScheduler);
        stop(ownedDeliveryExecutor);
        log.info("ssekit hub stopped");
    }

    private Duration jitteredRetry() {
        long jitter = shutdownRetryJitter.toMillis();
        long extra = jitter == 0 ? 0 : ThreadLocalRandom.current().nextLong(jitter + 1);
        return reconnectDelay.plusMillis(extra);
    }

    private void awaitDrained(long deadlineNanos) {
        try {
            if (!registry.awaitEmpty(deadlineNanos)) {
                log.debug("{} streams still open at the shutdown deadline; closing them",
                        registry.size());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void stop(ExecutorService executor) {
        if (executor == null) {
            return;
        }
        executor.shutdown();
        try {
            if (!executor.awaitTermination(EXECUTOR_STOP_TIMEOUT.toMillis(),
                    TimeUnit.MILLISECONDS)) {
                log.warn("ssekit threads did not stop within {}; interrupting them",
                        EXECUTOR_STOP_TIMEOUT);
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    private static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger count = new AtomicInteger(1);
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + count.getAndIncrement());
            thread.setDaemon(true);
            return thread;
        };
    }
}
