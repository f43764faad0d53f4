package dev.ssekit.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The clinic's API refuses what it must: missing, forged or expired tokens (401), a missing
 * role (403), and bad input, each with a JSON error that names the problem and never a stack
 * trace. Also checks that the page is served at the root.
 */
class ClinicApiErrorsTest {

    private static ScheduledExecutorService scheduler;
    private static ClinicServer server;
    private static ClinicHttp http;

    @BeforeAll
    static void startClinic() throws Exception {
        scheduler = Executors.newSingleThreadScheduledExecutor();
        server = ClinicApp.start(new ClinicSettings(0, TestTokens.SECRET, false),
                Clock.systemUTC(), scheduler);
        http = new ClinicHttp(server.uri());
    }

    @AfterAll
    static void stopClinic() {
        server.close(Duration.ofMillis(500));
        scheduler.shutdownNow();
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
    }

    @ParameterizedTest(name = "{0} {1} {2} -> {3}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            POST | /api/records       | {"patientId":"alice",          | 400 | not valid JSON
            POST | /api/records       | [1, 2]                         | 400 | JSON object
            POST | /api/records       | {"summary":"x"}                | 400 | is required
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
        HttpResponse<String> response = http.send(method, path, TestTokens.admin(),
                body == null ? "" : body);

        assertThat(response.statusCode()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).get().asString()
                .startsWith("application/json");
        JsonNode error = ClinicHttp.JSON.readTree(response.body());
        assertThat(error.get("status").asInt()).isEqualTo(status);
        assertThat(error.get("error").asText()).contains(message);
        assertThat(response.body()).doesNotContain("Exception").doesNotContain("at dev.");
    }

    @Test
    void servesThePageAtTheRoot() throws Exception {
        HttpResponse<String> page = http.send("GET", "/", null, "");

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).get().asString()
                .startsWith("text/html");
        assertThat(page.body()).contains("new EventSource(").contains("id=\"state\"");
    }

    private static void assertError(String method, String path, String token, Object body,
            int status) throws Exception {
        HttpResponse<String> response =
                http.send(method, path, token, ClinicHttp.JSON.writeValueAsString(body));
        assertThat(response.statusCode()).isEqualTo(status);
        JsonNode error = ClinicHttp.JSON.readTree(response.body());
        assertThat(error.get("status").asInt()).isEqualTo(status);
        assertThat(error.get("error").asText()).isNotBlank();
    }
}
