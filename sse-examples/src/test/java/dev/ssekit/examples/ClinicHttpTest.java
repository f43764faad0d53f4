package dev.ssekit.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ssekit.SseHub;
import dev.ssekit.testkit.EventStreamParser.ParsedEvent;
import dev.ssekit.testkit.TestClock;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Starts the clinic on a free port and drives it over real HTTP with real JWTs: each action
 * reaches the right users, and only them. To prove that an event did not reach a stream, an
 * admin then raises a "fence" alert that reaches everyone; a stream receives its events in
 * emit order, so what it got before the fence is all it will ever get from the action.
 */
class ClinicHttpTest {

    private static final AtomicInteger FENCES = new AtomicInteger();
    private static final Instant START = Instant.parse("2026-03-02T09:00:00Z");

    private static TestClock clock;
    private static ScheduledExecutorService scheduler;
    private static ClinicServer server;
    private static ClinicHttp http;

    private final Map<String, EventStreamClient> streams = new LinkedHashMap<>();

    @BeforeAll
    static void startClinic() throws Exception {
        clock = TestClock.fixedAt(START);
        scheduler = Executors.newSingleThreadScheduledExecutor();
        // Frequent heartbeats let the server notice promptly the streams each test closes,
        // so the per-user stream limit never fills up with streams of earlier tests.
        server = ClinicApp.start(new ClinicSettings(0, TestTokens.SECRET, false), clock,
                scheduler, SseHub.builder().heartbeatInterval(Duration.ofMillis(500)));
        http = new ClinicHttp(server.uri());
    }

    @AfterAll
    static void stopClinic() {
        server.close(Duration.ofMillis(500));
        scheduler.shutdownNow();
    }

    @BeforeEach
    void openStreamsOfFourUsers() throws Exception {
        streams.put("alice", stream(TestTokens.alice(), ""));
        streams.put("bob", stream(TestTokens.bob(), ""));
        streams.put("dr.grey", stream(TestTokens.grey(), ""));
        streams.put("admin", stream(TestTokens.admin(), ""));
    }

    @AfterEach
    void closeStreams() throws IOException {
        for (EventStreamClient stream : streams.values()) {
            stream.close();
        }
    }

    @Test
    void recordEventsReachStaffButNoPatient() throws Exception {
        JsonNode created = http.call("POST", "/api/records", TestTokens.grey(),
                Map.of("patientId", "alice", "summary", "Mild fever"), 201);
        String recordId = created.at("/record/recordId").asText();
        http.call("PUT", "/api/records/" + recordId, TestTokens.grey(),
                Map.of("summary", "Fever gone"), 200);

        Map<String, List<ParsedEvent>> seen = untilFence();
        for (String staff : List.of("dr.grey", "admin")) {
            assertThat(seen.get(staff)).extracting(ParsedEvent::type)
                    .containsExactly("record.created", "record.updated");
            JsonNode updated = data(seen.get(staff).get(1));
            assertThat(updated.get("recordId").asText()).isEqualTo(recordId);
            assertThat(updated.get("patientId").asText()).isEqualTo("alice");
            assertThat(updated.get("summary").asText()).isEqualTo("Fever gone");
            assertThat(updated.get("version").asInt()).isEqualTo(2);
            assertThat(updated.get("changedBy").asText()).isEqualTo("dr.grey");
        }
        assertThat(seen.get("alice")).isEmpty();
        assertThat(seen.get("bob")).isEmpty();
    }

    @Test
    void systemAlertReachesEveryConnectedUser() throws Exception {
        JsonNode reply = http.call("POST", "/api/alerts", TestTokens.admin(),
                Map.of("message", "Power maintenance at noon", "severity", "warning"), 202);
        // Streams of earlier tests may not be noticed as gone yet, hence "at least".
        assertThat(reply.get("streamsReached").asInt()).isGreaterThanOrEqualTo(4);

        for (Map.Entry<String, List<ParsedEvent>> entry : untilFence().entrySet()) {
            assertThat(entry.getValue()).as(entry.getKey()).singleElement().satisfies(event -> {
                assertThat(event.type()).isEqualTo("system.alert");
                assertThat(event.lastEventId()).isEqualTo(reply.at("/eventIds/0").asText());
                JsonNode alert = data(event);
                assertThat(alert.get("message").asText()).isEqualTo("Power maintenance at noon");
                assertThat(alert.get("severity").asText()).isEqualTo("warning");
                assertThat(alert.get("raisedBy").asText()).isEqualTo("admin");
            });
        }
    }

