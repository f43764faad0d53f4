package dev.ssekit.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
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
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The clinic's API refuses what it must: missing, forged or expired tokens (401), a missing
 * role (403), a foreign Host header (403), a wrong method (405 with Allow), and bad input, each
 * with a JSON error that names the problem and never a stack trace or parser internals. Also
 * checks that the page is served at the root.
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
            POST | /api/records | {"patientId":"alice", | 400 | malformed JSON at line 1
            POST | /api/records | {"patientId":"alice" "x"} | 400 | JSON at line 1, column 22
            POST | /api/records       | [1, 2]                         | 400 | JSON object
            POST | /api/alerts        | {"message":"a"} {}             | 400 | malformed JSON
            POST | /api/alerts  | {"message":"a","message":"b"} | 400 | malformed JSON
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
        assertThat(error.get("error").asText()).doesNotContain("Source")
                .doesNotContain("REDACTED").doesNotContain("StreamRead")
                .doesNotContainIgnoringCase("jackson");
    }

    @Test
    void deeplyNestedJsonGetsAShortErrorWithoutJacksonSettings() throws Exception {
        String nested = "[".repeat(5000) + "]".repeat(5000);

        HttpResponse<String> response = http.send("POST", "/api/records", TestTokens.admin(),
                nested);

        assertThat(response.statusCode()).isEqualTo(400);
        String error = ClinicHttp.JSON.readTree(response.body()).get("error").asText();
        assertThat(error).startsWith("request body is not valid JSON")
                .doesNotContain("StreamReadConstraints").doesNotContain("getMaxNestingDepth")
                .doesNotContainIgnoringCase("jackson");
    }

    @ParameterizedTest(name = "{0} {1} -> Allow: {2}")
    @CsvSource(delimiter = '|', textBlock = """
            GET    | /api/alerts                    | POST
            DELETE | /api/records/rec-1             | PUT
            POST   | /api/demo-users                | GET
            GET    | /api/prescriptions/rx-1/status | PUT
            """)
    void methodNotAllowedNamesTheAllowedMethods(String method, String path, String allow)
            throws Exception {
        HttpResponse<String> response = http.send(method, path, TestTokens.admin(), "");

        assertThat(response.statusCode()).isEqualTo(405);
        assertThat(response.headers().allValues("Allow")).containsExactly(allow);
        assertThat(ClinicHttp.JSON.readTree(response.body()).get("error").asText())
                .contains("use " + allow);
    }

    @ParameterizedTest(name = "Host: {0}")
    @ValueSource(strings = {"evil.example", "evil.example:PORT", "127.0.0.1.evil.example:PORT",
            "localhost.evil.example", "[::2]:PORT", "0.0.0.0:PORT"})
    void demoLoginRefusesAForeignHostHeaderAsADnsRebindingPageWouldSend(String host)
            throws Exception {
        String reply = sendRaw("POST", "/api/demo-login", host, "{\"user\":\"admin\"}");

        assertThat(reply).startsWith("HTTP/1.1 403 ");
        assertThat(reply).contains("\"status\":403").contains("Host header")
                .doesNotContain("token");
    }

    @Test
    void everyApiRequestChecksTheHostHeader() throws Exception {
        String reply = sendRaw("GET", "/api/demo-users", "rebound.example:PORT", "");

        assertThat(reply).startsWith("HTTP/1.1 403 ").doesNotContain("alice");
    }

    @ParameterizedTest(name = "Host: {0}")
    @ValueSource(strings = {"localhost:PORT", "LOCALHOST", "127.0.0.1:PORT", "127.1.2.3",
            "[::1]:PORT", "[::1]"})
    void demoLoginAnswersRequestsAddressedToALoopbackName(String host) throws Exception {
        String reply = sendRaw("POST", "/api/demo-login", host, "{\"user\":\"alice\"}");

        assertThat(reply).startsWith("HTTP/1.1 200 ").contains("\"token\":\"ey");
    }

    @Test
    void aRequestJettyCannotReadGetsOneLineThatRepeatsNoToken() throws Exception {
        String token = TestTokens.alice();
        HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                server.uri().resolve("/events//stream?token=" + token)).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(answer.statusCode()).isEqualTo(400);
        assertThat(answer.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("text/plain"));
        assertThat(answer.body())
                .isEqualTo("400 Bad Request: the server could not read this request\n")
                .doesNotContain(token);
    }

    @Test
    void servesThePageAtTheRoot() throws Exception {
        HttpResponse<String> page = http.send("GET", "/", null, "");

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).get().asString()
                .startsWith("text/html");
        assertThat(page.body()).contains("new EventSource(").contains("id=\"state\"");
    }

    /** One request over a raw socket, so that the test chooses the Host header freely. */
    private static String sendRaw(String method, String path, String host, String body)
            throws IOException {
        int port = server.uri().getPort();
        byte[] content = body.getBytes(StandardCharsets.UTF_8);
        String head = method + " " + path + " HTTP/1.1\r\n"
                + "Host: " + host.replace("PORT", Integer.toString(port)) + "\r\n"
                + "Content-Type: application/json\r\n"
                + "Content-Length: " + content.length + "\r\n"
                + "Connection: close\r\n\r\n";
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            out.write(content);
            out.flush();
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
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

    @Test
    void answers415ForABodyThatIsNotJson() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest
                .newBuilder(server.uri().resolve("/api/alerts"))
                .timeout(Duration.ofSeconds(5))
                .header("Authorization", "Bearer " + TestTokens.admin())
                .header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString("{\"message\":\"x\"}")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(415);
        assertThat(response.body()).contains("application/json");
    }
}
