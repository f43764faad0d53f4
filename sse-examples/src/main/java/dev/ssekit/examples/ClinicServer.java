package dev.ssekit.examples;

import jakarta.servlet.http.HttpServlet;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ScheduledFuture;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running clinic: embedded Jetty with the ssekit servlet at {@code /events/*}, the JSON
 * API at {@code /api/*} and the page at {@code /}, plus the hub and the reminder job.
 * Built by {@link ClinicApp#start}.
 *
 * <p>{@link #close(Duration)} is idempotent and may be called from any thread (the JVM's
 * shutdown hook, a test).
 */
public final class ClinicServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ClinicServer.class);

    /** The address Jetty listens on: loopback, because the demo login hands out tokens. */
    static final String HOST = "127.0.0.1";

    /** Jetty's idle timeout per connection: well above the hub's 30 s heartbeat interval. */
    static final Duration CONNECTION_IDLE_TIMEOUT = Duration.ofMinutes(2);

    private final Object lock = new Object();
    private final Server jetty;
    private final StreamTrackingHub hub;
    private final AppointmentReminders reminders;
    private final ScheduledFuture<?> reminderTask;
    private final DemoTokens demoTokens;
    private final ClinicData data;
    private boolean closed;

    ClinicServer(Server jetty, StreamTrackingHub hub, AppointmentReminders reminders,
            ScheduledFuture<?> reminderTask, DemoTokens demoTokens, ClinicData data) {
        this.jetty = Objects.requireNonNull(jetty, "jetty");
        this.hub = Objects.requireNonNull(hub, "hub");
        this.reminders = Objects.requireNonNull(reminders, "reminders");
        this.reminderTask = Objects.requireNonNull(reminderTask, "reminderTask");
        this.demoTokens = Objects.requireNonNull(demoTokens, "demoTokens");
        this.data = Objects.requireNonNull(data, "data");
    }

    /** Creates a Jetty server on loopback with the three servlets; not started. */
    static Server jetty(int port, HttpServlet events, HttpServlet api, HttpServlet page) {
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost(HOST);
        connector.setPort(port);
        // Jetty's 30 s default equals the hub's heartbeat interval, so an idle stream could be
        // cut just before its heartbeat; the idle timeout must clearly exceed the heartbeat.
        connector.setIdleTimeout(CONNECTION_IDLE_TIMEOUT.toMillis());
        server.addConnector(connector);

        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath("/");
        ServletHolder eventsHolder = new ServletHolder("events", events);
        // Streams outlive the request thread: the ssekit servlet answers asynchronously.
        eventsHolder.setAsyncSupported(true);
        context.addServlet(eventsHolder, "/events/*");
        context.addServlet(new ServletHolder("api", api), "/api/*");
        context.addServlet(new ServletHolder("page", page), "/");
        server.setHandler(context);

        // Errors from the container itself (a malformed request): one line, no stack trace,
        // and nothing repeated from the request, whose query may hold a token.
        server.setErrorHandler(new PlainErrorHandler());
        return server;
    }

    /**
     * Starts Jetty; on failure (for example a port in use) shuts everything down again.
     *
     * @return this server, started
     * @throws Exception what Jetty threw
     */
    ClinicServer start() throws Exception {
        try {
            jetty.start();
        } catch (Exception e) {
            close(Duration.ZERO);
            throw e;
        }
        return this;
    }

    /** The base URI, for example {@code http://127.0.0.1:8080/}. */
    public URI uri() {
        ServerConnector connector = (ServerConnector) jetty.getConnectors()[0];
        return URI.create("http://" + HOST + ":" + connector.getLocalPort() + "/");
    }

    /**
     * DEMO CONVENIENCE: a fresh token for a demo user, as printed at start.
     *
     * @throws IllegalArgumentException if there is no such demo user
     */
    public String demoToken(String userId) {
        return data.user(userId).map(demoTokens::issue).orElseThrow(
                () -> new IllegalArgumentException("no demo user '" + userId + "'"));
    }

    /** How many users the demo tracks streams for: those with a stream open now. */
    int usersWithOpenStreams() {
        return hub.usersTracked();
    }

    /** Runs the reminder job now, as its schedule would; returns the reminders sent. */
    public int runRemindersNow() {
        return reminders.runOnce();
    }

    /**
     * Shuts down in order: stops the reminder job, closes the hub (clients get a randomized
     * {@code retry:} and a bounded drain), then stops Jetty. Blocks for at most about
     * {@code grace} plus Jetty's stop timeout. Idempotent.
     */
    public void close(Duration grace) {
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
        }

        reminderTask.cancel(false);
        hub.close(grace);
        try {
            jetty.stop();
        } catch (Exception e) {
            log.warn("Jetty did not stop cleanly", e);
        }
    }

    /** Same as {@link #close(Duration)} with a grace of 5 seconds, the hub's default. */
    @Override
    public void close() {
        close(Duration.ofSeconds(5));
    }
}
