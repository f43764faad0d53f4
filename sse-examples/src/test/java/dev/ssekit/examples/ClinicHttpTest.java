package dev.ssekit.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ssekit.testkit.EventStreamParser.ParsedEvent;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Starts the clinic on a free port and drives it over real HTTP with real JWTs: each action
 * reaches the right users, and only them. To prove that an event did not reach a stream, an
 * admin then raises a "fence" alert that reaches everyone; a stream receives its events in
 * emit order, so what it got before the fence is all it will ever get from the action.
 */
class ClinicHttpTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final AtomicInteger FENCES = new AtomicInteger();
    private static final Instant START = Instant.parse("2026-03-02T09:00:00Z");

    private static MutableClock clock;
    private static ScheduledExecutorService scheduler;
    private static ClinicServer server;
    private static HttpClient http;

    private final Map<String, EventStreamClient> streams = new LinkedHashMap<>();

    @BeforeAll
    static void startClinic() throws Exception {
        clock = new MutableClock(START);
        scheduler = Executors.newSingleThreadScheduledExecutor();
        server = ClinicApp.start(new ClinicSettings(0, TestTokens.SECRET, false), clock,
                scheduler);
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
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
        JsonNode created = call("POST", "/api/records", TestTokens.grey(),
                Map.of("patientId", "alice", "summary", "Mild fever"), 201);
        String recordId = created.at("/record/recordId").asText();
        call("PUT", "/api/records/" + recordId, TestTokens.grey(),
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
        JsonNode reply = call("POST", "/api/alerts", TestTokens.admin(),
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
        call("POST", "/api/notifications", TestTokens.alice(),
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
        call("PUT", "/api/prescriptions/rx-2/status", TestTokens.grey(),
                Map.of("status", "IN_PREPARATION"), 200);
        call("PUT", "/api/prescriptions/rx-2/status", TestTokens.grey(),
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
        JsonNode booked = call("POST", "/api/appointments", TestTokens.grey(),
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
            call("POST", "/api/alerts", TestTokens.admin(), Map.of("message", "Not for me"), 202);
            call("PUT", "/api/prescriptions/rx-1/status", TestTokens.grey(),
                    Map.of("status", "PICKED_UP"), 200);
            call("POST", "/api/notifications", TestTokens.bob(),
                    Map.of("userId", "alice", "body", "Hi"), 202);

            assertThat(filtered.next().type()).isEqualTo("prescription.statusChanged");
            assertThat(filtered.next().type()).isEqualTo("notification");
        }
    }

    @Test
    void clientResumesAfterTheServerDropsItsStreamWithoutMissingEvents() throws Exception {
        EventStreamClient alice = streams.get("alice");
        call("POST", "/api/notifications", TestTokens.bob(),
                Map.of("userId", "alice", "body", "before"), 202);
        assertThat(data(alice.next()).get("body").asText()).isEqualTo("before");

        JsonNode dropped = call("POST", "/api/demo/drop-my-streams", TestTokens.alice(),
                Map.of(), 200);
        assertThat(dropped.get("streamsClosed").asInt()).isEqualTo(1);
        assertThat(alice.awaitEnd()).as("server ended the stream").isTrue();
        List<String> missed = new ArrayList<>();
        for (String body : List.of("gap 1", "gap 2")) {
            JsonNode sent = call("POST", "/api/notifications", TestTokens.bob(),
                    Map.of("userId", "alice", "body", body), 202);
            assertThat(sent.get("streamsReached").asInt()).isZero();
            missed.add(body);
        }

        try (EventStreamClient resumed = EventStreamClient.open(http,
                server.uri().resolve("/events/stream"), TestTokens.alice(),
                alice.lastEventId())) {
            assertThat(data(resumed.next()).get("body").asText()).isEqualTo(missed.get(0));
            assertThat(data(resumed.next()).get("body").asText()).isEqualTo(missed.get(1));
        }
    }

    @Test
    void actionsNeedAValidTokenAndAlertsNeedTheAdminRole() throws Exception {
        Map<String, Object> alert = Map.of("message", "hello");
        String wrongKey = TestTokens.token("another-secret-of-at-least-thirty-two-chars", "admin",
                Instant.now().plusSeconds(600), "admin");
        String expired = TestTokens.token(TestTokens.SECRET, "admin",
                Instant.now().minusSeconds(30), "admin");

        assertError("POST", "/api/alerts", null, alert, 401);
        assertError("POST", "/api/alerts", wrongKey, alert, 401);
        assertError("POST", "/api/alerts", expired, alert, 401);
        assertError("POST", "/api/alerts", TestTokens.alice(), alert, 403);
        assertError("POST", "/api/records", TestTokens.bob(),
                Map.of("patientId", "bob", "summary", "self-edit"), 403);
        assertThat(untilFence().values()).allSatisfy(events -> assertThat(events).isEmpty());
    }

    @ParameterizedTest(name = "{0} {1} {2} -> {3}")
    @CsvSource(delimiter = '|', textBlock = """
            POST | /api/records       | {"patientId":"alice",          | 400 | not valid JSON
            POST | /api/records       | [1, 2]                         | 400 | JSON object
            POST | /api/records       | {"summary":"x"}                | 400 | 'patientId' is required
            POST | /api/records       | {"patientId":"zed","summary":"x"} | 400 | names no patient
            POST | /api/records       | {"patientId":7,"summary":"x"}  | 400 | must be a string
            PUT  | /api/records/rec-999 | {"summary":"x"}              | 404 | no patient record
            POST | /api/alerts        | {"message":"x","severity":"meh"} | 400 | 'severity'
            POST | /api/alerts        | {"message":"   "}              | 400 | must not be blank
            POST | /api/notifications | {"userId":"nobody","body":"x"} | 400 | names no user
            PUT  | /api/prescriptions/rx-1/status | {"status":"LOST"}  | 400 | must be one of
            POST | /api/appointments  | {"patientId":"bob","startsInMinutes":-5} | 400 | between
            POST | /api/appointments  | {"patientId":"bob","startsInMinutes":"soon"} | 400 | whole
            POST | /api/demo-login    | {"user":"mallory"}             | 400 | unknown demo user
            GET  | /api/alerts        |                                | 405 | not allowed
            POST | /api/nothing-here  | {}                             | 404 | no API endpoint
            """)
    void badInputGetsAClearJsonErrorAndNoStackTrace(String method, String path, String body,
            int status, String message) throws Exception {
        HttpResponse<String> response = send(method, path, TestTokens.admin(),
                body == null ? "" : body);

        assertThat(response.statusCode()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).get().asString()
                .startsWith("application/json");
        JsonNode error = JSON.readTree(response.body());
        assertThat(error.get("status").asInt()).isEqualTo(status);
        assertThat(error.get("error").asText()).contains(message);
        assertThat(response.body()).doesNotContain("Exception").doesNotContain("at dev.");
    }

    @Test
    void servesThePageAtTheRoot() throws Exception {
        HttpResponse<String> page = http.send(HttpRequest.newBuilder(server.uri()).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).get().asString()
                .startsWith("text/html");
        assertThat(page.body()).contains("new EventSource(").contains("id=\"state\"");
    }

    private EventStreamClient stream(String token, String query) throws Exception {
        URI uri = server.uri().resolve("/events/stream" + (query.isEmpty() ? "" : "?" + query));
        return EventStreamClient.open(http, uri, token, null);
    }

    /** Raises a fence alert and returns, per user, what each stream got before it. */
    private Map<String, List<ParsedEvent>> untilFence() throws Exception {
        String fence = "fence-" + FENCES.incrementAndGet();
        call("POST", "/api/alerts", TestTokens.admin(), Map.of("message", fence), 202);

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
        return JSON.readTree(event.data());
    }

    private static JsonNode call(String method, String path, String token, Object body,
            int expectedStatus) throws Exception {
        HttpResponse<String> response = send(method, path, token, JSON.writeValueAsString(body));
        assertThat(response.statusCode()).as("%s %s: %s", method, path, response.body())
                .isEqualTo(expectedStatus);
        return JSON.readTree(response.body());
    }

    private static void assertError(String method, String path, String token, Object body,
            int status) throws Exception {
        HttpResponse<String> response = send(method, path, token, JSON.writeValueAsString(body));
        assertThat(response.statusCode()).isEqualTo(status);
        assertThat(JSON.readTree(response.body()).get("error").asText()).isNotBlank();
    }

    private static HttpResponse<String> send(String method, String path, String token,
            String body) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(server.uri().resolve(path))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .method(method, body.isEmpty() ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
