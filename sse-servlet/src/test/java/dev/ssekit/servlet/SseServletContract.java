package dev.ssekit.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.auth0.jwt.algorithms.Algorithm;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ssekit.Emission;
import dev.ssekit.SseHub;
import dev.ssekit.SseHubBuilder;
import dev.ssekit.auth.Authenticator;
import dev.ssekit.auth.JwtAuthenticator;
import dev.ssekit.testkit.EventStreamParser.ParsedEvent;
import dev.ssekit.testkit.TestClock;
import jakarta.servlet.ServletConfig;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The servlet's behaviour as a client sees it, run against each embedded container by a
 * subclass: real server on a loopback ephemeral port, real HTTP client, real JWTs.
 */
abstract class SseServletContract {

    static final String RETRY = "retry: 3000\n\n";
    static final Duration PROMPTLY = Duration.ofSeconds(2);
    static final Duration HEARTBEAT = Duration.ofMillis(500);

    private static final HttpClient HTTP = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(2)).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    final TestClock clock = TestClock.offsetFromSystem();
    final Tokens tokens = new Tokens(clock);
    final List<AutoCloseable> clients = new ArrayList<>();
    SseHub hub;
    ServletContainer container;
    int port;

    /** A new, unstarted container of the kind under test. */
    abstract ServletContainer newContainer();

    /** How long stopping this container may take to end the open streams. */
    abstract Duration shutdownBound();

    @BeforeEach
    void startDefaults() throws Exception {
        start(hub -> { }, servlet -> servlet);
    }

    @AfterEach
    void stopAll() throws Exception {
        for (AutoCloseable client : clients) {
            client.close();
        }
        // Closing the hub first ends the async cycles, which Tomcat would wait for on stop.
        hub.close(Duration.ZERO);
        stopContainer();
    }

    /** (Re)starts hub and container with test-friendly hub settings plus the given options. */
    void start(Consumer<SseHubBuilder> hubOptions, UnaryOperator<SseServlet.Builder> options)
            throws Exception {
        startHub(hubOptions);
        startServlet(options.apply(SseServlet.builder(hub, authenticator())).build(),
                Map.of(), Map.of());
    }

    void startHub(Consumer<SseHubBuilder> hubOptions) throws Exception {
        if (container != null) {
            stopAll();
        }
        SseHubBuilder builder = SseHub.builder()
                .clock(clock)
                .heartbeatInterval(Duration.ofSeconds(30))
                .sweepInterval(Duration.ofMillis(50))
                .writeTimeout(Duration.ofSeconds(1))
                .shutdownGrace(Duration.ofMillis(200))
                .deliveryThreads(2);
        hubOptions.accept(builder);
        hub = builder.build();
    }

    void startServlet(HttpServlet servlet, Map<String, String> initParams,
            Map<String, Object> attributes) throws Exception {
        container = newContainer();
        port = container.start(servlet, initParams, attributes);
    }

    void stopContainer() throws Exception {
        if (container != null) {
            container.stop();
        }
    }

    Authenticator authenticator() {
        return JwtAuthenticator.builder().hmacSecret(Tokens.SECRET).clock(clock).build();
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + "/events" + path);
    }

    StreamClient get(String path, Map<String, String> headers) throws Exception {
        StreamClient client = StreamClient.open(HTTP, uri(path), headers);
        clients.add(client);
        return client;
    }

    StreamClient stream(String token) throws Exception {
        return stream("/stream", token);
    }

    StreamClient stream(String path, String token) throws Exception {
        return get(path, Map.of("Authorization", "Bearer " + token,
                "Accept", "text/event-stream"));
    }

    /** Opens a stream and waits until the hub's first line arrived. */
    StreamClient opened(String token) throws Exception {
        StreamClient client = stream(token);
        assertThat(client.status()).isEqualTo(200);
        await().atMost(PROMPTLY).until(() -> client.received().startsWith(RETRY));
        return client;
    }

    HttpResponse<String> send(String method, String path, String token, String body)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path))
                .timeout(Duration.ofSeconds(5))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    void awaitOpenStreams(int count) {
        await().atMost(PROMPTLY).until(() -> hub.stats().openStreams() == count);
    }

    long closedBy(String reason) {
        return hub.stats().streamsClosedByReason().getOrDefault(reason, 0L);
    }

    static String frame(String id, String type, String... dataLines) {
        StringBuilder out = new StringBuilder("id: " + id + "\nevent: " + type + "\n");
        for (String line : dataLines) {
            out.append("data: ").append(line).append('\n');
        }
        return out.append('\n').toString();
    }

    // ---- the stream ------------------------------------------------------------------

    @Test
    void commitsHeadersAndTheRetryLineBeforeAnyEvent() throws Exception {
        StreamClient client = stream(tokens.user("alice"));

        assertThat(client.status()).isEqualTo(200);
        assertThat(client.header("Content-Type").replace(" ", ""))
                .isEqualToIgnoringCase("text/event-stream;charset=UTF-8");
        assertThat(client.header("Cache-Control")).isEqualTo("no-cache");
        assertThat(client.header("X-Accel-Buffering")).isEqualTo("no");
        await().atMost(PROMPTLY).until(() -> client.received().equals(RETRY));
        assertThat(hub.stats().eventsEmitted()).isZero();
    }

    @Test
    void deliversASmallEventByteExactAndPromptly() throws Exception {
        StreamClient client = opened(tokens.user("alice"));

        Emission emission = hub.emit("greeting", "hello\r\nworld");

        // The heartbeat is 30 s away: only an explicit flush can bring the event this fast.
        ParsedEvent event = client.nextEvent(Duration.ofSeconds(1));
        assertThat(event).isEqualTo(
                new ParsedEvent("greeting", "hello\nworld", emission.eventId()));
        assertThat(client.received()).isEqualTo(
                RETRY + frame(emission.eventId(), "greeting", "hello", "world"));
    }

    @Test
    void sendsOnlyTheSelectedEventTypes() throws Exception {
        StreamClient client = stream("/stream?events=record.*&events=ping", tokens.user("alice"));
        assertThat(client.status()).isEqualTo(200);
        awaitOpenStreams(1);

        hub.emit("other", "x");
        hub.emit("recordless", "x");
        Emission created = hub.emit("record.created", "{\"id\":1}");
        Emission ping = hub.emit("ping", "");

        assertThat(client.nextEvents(2, PROMPTLY)).containsExactly(
                new ParsedEvent("record.created", "{\"id\":1}", created.eventId()),
                new ParsedEvent("ping", "", ping.eventId()));
        assertThat(client.received()).doesNotContain("other", "recordless");
    }

    @Test
    void eachUserReceivesOnlyTheirOwnTargetedEvents() throws Exception {
        StreamClient alice = opened(tokens.user("alice"));
        StreamClient bob = opened(tokens.user("bob"));

        assertThat(hub.emitTo("alice", "note", "for alice").streamsReached()).isEqualTo(1);
        assertThat(hub.emitTo("bob", "note", "for bob").streamsReached()).isEqualTo(1);
        hub.emit("note", "for all");

        assertThat(alice.nextEvents(2, PROMPTLY)).extracting(ParsedEvent::data)
                .containsExactly("for alice", "for all");
        assertThat(bob.nextEvents(2, PROMPTLY)).extracting(ParsedEvent::data)
                .containsExactly("for bob", "for all");
    }

    @Test
    void servesSeveralStreamsOfOneUser() throws Exception {
        StreamClient tab1 = opened(tokens.user("alice"));
        StreamClient tab2 = opened(tokens.user("alice"));
        StreamClient bob = opened(tokens.user("bob"));

        Emission emission = hub.emitTo("alice", "note", "both tabs");
        hub.emit("note", "everyone");

        assertThat(emission.streamsReached()).isEqualTo(2);
        assertThat(hub.stats().streamsPerUser()).containsEntry("alice", 2).containsEntry("bob", 1);
        for (StreamClient tab : List.of(tab1, tab2)) {
            assertThat(tab.nextEvents(2, PROMPTLY)).extracting(ParsedEvent::data)
                    .containsExactly("both tabs", "everyone");
        }
        assertThat(bob.nextEvent(PROMPTLY).data()).isEqualTo("everyone");
    }

    @Test
    void resumesAfterTheLastEventIdHeaderOrQueryParameter() throws Exception {
        Emission first = hub.emit("n", "1");
        Emission second = hub.emit("n", "2");
        Emission third = hub.emit("n", "3");

        StreamClient byHeader = get("/stream", Map.of(
                "Authorization", "Bearer " + tokens.user("alice"),
                "Last-Event-ID", first.eventId()));
        StreamClient byQuery = stream("/stream?lastEventId=" + second.eventId(),
                tokens.user("alice"));

        String expected = RETRY + frame(second.eventId(), "n", "2");
        await().atMost(PROMPTLY).until(() -> byHeader.received().length()
                >= (expected + frame(third.eventId(), "n", "3")).length());
        assertThat(byHeader.received()).isEqualTo(expected + frame(third.eventId(), "n", "3"));
        assertThat(byQuery.nextEvent(PROMPTLY))
                .isEqualTo(new ParsedEvent("n", "3", third.eventId()));
    }

    @Test
    void flushesEveryEventAlsoWhenSomethingWroteToTheResponseFirst() throws Exception {
        SseServlet sse = SseServlet.builder(hub, authenticator()).build();
        stopContainer();
        // As a host's filter might: a comment line through the response buffer, then the stream.
        startServlet(new HttpServlet() {
            @Override
            public void init(ServletConfig config) throws ServletException {
                super.init(config);
                sse.init(config);
            }

            @Override
            protected void service(HttpServletRequest request, HttpServletResponse response)
                    throws ServletException, IOException {
                response.getOutputStream().write(": hello\n\n".getBytes(
                        StandardCharsets.UTF_8));
                sse.service(request, response);
            }

            @Override
            public void destroy() {
                sse.destroy();
            }
        }, Map.of(), Map.of());
        StreamClient client = stream(tokens.user("alice"));
        await().atMost(PROMPTLY).until(() -> client.received().endsWith(RETRY));

        Emission emission = hub.emit("greeting", "hi");

        // The heartbeat is 30 s away: only a write that reached the wire brings the event.
        assertThat(client.nextEvent(Duration.ofSeconds(1)))
                .isEqualTo(new ParsedEvent("greeting", "hi", emission.eventId()));
        assertThat(client.received()).isEqualTo(": hello\n\n" + RETRY
                + frame(emission.eventId(), "greeting", "hi"));
    }

    @Test
    void deliversEventsAndReplaysLargerThanAnyBufferWhole() throws Exception {
        Emission first = hub.emit("n", "0");
        StringBuilder replayed = new StringBuilder(RETRY);
        for (int i = 0; i < 200; i++) {
            Emission emission = hub.emit("n", i + "r".repeat(1000));
            replayed.append(frame(emission.eventId(), "n", i + "r".repeat(1000)));
        }

        StreamClient resumed = get("/stream", Map.of(
                "Authorization", "Bearer " + tokens.user("alice"),
                "Last-Event-ID", first.eventId()));
        await().atMost(PROMPTLY).until(() -> resumed.received().length()
                >= replayed.length());
        String big = "b".repeat(100 * 1024);
        Emission large = hub.emit("big", big);

        assertThat(resumed.received()).startsWith(replayed.toString());
        assertThat(resumed.nextEvents(201, PROMPTLY)).last()
                .isEqualTo(new ParsedEvent("big", big, large.eventId()));
    }

    @Test
    void tellsAClientWhoseLastEventIdIsUnknownThatItMissedEvents() throws Exception {
        Emission newest = hub.emit("n", "1");

        StreamClient client = get("/stream", Map.of(
                "Authorization", "Bearer " + tokens.user("alice"),
                "Last-Event-ID", "long-gone"));

        assertThat(client.nextEvent(PROMPTLY)).isEqualTo(new ParsedEvent(SseHub.MISSED_EVENTS_TYPE,
                "{\"lastEventId\":\"long-gone\"}", newest.eventId()));
    }

    // ---- authentication --------------------------------------------------------------

    @Test
    void acceptsTheTokenQueryParameterButTheHeaderWins() throws Exception {
        StreamClient byQuery = get("/stream?token=" + tokens.user("bob"), Map.of());
        StreamClient both = get("/stream?token=" + tokens.user("bob"),
                Map.of("Authorization", "Bearer " + tokens.user("alice")));
        StreamClient badHeader = get("/stream?token=" + tokens.user("bob"),
                Map.of("Authorization", "Bearer not-a-token"));

        assertThat(byQuery.status()).isEqualTo(200);
        assertThat(both.status()).isEqualTo(200);
        assertThat(badHeader.status()).isEqualTo(401);
        awaitOpenStreams(2);
        assertThat(hub.stats().streamsPerUser()).containsEntry("alice", 1).containsEntry("bob", 1);
    }

    @Test
    void refusesTheTokenQueryParameterWhenDisabledAndOnAdminEndpoints() throws Exception {
        String admin = tokens.user("root", "admin");
        assertThat(get("/stats?token=" + admin, Map.of()).status()).isEqualTo(401);

        start(hub -> { }, servlet -> servlet.allowTokenQueryParameter(false));

        assertThat(get("/stream?token=" + admin, Map.of()).status()).isEqualTo(401);
    }

    @Test
    void answers401WithABareChallengeWithoutCredentials() throws Exception {
        StreamClient none = get("/stream", Map.of());
        StreamClient basic = get("/stream", Map.of("Authorization", "Basic YWxpY2U6cHc="));

        for (StreamClient client : List.of(none, basic)) {
            assertThat(client.status()).isEqualTo(401);
            assertThat(client.header("WWW-Authenticate")).isEqualTo("Bearer");
        }
        assertThat(none.body()).isEqualTo("a bearer token is required\n");
        assertThat(basic.body()).isEqualTo("the Authorization header must be 'Bearer <token>'\n");
    }

    @Test
    void answers401InvalidTokenForEveryBadCredential() throws Exception {
        Map<String, String> cases = new LinkedHashMap<>();
        cases.put("garbage", "token malformed");
        cases.put(tokens.claims("alice", Duration.ofSeconds(-5)).sign(Tokens.HS256),
                "token expired");
        cases.put(tokens.claims("alice", Duration.ofMinutes(5))
                .withNotBefore(clock.instant().plusSeconds(60)).sign(Tokens.HS256),
                "token not yet valid");
        cases.put(tokens.claims("alice", Duration.ofMinutes(5))
                .sign(Algorithm.HMAC256("some-other-secret-of-at-least-32-bytes")),
                "token signature invalid");
        cases.put(tokens.claims("root", Duration.ofMinutes(5), "admin").sign(Algorithm.none()),
                "token algorithm not accepted");

        for (Map.Entry<String, String> bad : cases.entrySet()) {
            StreamClient client = stream(bad.getKey());

            assertThat(client.status()).as(bad.getValue()).isEqualTo(401);
            assertThat(client.header("WWW-Authenticate")).isEqualTo(
                    "Bearer error=\"invalid_token\", error_description=\""
                            + bad.getValue() + "\"");
            assertThat(client.body()).isEqualTo(bad.getValue() + "\n");
        }
        assertThat(hub.stats().streamsOpened()).isZero();
    }

    @Test
    void answers401WhenTheHostAuthenticatorThrows() throws Exception {
        startHub(hub -> { });
        Authenticator broken = token -> {
            throw new IllegalStateException("database down while checking " + token);
        };
        startServlet(SseServlet.builder(hub, broken).build(), Map.of(), Map.of());

        StreamClient client = stream("secret-token-value");

        assertThat(client.status()).isEqualTo(401);
        assertThat(client.body()).isEqualTo("token could not be verified\n")
                .doesNotContain("secret-token-value");
    }

    // ---- admin endpoints -------------------------------------------------------------

    @Test
    void servesStatisticsAsJsonToAdminsOnly() throws Exception {
        opened(tokens.user("alice"));

        HttpResponse<String> admin = send("GET", "/stats", tokens.user("root", "admin"), null);
        HttpResponse<String> user = send("GET", "/stats", tokens.user("alice", "ops"), null);

        assertThat(admin.statusCode()).isEqualTo(200);
        assertThat(admin.headers().firstValue("Content-Type").orElseThrow())
                .startsWith("application/json");
        JsonNode stats = JSON.readTree(admin.body());
        assertThat(stats.get("openStreams").asInt()).isEqualTo(1);
        assertThat(stats.get("streamsPerUser").get("alice").asInt()).isEqualTo(1);
        assertThat(stats.get("startedAt").asText()).isNotEmpty();
        assertThat(user.statusCode()).isEqualTo(403);
        assertThat(user.body()).isEqualTo("the admin role is required\n");
    }

    @Test
    void emitsATestEventForAdmins() throws Exception {
        StreamClient alice = opened(tokens.user("alice"));
        StreamClient bob = opened(tokens.user("bob"));
        String admin = tokens.user("root", "admin");

        HttpResponse<String> targeted = send("POST", "/test", admin,
                "{\"type\":\"test.ping\",\"data\":{\"n\":1},\"userId\":\"alice\"}");
        HttpResponse<String> broadcast = send("POST", "/test", admin,
                "{\"type\":\"test.ping\",\"data\":\"to all\"}");

        assertThat(targeted.statusCode()).isEqualTo(202);
        JsonNode answer = JSON.readTree(targeted.body());
        assertThat(answer.get("streamsReached").asInt()).isEqualTo(1);
        assertThat(alice.nextEvents(2, PROMPTLY)).containsExactly(
                new ParsedEvent("test.ping", "{\"n\":1}", answer.get("eventId").asText()),
                new ParsedEvent("test.ping", "to all",
                        JSON.readTree(broadcast.body()).get("eventId").asText()));
        assertThat(bob.nextEvent(PROMPTLY).data()).isEqualTo("to all");
        assertThat(send("POST", "/test", tokens.user("alice"), "{\"type\":\"x\"}").statusCode())
                .isEqualTo(403);
    }

    @Test
    void answers400ForAMalformedTestBody() throws Exception {
        String admin = tokens.user("root", "admin");
        List<String> bodies = List.of("not json", "[1]", "{\"data\":\"no type\"}",
                "{\"type\":\"a\\nb\"}", "{\"type\":\"t\",\"userId\":5}", "",
                "{\"type\":\"w\"} trailing", "{\"type\":\"a\",\"type\":\"b\"}");

        for (String body : bodies) {
            HttpResponse<String> response = send("POST", "/test", admin, body);

            assertThat(response.statusCode()).as(body.length() > 40 ? "huge" : body)
                    .isEqualTo(400);
            assertThat(response.body()).doesNotContain("Exception", "\tat ");
        }
        assertThat(hub.stats().eventsEmitted()).isZero();
    }

    @Test
    void refusesAnOversizedOrNonJsonTestBody() throws Exception {
        String admin = tokens.user("root", "admin");
        HttpResponse<String> huge = send("POST", "/test", admin,
                "{\"type\":\"" + "x".repeat(SseServlet.MAX_TEST_BODY_BYTES) + "\"}");
        HttpResponse<String> form = HTTP.send(HttpRequest.newBuilder(uri("/test"))
                .timeout(Duration.ofSeconds(5))
                .header("Authorization", "Bearer " + admin)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("type=x")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(huge.statusCode()).isEqualTo(413);
        assertThat(form.statusCode()).isEqualTo(415);
        assertThat(form.body()).isEqualTo("the body must be application/json\n");
        assertThat(hub.stats().eventsEmitted()).isZero();
    }

    @Test
    void sendsAHugeNumberInATestEventAsValidJson() throws Exception {
        StreamClient alice = opened(tokens.user("alice"));

        HttpResponse<String> sent = send("POST", "/test", tokens.user("root", "admin"),
                "{\"type\":\"n\",\"data\":{\"x\":1e999999}}");

        assertThat(sent.statusCode()).isEqualTo(202);
        String data = alice.nextEvent(PROMPTLY).data();
        assertThat(JSON.readTree(data).get("x").isNumber()).as(data).isTrue();
    }

    @Test
    void refusesTestEventsOfTheLibrarysOwnTypes() throws Exception {
        HttpResponse<String> faked = send("POST", "/test", tokens.user("root", "admin"),
                "{\"type\":\"ssekit.missed\",\"data\":{\"lastEventId\":\"x\"}}");

        assertThat(faked.statusCode()).isEqualTo(400);
        assertThat(faked.body()).contains("ssekit.");
        assertThat(hub.stats().eventsEmitted()).isZero();
    }

    // ---- other answers ---------------------------------------------------------------

    @Test
    void answers400ForARepeatedTokenOrIdAndAnOverlongId() throws Exception {
        String token = tokens.user("alice");
        StreamClient twoTokens = get("/stream?token=garbage&token=" + token, Map.of());
        StreamClient twoIds = stream("/stream?lastEventId=a&lastEventId=b", token);
        StreamClient longId = get("/stream", Map.of("Authorization", "Bearer " + token,
                "Last-Event-ID", "x".repeat(1025)));

        assertThat(twoTokens.status()).isEqualTo(400);
        assertThat(twoTokens.body()).isEqualTo("the token parameter may be given once only\n");
        assertThat(twoIds.status()).isEqualTo(400);
        assertThat(longId.status()).isEqualTo(400);
        assertThat(longId.body()).isEqualTo("Last-Event-ID longer than 1024 characters\n");
        assertThat(hub.stats().streamsOpened()).isZero();
    }

    @Test
    void answers400ForAMalformedFilter() throws Exception {
        for (String filter : List.of("a*b", "a,,b", "%20x%20y")) {
            StreamClient client = stream("/stream?events=" + filter, tokens.user("alice"));

            assertThat(client.status()).as(filter).isEqualTo(400);
            assertThat(client.body()).doesNotContain("Exception");
        }
        assertThat(hub.stats().streamsOpened()).isZero();
    }

    @Test
    void answers406WhenTheClientDoesNotAcceptAnEventStream() throws Exception {
        String token = tokens.user("alice");
        StreamClient json = get("/stream", Map.of("Authorization", "Bearer " + token,
                "Accept", "application/json"));
        StreamClient refused = get("/stream", Map.of("Authorization", "Bearer " + token,
                "Accept", "text/event-stream;q=0, application/json"));
        StreamClient anything = get("/stream", Map.of("Authorization", "Bearer " + token,
                "Accept", "*/*"));
        StreamClient specificRefusal = get("/stream", Map.of("Authorization", "Bearer " + token,
                "Accept", "text/event-stream;q=0, */*"));
        StreamClient noMediaType = get("/stream", Map.of("Authorization", "Bearer " + token,
                "Accept", ";;;"));

        assertThat(json.status()).isEqualTo(406);
        assertThat(refused.status()).isEqualTo(406);
        assertThat(anything.status()).isEqualTo(200);
        assertThat(specificRefusal.status()).isEqualTo(406);
        assertThat(noMediaType.status()).isEqualTo(406);
    }

    @Test
    void answers405WithAllowForAWrongMethod() throws Exception {
        String admin = tokens.user("root", "admin");

        HttpResponse<String> postStream = send("POST", "/stream", admin, "x");
        HttpResponse<String> getTest = send("GET", "/test", admin, null);
        HttpResponse<String> putStats = send("PUT", "/stats", admin, "x");

        assertThat(postStream.statusCode()).isEqualTo(405);
        assertThat(postStream.headers().firstValue("Allow")).hasValue("GET");
        assertThat(getTest.statusCode()).isEqualTo(405);
        assertThat(getTest.headers().firstValue("Allow")).hasValue("POST");
        assertThat(putStats.statusCode()).isEqualTo(405);
        assertThat(putStats.headers().firstValue("Allow")).hasValue("GET");
    }

    @Test
    void answers404ForAnUnknownPath() throws Exception {
        String admin = tokens.user("root", "admin");

        for (String path : List.of("/nope", "", "/", "/stream/more")) {
            HttpResponse<String> response = send("GET", path, admin, null);

            assertThat(response.statusCode()).as(path).isEqualTo(404);
            assertThat(response.body()).isEqualTo("not found\n");
        }
    }

    @Test
    void answers429AtTheUserLimitAnd503AtTheGlobalLimit() throws Exception {
        start(hub -> hub.maxStreamsPerUser(2).maxStreams(3), servlet -> servlet);
        opened(tokens.user("alice"));
        opened(tokens.user("alice"));

        StreamClient third = stream(tokens.user("alice"));
        opened(tokens.user("bob"));
        StreamClient full = stream(tokens.user("carol"));

        assertThat(third.status()).isEqualTo(429);
        assertThat(full.status()).isEqualTo(503);
        assertThat(full.header("Retry-After")).isEqualTo("10");
        assertThat(hub.stats().openStreams()).isEqualTo(3);
    }

    @Test
    void answers503WhileTheHubShutsDownAfterEndingOpenStreams() throws Exception {
        start(hub -> hub.shutdownRetryJitter(Duration.ZERO), servlet -> servlet
                .retryAfter(Duration.ofSeconds(7)));
        StreamClient client = opened(tokens.user("alice"));

        hub.close(Duration.ofSeconds(1));

        assertThat(client.awaitEnd(PROMPTLY)).isTrue();
        assertThat(client.received()).isEqualTo(RETRY + RETRY);
        StreamClient refused = stream(tokens.user("alice"));
        assertThat(refused.status()).isEqualTo(503);
        assertThat(refused.header("Retry-After")).isEqualTo("7");
    }

    // ---- the stream's life -----------------------------------------------------------

    @Test
    void closesTheStreamWhenItsTokenExpires() throws Exception {
        String token = tokens.claims("alice", Duration.ofSeconds(30)).sign(Tokens.HS256);
        StreamClient client = opened(token);

        clock.advance(Duration.ofSeconds(31));

        assertThat(client.awaitEnd(PROMPTLY)).isTrue();
        assertThat(client.received()).isEqualTo(RETRY);
        assertThat(closedBy("EXPIRED")).isEqualTo(1);
    }

    @Test
    void keepsTheStreamPastTokenExpiryWhenConfigured() throws Exception {
        start(hub -> { }, servlet -> servlet.closeOnTokenExpiry(false));
        String token = tokens.claims("alice", Duration.ofSeconds(30)).sign(Tokens.HS256);
        StreamClient client = opened(token);

        clock.advance(Duration.ofSeconds(31));
        Emission later = hub.emit("n", "still here");

        assertThat(client.nextEvent(PROMPTLY).lastEventId()).isEqualTo(later.eventId());
    }

    @Test
    void dropsAClientThatDisconnectsCleanlyWithinOneHeartbeat() throws Exception {
        RawClient raw = rawStreamWithShortHeartbeat();

        raw.close();

        // Tomcat notices the FIN itself. Jetty reads nothing during the response, so the
        // first heartbeat after the FIN still succeeds (answered by a reset); the hub follows
        // every idle heartbeat with one more at the next sweep (50 ms here), which fails:
        // gone within one interval, plus two sweeps and slack.
        assertGoneWithin(HEARTBEAT.plusMillis(400));
    }

    @Test
    void dropsAClientThatResetsTheConnectionWithinOneHeartbeat() throws Exception {
        RawClient raw = rawStreamWithShortHeartbeat();

        raw.reset();

        // The next heartbeat write fails: gone within one interval, plus a sweep and slack.
        assertGoneWithin(HEARTBEAT.plusMillis(300));
    }

    private RawClient rawStreamWithShortHeartbeat() throws Exception {
        start(hub -> hub.heartbeatInterval(HEARTBEAT), servlet -> servlet);
        RawClient raw = RawClient.get(port, "/events/stream", tokens.user("alice"), 0);
        clients.add(raw);
        raw.readUntil(RETRY);
        awaitOpenStreams(1);
        return raw;
    }

    private void assertGoneWithin(Duration bound) {
        await().atMost(bound).until(() -> hub.stats().openStreams() == 0);
        assertThat(closedBy("CLIENT_GONE")).isEqualTo(1);
    }

    @Test
    void dropsAClientThatStopsReadingWithoutDelayingOthers() throws Exception {
        start(hub -> hub.maxQueuedEvents(8), servlet -> servlet);
        RawClient stalled = RawClient.get(port, "/events/stream", tokens.user("slow"), 1024);
        clients.add(stalled);
        stalled.readUntil(RETRY);
        StreamClient reader = opened(tokens.user("fast"));
        String payload = "x".repeat(32 * 1024);

        long slowest = 0;
        for (int i = 0; i < 1000 && closedBy("SLOW") == 0; i++) {
            long started = System.nanoTime();
            Emission emission = hub.emit("bulk", payload);
            ParsedEvent received = reader.nextEvent(PROMPTLY);
            assertThat(received).as("event %d", i).isNotNull();
            assertThat(received.lastEventId()).isEqualTo(emission.eventId());
            slowest = Math.max(slowest, System.nanoTime() - started);
        }

        assertThat(closedBy("SLOW")).isEqualTo(1);
        assertThat(hub.stats().streamsPerUser()).containsOnlyKeys("fast");
        assertThat(Duration.ofNanos(slowest)).isLessThan(Duration.ofSeconds(1));
        // The dropped client's response is over: once it reads again, it gets to the end.
        assertThat(stalled.drainsToTheEnd(PROMPTLY)).isTrue();
    }

    @Test
    void containerShutdownEndsEveryStreamPromptly() throws Exception {
        List<StreamClient> streams = List.of(opened(tokens.user("alice")),
                opened(tokens.user("alice")), opened(tokens.user("bob")));

        long started = System.nanoTime();
        stopContainer();

        for (StreamClient client : streams) {
            assertThat(client.awaitEnd(shutdownBound())).isTrue();
        }
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(shutdownBound());
        assertThat(hub.stats().openStreams()).isZero();
    }

    // ---- web.xml-style configuration -------------------------------------------------

    @Test
    void configuresItselfFromInitParamsAndTheContextHub() throws Exception {
        startHub(hub -> { });
        startServlet(new SseServlet(), Map.of(
                        "jwt.hmacSecret", Tokens.SECRET,
                        "jwt.leewaySeconds", "5",
                        SseServlet.PARAM_ADMIN_ROLE, "ops"),
                Map.of(SseServlet.HUB_ATTRIBUTE, hub));

        StreamClient client = opened(tokens.user("alice"));
        Emission emission = hub.emit("n", "1");

        assertThat(client.nextEvent(PROMPTLY).lastEventId()).isEqualTo(emission.eventId());
        assertThat(send("GET", "/stats", tokens.user("root", "ops"), null).statusCode())
                .isEqualTo(200);
        assertThat(send("GET", "/stats", tokens.user("root", "admin"), null).statusCode())
                .isEqualTo(403);
    }
}
