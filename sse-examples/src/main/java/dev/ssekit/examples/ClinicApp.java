package dev.ssekit.examples;

import dev.ssekit.SseHub;
import dev.ssekit.SseHubBuilder;
import dev.ssekit.auth.Authenticator;
import dev.ssekit.auth.JwtAuthenticator;
import dev.ssekit.servlet.SseServlet;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import org.eclipse.jetty.server.Server;

/**
 * Starts the clinic example: {@code main} reads the environment, starts the server, and prints
 * the URL and demo tokens; {@link #start} is the wiring, used by the tests too.
 *
 * <p>Run it from the repository root with
 * {@code mvn -B -q -pl sse-examples -am -Prun -DskipTests package}, then open the printed URL.
 */
public final class ClinicApp {

    /** How often the reminder job looks for upcoming appointments. */
    static final Duration REMINDER_PERIOD = Duration.ofSeconds(30);

    private ClinicApp() {
    }

    /**
     * Starts the clinic with settings from the environment and blocks until the JVM exits;
     * Ctrl-C shuts it down cleanly.
     */
    public static void main(String[] args) throws Exception {
        ClinicSettings settings = ClinicSettings.fromEnvironment(System.getenv());
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(
                runnable -> new Thread(runnable, "clinic-reminders"));
        ClinicServer server;
        try {
            server = start(settings, Clock.systemUTC(), scheduler);
        } catch (Exception e) {
            // Its thread is not a daemon: left running, it would keep the JVM alive.
            scheduler.shutdownNow();
            throw e;
        }

        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            scheduler.shutdownNow();
        }, "clinic-shutdown"));
        printBanner(System.out, settings, server);
    }

    /**
     * Builds and starts the clinic.
     *
     * @param settings port and JWT secret
     * @param clock the time source of the clinic's data and reminder job (not of the hub or
     *     of token checks, which use real time)
     * @param scheduler runs the reminder job; owned by the caller, which shuts it down
     * @return the started server
     * @throws Exception if Jetty cannot start, for example because the port is taken
     */
    public static ClinicServer start(ClinicSettings settings, Clock clock,
            ScheduledExecutorService scheduler) throws Exception {
        // Core defaults throughout: 30 s heartbeats suit common proxy idle timeouts, and a
        // 1000-event, 5-minute replay window covers a browser's reconnect after a drop.
        return start(settings, clock, scheduler, SseHub.builder());
    }

    /** Same as the public {@code start}, with a hub configured by the caller (tests). */
    static ClinicServer start(ClinicSettings settings, Clock clock,
            ScheduledExecutorService scheduler, SseHubBuilder hubSettings) throws Exception {
        // Everything that may throw comes before the hub, whose threads must not leak.
        Authenticator authenticator = authenticator(settings.jwtSecret());
        DemoTokens demoTokens = new DemoTokens(settings.jwtSecret(), Clock.systemUTC());
        PageServlet page = new PageServlet();
        StreamTrackingHub hub = new StreamTrackingHub(hubSettings.build());

        ClinicData data = new ClinicData(clock.instant());
        ClinicEvents clinicEvents = new ClinicEvents(hub, data::staffIds, clock);
        AppointmentReminders reminders = new AppointmentReminders(data, clinicEvents, clock);
        ApiServlet api = new ApiServlet(authenticator, data, clinicEvents, reminders, hub,
                demoTokens, clock);
        SseServlet events = SseServlet.builder(hub, authenticator)
                .adminRole(ClinicData.ADMIN)
                .build();

        Server jetty = ClinicServer.jetty(settings.port(), events, api, page);
        ScheduledFuture<?> reminderTask = reminders.schedule(scheduler, REMINDER_PERIOD);
        ClinicServer server =
                new ClinicServer(jetty, hub, reminders, reminderTask, demoTokens, data);
        return server.start();
    }

    /** The HS256 JWT authenticator shared by the event streams and the API. */
    static Authenticator authenticator(String secret) {
        return JwtAuthenticator.builder().hmacSecret(secret).build();
    }

    private static void printBanner(PrintStream out, ClinicSettings settings,
            ClinicServer server) {
        String base = server.uri().toString();
        out.println();
        out.println("ssekit clinic example running at " + base);
        if (settings.secretGenerated()) {
            out.println("(SSEKIT_JWT_SECRET unset: a random secret was generated; tokens from"
                    + " earlier runs no longer work)");
        }
        out.println();
        out.println("DEMO CONVENIENCE ONLY - a real service never prints tokens:");
        out.println("  export USER_TOKEN=" + server.demoToken("alice") + "   # alice, a patient");
        out.println("  export ADMIN_TOKEN=" + server.demoToken("admin") + "   # admin, staff too");
        out.println();
        out.println("Try:");
        out.println("  curl -N -H \"Authorization: Bearer $USER_TOKEN\" " + base
                + "events/stream");
        out.println("  curl -H \"Authorization: Bearer $ADMIN_TOKEN\" -H 'Content-Type:"
                + " application/json' -d '{\"message\":\"Fire drill at 3 pm\"}' " + base
                + "api/alerts");
        out.println();
    }
}