    @Test
    void notificationReachesOnlyTheAddressedUser() throws Exception {
        http.call("POST", "/api/notifications", TestTokens.alice(),
                Map.of("userId", "bob", "title", "Carpool", "body", "See you at 8"), 202);

        Map<String, List<ParsedEvent>> seen = untilFence();
        assertThat(seen.get("bob")).singleElement().satisfies(event -> {
            assertThat(event.type()).isEqualTo("notification");
            JsonNode notification = data(event);
            assertThat(notification.get("title").asText()).isEqualTo("Carpool");
            assertThat(notification.get("body").asText()).isEqualTo("See you at 8");
            assertThat(notification.get("from").asText()).isEqualTo("alice");
        });
        assertThat(seen.get("alice")).isEmpty();
        assertThat(seen.get("dr.grey")).isEmpty();
        assertThat(seen.get("admin")).isEmpty();
    }

    @Test
    void prescriptionStatusChangeReachesOnlyThePatient() throws Exception {
        http.call("PUT", "/api/prescriptions/rx-2/status", TestTokens.grey(),
                Map.of("status", "IN_PREPARATION"), 200);
        http.call("PUT", "/api/prescriptions/rx-2/status", TestTokens.grey(),
                Map.of("status", "ready_for_pickup"), 200);

        Map<String, List<ParsedEvent>> seen = untilFence();
        assertThat(seen.get("bob")).extracting(ParsedEvent::type)
                .containsOnly("prescription.statusChanged").hasSize(2);
        JsonNode ready = data(seen.get("bob").get(1));
        assertThat(ready.get("prescriptionId").asText()).isEqualTo("rx-2");
        assertThat(ready.get("medication").asText()).isEqualTo("Ibuprofen 400 mg");
        assertThat(ready.get("previousStatus").asText()).isEqualTo("IN_PREPARATION");
        assertThat(ready.get("status").asText()).isEqualTo("READY_FOR_PICKUP");
        assertThat(seen.get("alice")).isEmpty();
        assertThat(seen.get("dr.grey")).isEmpty();
        assertThat(seen.get("admin")).isEmpty();
    }

    @Test
    void reminderJobRemindsOnlyThePatientOnceTheAppointmentIsWithinAnHour() throws Exception {
        server.runRemindersNow();
        JsonNode booked = http.call("POST", "/api/appointments", TestTokens.grey(),
                Map.of("patientId", "alice", "startsInMinutes", 90), 201);
        String appointmentId = booked.at("/appointment/id").asText();

        server.runRemindersNow();
        assertThat(reminders(untilFence().get("alice"), appointmentId)).isEmpty();

        clock.advance(Duration.ofMinutes(40));
        server.runRemindersNow();
        server.runRemindersNow();
        Map<String, List<ParsedEvent>> seen = untilFence();
        assertThat(reminders(seen.get("alice"), appointmentId)).singleElement()
                .satisfies(reminder -> {
                    assertThat(reminder.get("clinicianId").asText()).isEqualTo("dr.grey");
                    assertThat(reminder.get("minutesUntilStart").asLong()).isEqualTo(50);
                    assertThat(reminder.get("startsAt").asText())
                            .isEqualTo(START.plus(Duration.ofMinutes(90)).toString());
                });
        for (String other : List.of("bob", "dr.grey", "admin")) {
            assertThat(reminders(seen.get(other), appointmentId)).as(other).isEmpty();
        }
    }

    @Test
    void streamFilterAndTokenTravelInTheQueryStringAsTheBrowserSendsThem() throws Exception {
        String query = "token=" + TestTokens.alice() + "&events=notification,prescription.*";
        try (EventStreamClient filtered = stream(null, query)) {
            http.call("POST", "/api/alerts", TestTokens.admin(), Map.of("message", "Not mine"),
                    202);
            http.call("PUT", "/api/prescriptions/rx-1/status", TestTokens.grey(),
                    Map.of("status", "PICKED_UP"), 200);
            http.call("POST", "/api/notifications", TestTokens.bob(),
                    Map.of("userId", "alice", "body", "Hi"), 202);

            assertThat(filtered.next().type()).isEqualTo("prescription.statusChanged");
            assertThat(filtered.next().type()).isEqualTo("notification");
        }
    }

    @Test
    void clientResumesAfterTheServerDropsItsStreamWithoutMissingEvents() throws Exception {
        // nurse.joy: no other test connects her, so the stream counts below are exact.
        String joy = TestTokens.token("nurse.joy", "staff");
        try (EventStreamClient first = stream(joy, "")) {
            notifyJoy("before");
            assertThat(data(first.next()).get("body").asText()).isEqualTo("before");

            JsonNode dropped = http.call("POST", "/api/demo/drop-my-streams", joy, Map.of(), 200);
            assertThat(dropped.get("streamsClosed").asInt()).isEqualTo(1);
            assertThat(first.awaitEnd()).as("server ended the stream").isTrue();
            assertThat(notifyJoy("gap 1").get("streamsReached").asInt()).isZero();
            assertThat(notifyJoy("gap 2").get("streamsReached").asInt()).isZero();

            try (EventStreamClient resumed = EventStreamClient.open(http.client(),
                    http.uri("/events/stream"), joy, first.lastEventId())) {
                assertThat(data(resumed.next()).get("body").asText()).isEqualTo("gap 1");
                assertThat(data(resumed.next()).get("body").asText()).isEqualTo("gap 2");
                notifyJoy("live again");
                assertThat(data(resumed.next()).get("body").asText()).isEqualTo("live again");
            }
        }
    }

    @Test
    void demoStopsTrackingAUserWhenTheirLastStreamCloses() throws Exception {
        // The four users of every test stay; entries of closed streams may linger only as
        // long as the server has not noticed the close, so the count can only fall.
        int before = server.usersWithOpenStreams();

        for (int i = 0; i < 3; i++) {
            String visitor = TestTokens.token("visitor-" + i, "patient");
            try (EventStreamClient first = stream(visitor, "");
                    EventStreamClient second = stream(visitor, "")) {
                http.call("POST", "/api/demo/drop-my-streams", visitor, Map.of(), 200);
                assertThat(first.awaitEnd()).isTrue();
                assertThat(second.awaitEnd()).isTrue();
            }

            await("users tracked after visitor " + i).atMost(Duration.ofSeconds(5))
                    .until(server::usersWithOpenStreams, tracked -> tracked <= before);
        }
    }

    private JsonNode notifyJoy(String body) throws Exception {
        return http.call("POST", "/api/notifications", TestTokens.bob(),
                Map.of("userId", "nurse.joy", "body", body), 202);
    }

    private EventStreamClient stream(String token, String query) throws Exception {
        URI uri = server.uri().resolve("/events/stream" + (query.isEmpty() ? "" : "?" + query));
        return EventStreamClient.open(http.client(), uri, token, null);
    }

    /** Raises a fence alert and returns, per user, what each stream got before it. */
    private Map<String, List<ParsedEvent>> untilFence() throws Exception {
        String fence = "fence-" + FENCES.incrementAndGet();
        http.call("POST", "/api/alerts", TestTokens.admin(), Map.of("message", fence), 202);

        Map<String, List<ParsedEvent>> seen = new LinkedHashMap<>();
        for (Map.Entry<String, EventStreamClient> entry : streams.entrySet()) {
            seen.put(entry.getKey(), entry.getValue().until(event ->
                    event.type().equals("system.alert") && event.data().contains(fence)));
        }
        return seen;
    }

    private static List<JsonNode> reminders(List<ParsedEvent> events, String appointmentId)
            throws IOException {
        List<JsonNode> found = new ArrayList<>();
        for (ParsedEvent event : events) {
            if (event.type().equals("appointment.reminder")
                    && data(event).get("appointmentId").asText().equals(appointmentId)) {
                found.add(data(event));
            }
        }
        return found;
    }

    private static JsonNode data(ParsedEvent event) throws IOException {
        return ClinicHttp.JSON.readTree(event.data());
    }
}
